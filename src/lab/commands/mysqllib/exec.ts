/**
 * The SQL the lab's servers understand: replication control and status, read_only, GTID
 * positions and waits, and simple writes (databases, tables, row counts). Messages and
 * error numbers are MariaDB 10.11's or MySQL 8.4's, by the server's flavor.
 */
import type { MysqlState } from '../../state.js';
import type { Cell } from './format.js';
import { gtidMerge, gtidReached, parseMariaPos } from './gtid.js';
import { commitWrite, extras, replicationTicker } from './server.js';
import { splitTopLevel, unquote, type Statement } from './split.js';
import { mariadbSlaveStatus, masterStatus, mysqlReplicaStatus } from './status.js';
import { boolValue, fail, nearFrom, rs, syntaxError, type Session, type SqlError, type StmtResult } from './sql.js';
import { changeMaster, resetReplica, startReplica, stopReplica } from './replication.js';

export type { Session, SqlError, StmtResult };

/** Global variables as SELECT @@x shows them; undefined = unknown on this flavor. */
function variable(s: Session, name: string): Cell | undefined {
  const { my } = s;
  const ex = extras(my);
  const n = name.toLowerCase();
  const common: Record<string, Cell> = {
    read_only: my.readOnly ? 1 : 0,
    server_id: my.serverId,
    hostname: s.server.hostname,
    version: my.flavor === 'mysql' ? my.version : my.version,
    version_comment: my.flavor === 'mysql' ? 'MySQL Community Server - GPL' : 'Debian 12',
    port: 3306,
    log_bin: 1,
    datadir: '/var/lib/mysql/',
    socket: my.flavor === 'mysql' ? '/var/run/mysqld/mysqld.sock' : '/run/mysqld/mysqld.sock',
    max_connections: 151,
  };
  if (n in common) return common[n];
  if (my.flavor === 'mariadb') {
    const maria: Record<string, Cell> = {
      gtid_binlog_pos: my.gtidBinlogPos,
      gtid_slave_pos: my.replica ? my.replica.gtidSlavePos : ex.retainedSlavePos,
      gtid_current_pos: gtidMerge(my.gtidBinlogPos, my.replica ? my.replica.gtidSlavePos : ex.retainedSlavePos),
      gtid_domain_id: 0,
      gtid_strict_mode: 1,
      log_slave_updates: 1,
      sql_slave_skip_counter: ex.skipCounter,
    };
    return maria[n];
  }
  const mysql: Record<string, Cell> = {
    super_read_only: ex.superReadOnly ? 1 : 0,
    gtid_executed: my.gtidBinlogPos,
    gtid_mode: 'ON',
    enforce_gtid_consistency: 'ON',
    server_uuid: ex.uuid,
    log_replica_updates: 1,
  };
  return mysql[n];
}

/** Variables listed by SHOW VARIABLES (values as text). */
function allVariables(s: Session): [string, string][] {
  const names = s.my.flavor === 'mysql'
    ? ['enforce_gtid_consistency', 'gtid_executed', 'gtid_mode', 'hostname', 'log_bin', 'log_replica_updates', 'max_connections', 'port', 'read_only', 'server_id', 'server_uuid', 'super_read_only', 'version', 'version_comment']
    : ['gtid_binlog_pos', 'gtid_current_pos', 'gtid_domain_id', 'gtid_slave_pos', 'gtid_strict_mode', 'hostname', 'log_bin', 'log_slave_updates', 'max_connections', 'port', 'read_only', 'server_id', 'version', 'version_comment'];
  return names.map((n) => {
    const v = variable(s, n);
    const text = n === 'read_only' || n === 'super_read_only' || n === 'log_bin' || n === 'log_slave_updates' || n === 'log_replica_updates' || n === 'gtid_strict_mode'
      ? (v === 1 ? 'ON' : 'OFF')
      : String(v ?? '');
    return [n, text];
  });
}

function likeToRegExp(pat: string): RegExp {
  const esc = pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${esc}$`, 'i');
}

function ident(s: string): string {
  return s.replace(/`/g, '');
}

/** `db.t` or `t` (with the session's database). */
function tableRef(s: Session, ref: string): { db: string; table: string } | SqlError {
  const parts = ident(ref).split('.');
  if (parts.length === 2) return { db: parts[0], table: parts[1] };
  if (!s.db) return { code: 1046, state: '3D000', message: 'No database selected' };
  return { db: s.db, table: parts[0] };
}

const isErr = (x: unknown): x is SqlError => typeof x === 'object' && x !== null && 'code' in x && 'message' in x;

// ------------------------------------------------------------------ waits

async function waitFor(s: Session, reached: () => boolean, timeoutS: number): Promise<boolean> {
  const limitMs = timeoutS >= 0 ? timeoutS * 1000 : 24 * 3600_000;
  const start = s.world.now();
  for (let i = 0; i < 100_000; i++) {
    replicationTicker(s.world);
    if (reached()) return true;
    const left = limitMs - (s.world.now() - start);
    if (left <= 0) return false;
    await s.sleep(Math.min(250, left));
    s.world.advance();
  }
  return reached();
}

// ------------------------------------------------------------------ SELECT

async function evalExpr(s: Session, expr: string): Promise<Cell | SqlError> {
  const e = expr.trim();
  const v = /^@@(?:global\.|session\.|local\.)?(\w+)$/i.exec(e);
  if (v) {
    const val = variable(s, v[1]);
    if (val === undefined) return { code: 1193, state: 'HY000', message: `Unknown system variable '${v[1]}'` };
    return val;
  }
  if (/^-?\d+(\.\d+)?$/.test(e)) return Number(e);
  if (/^'.*'$|^".*"$/s.test(e)) return unquote(e);
  if (/^null$/i.test(e)) return null;
  const f = /^(\w+)\s*\((.*)\)$/s.exec(e);
  if (f) {
    const fn = f[1].toUpperCase();
    const args = splitTopLevel(f[2]);
    switch (fn) {
      case 'VERSION':
        return s.my.version;
      case 'NOW':
      case 'CURRENT_TIMESTAMP':
      case 'SYSDATE': {
        const d = new Date(s.world.now());
        return d.toISOString().replace('T', ' ').slice(0, 19);
      }
      case 'UNIX_TIMESTAMP':
        return Math.floor(s.world.now() / 1000);
      case 'DATABASE':
        return s.db ?? null;
      case 'USER':
      case 'CURRENT_USER':
        return `${s.user}@localhost`;
      case 'SLEEP': {
        const n = Number(unquote(args[0] ?? '0'));
        if (n > 0) await s.sleep(Math.min(n, 3600) * 1000);
        return 0;
      }
      case 'MASTER_GTID_WAIT': {
        if (s.my.flavor === 'mysql') break;
        const want = unquote(args[0] ?? '');
        if (parseMariaPos(want) === undefined) return { code: 1941, state: 'HY000', message: 'Could not parse GTID list' };
        const timeout = args[1] === undefined ? -1 : Number(unquote(args[1]));
        const my = s.my;
        const ok = await waitFor(s, () => gtidReached(my.replica ? my.replica.gtidSlavePos : extras(my).retainedSlavePos, want), timeout);
        return ok ? 0 : -1;
      }
      case 'WAIT_FOR_EXECUTED_GTID_SET': {
        if (s.my.flavor !== 'mysql') break;
        const want = unquote(args[0] ?? '');
        const timeout = args[1] === undefined ? -1 : Number(unquote(args[1]));
        const my = s.my;
        const ok = await waitFor(s, () => gtidReached(my.gtidBinlogPos, want), timeout);
        return ok ? 0 : 1;
      }
    }
    return { code: 1305, state: '42000', message: `FUNCTION ${s.db ? `${s.db}.` : ''}${f[1]} does not exist` };
  }
  return { code: 1054, state: '42S22', message: `Unknown column '${ident(e)}' in 'field list'` };
}

function splitAlias(item: string): { expr: string; name: string } {
  const m = /^(.*?)\s+as\s+(`[^`]+`|'[^']+'|"[^"]+"|\w+)$/is.exec(item);
  if (m) return { expr: m[1].trim(), name: m[2].replace(/^[`'"]|[`'"]$/g, '') };
  return { expr: item, name: item };
}

async function select(s: Session, body: string): Promise<StmtResult> {
  const fromAt = /\sfrom\s/i.exec(` ${body} `);
  let list = body;
  let from: string | undefined;
  if (fromAt) {
    list = body.slice(0, fromAt.index - 1 < 0 ? 0 : fromAt.index - 1);
    from = body.slice(fromAt.index - 1 + fromAt[0].length).trim().split(/\s+/)[0];
  }
  const items = splitTopLevel(list).map(splitAlias);
  if (from && from.toLowerCase() !== 'dual') {
    const ref = tableRef(s, from);
    if (isErr(ref)) return { error: ref };
    const rows = extras(s.my).databases.get(ref.db)?.get(ref.table);
    if (rows === undefined) return fail(1146, '42S02', `Table '${ref.db}.${ref.table}' doesn't exist`);
    if (items.length === 1 && /^count\(\s*\*\s*\)$/i.test(items[0].expr)) return rs([items[0].name], [[rows]]);
    const cols = items.length === 1 && items[0].expr === '*' ? ['id', 'note'] : items.map((i) => i.name);
    return rs(cols, Array.from({ length: Math.min(rows, 1000) }, (_, k) => cols.map((c) => (c === 'note' ? 'ok' : k + 1))));
  }
  const row: Cell[] = [];
  for (const it of items) {
    const v = await evalExpr(s, it.expr);
    if (isErr(v)) return { error: v };
    row.push(v);
  }
  return rs(items.map((i) => i.name), [row]);
}

// ------------------------------------------------------------------ SET

function setVar(s: Session, assign: string): StmtResult | undefined {
  const m = /^(global\s+|session\s+|local\s+|@@global\.|@@session\.|@@local\.|@@)?(\w+)\s*(?:=|:=)\s*(.+)$/is.exec(assign.trim());
  if (!m) return syntaxError(s.my, assign);
  const scope = (m[1] ?? '').toLowerCase().replace(/[@.\s]/g, '');
  const name = m[2].toLowerCase();
  const value = m[3].trim();
  const my = s.my;
  const ex = extras(my);
  const global = scope === 'global';
  const globalOnly = ['read_only', 'super_read_only', 'gtid_slave_pos', 'sql_slave_skip_counter', 'sql_replica_skip_counter', 'gtid_strict_mode', 'max_connections'];
  if (globalOnly.includes(name) && !global && variable(s, name === 'sql_replica_skip_counter' ? 'sql_slave_skip_counter' : name) !== undefined) {
    return fail(1229, 'HY000', `Variable '${name}' is a GLOBAL variable and should be set with SET GLOBAL`);
  }
  if (['names', 'character_set_client', 'sql_log_bin', 'autocommit', 'sql_mode', 'wait_timeout', 'foreign_key_checks', 'time_zone', 'character'].includes(name)) return undefined;
  switch (name) {
    case 'read_only':
    case 'super_read_only': {
      if (name === 'super_read_only' && my.flavor !== 'mysql') break;
      const b = boolValue(value);
      if (b === undefined) return fail(1231, '42000', `Variable '${name}' can't be set to the value of '${unquote(value)}'`);
      if (name === 'read_only') {
        my.readOnly = b === 1;
        if (b === 0) ex.superReadOnly = false;
      } else {
        ex.superReadOnly = b === 1;
        if (b === 1) my.readOnly = true;
      }
      return undefined;
    }
    case 'gtid_slave_pos': {
      if (my.flavor !== 'mariadb') break;
      if (my.replica && (my.replica.ioRunning || my.replica.sqlRunning)) return fail(1198, 'HY000', "This operation cannot be performed as you have a running slave ''; run STOP SLAVE '' first");
      const pos = unquote(value);
      if (parseMariaPos(pos) === undefined) return fail(1941, 'HY000', 'Could not parse GTID list');
      if (my.replica) {
        my.replica.gtidSlavePos = pos;
        my.replica.gtidIoPos = pos;
      } else ex.retainedSlavePos = pos;
      return undefined;
    }
    case 'sql_slave_skip_counter':
    case 'sql_replica_skip_counter': {
      ex.skipCounter = Math.max(0, Number(unquote(value)) || 0);
      return undefined;
    }
    case 'gtid_strict_mode':
    case 'max_connections':
    case 'event_scheduler':
    case 'innodb_flush_log_at_trx_commit':
    case 'sync_binlog':
      return undefined;
  }
  return fail(1193, 'HY000', `Unknown system variable '${m[2]}'`);
}

// ------------------------------------------------------------------ writes

function readOnlyError(my: MysqlState): StmtResult {
  const ex = extras(my);
  const product = my.flavor === 'mysql' ? 'MySQL' : 'MariaDB';
  return fail(1290, 'HY000', `The ${product} server is running with the --${ex.superReadOnly && my.flavor === 'mysql' ? 'super-read-only' : 'read-only'} option so it cannot execute this statement`);
}

function write(s: Session, text: string): StmtResult {
  const { my } = s;
  const ex = extras(my);
  if (my.readOnly || ex.superReadOnly) return readOnlyError(my);
  const dbs = ex.databases;
  let m: RegExpExecArray | null;
  if ((m = /^create\s+(?:database|schema)\s+(if\s+not\s+exists\s+)?([`\w$]+)/i.exec(text))) {
    const name = ident(m[2]);
    if (dbs.has(name)) {
      if (!m[1]) return fail(1007, 'HY000', `Can't create database '${name}'; database exists`);
      return {};
    }
    dbs.set(name, new Map());
  } else if ((m = /^drop\s+(?:database|schema)\s+(if\s+exists\s+)?([`\w$]+)/i.exec(text))) {
    const name = ident(m[2]);
    if (!dbs.delete(name) && !m[1]) return fail(1008, 'HY000', `Can't drop database '${name}'; database doesn't exist`);
  } else if ((m = /^create\s+(?:temporary\s+)?table\s+(if\s+not\s+exists\s+)?([`\w$.]+)/i.exec(text))) {
    const ref = tableRef(s, m[2]);
    if (isErr(ref)) return { error: ref };
    const db = dbs.get(ref.db);
    if (!db) return fail(1049, '42000', `Unknown database '${ref.db}'`);
    if (db.has(ref.table)) {
      if (!m[1]) return fail(1050, '42S01', `Table '${ref.table}' already exists`);
      return {};
    }
    db.set(ref.table, 0);
  } else if ((m = /^drop\s+table\s+(if\s+exists\s+)?([`\w$.]+)/i.exec(text))) {
    const ref = tableRef(s, m[2]);
    if (isErr(ref)) return { error: ref };
    if (!dbs.get(ref.db)?.delete(ref.table) && !m[1]) return fail(1051, '42S02', `Unknown table '${ref.db}.${ref.table}'`);
  } else if ((m = /^(insert|replace)\s+(?:ignore\s+|low_priority\s+|delayed\s+)?(?:into\s+)?([`\w$.]+)(.*)$/is.exec(text))) {
    const ref = tableRef(s, m[2]);
    if (isErr(ref)) return { error: ref };
    const db = dbs.get(ref.db);
    const rows = db?.get(ref.table);
    if (!db || rows === undefined) return fail(1146, '42S02', `Table '${ref.db}.${ref.table}' doesn't exist`);
    const values = /\bvalues?\s*(.*)$/is.exec(m[3]);
    const n = values ? splitTopLevel(values[1]).length : 1;
    db.set(ref.table, m[1].toLowerCase() === 'replace' ? Math.max(rows, n) : rows + n);
  } else if ((m = /^(?:update|delete\s+from|truncate\s+(?:table\s+)?)\s*([`\w$.]+)(.*)$/is.exec(text))) {
    const ref = tableRef(s, m[1]);
    if (isErr(ref)) return { error: ref };
    const db = dbs.get(ref.db);
    if (!db || !db.has(ref.table)) return fail(1146, '42S02', `Table '${ref.db}.${ref.table}' doesn't exist`);
    if (/^(delete|truncate)/i.test(text) && !/\bwhere\b/i.test(m[2])) db.set(ref.table, 0);
  }
  commitWrite(my);
  return {};
}

// ------------------------------------------------------------------ dispatch

/** MySQL 8.4 removed the SLAVE/MASTER spellings: they are syntax errors there. */
const LEGACY_84: [RegExp, RegExp][] = [
  [/^show\s+(all\s+)?slaves?\b/i, /\b(all\s+)?slaves?\b/i],
  [/^(start|stop|reset)\s+slave\b/i, /\bslave\b/i],
  [/^change\s+master\b/i, /\bmaster\b/i],
  [/^show\s+master\s+status\b/i, /\bmaster\b/i],
];

export async function execute(s: Session, st: Statement): Promise<StmtResult> {
  const text = st.text.replace(/\s+/g, ' ').trim();
  const { my } = s;
  let m: RegExpExecArray | null;
  if (my.flavor === 'mysql') {
    for (const [test, word] of LEGACY_84) if (test.test(text)) return syntaxError(my, nearFrom(text, word));
  } else {
    if (/^change\s+replication\s+source\b/i.test(text)) return syntaxError(my, nearFrom(text, /\breplication\b/i));
    if (/^show\s+binary\s+log\s+status\b/i.test(text)) return syntaxError(my, nearFrom(text, /\blog\b/i));
  }

  if (/^show\s+(?:all\s+)?(?:slaves?|replicas?)\s+status(?:\s+for\s+channel\s+''\s*)?$/i.test(text)) {
    const all = /^show\s+all\b/i.test(text);
    if (my.flavor === 'mysql' && all) return syntaxError(my, nearFrom(text, /\ball\b/i));
    const res = my.flavor === 'mysql' ? mysqlReplicaStatus(my) : mariadbSlaveStatus(my);
    if (all && res.rows.length) {
      res.columns = ['Connection_name', 'Slave_SQL_State', ...res.columns];
      res.rows = res.rows.map((r) => ['', r[res.columns.indexOf('Slave_SQL_Running_State') - 2], ...r]);
    }
    return { rs: res };
  }
  if (/^show\s+(master|binary\s+log|binlog)\s+status$/i.test(text)) {
    if (my.flavor === 'mysql' && /binlog/i.test(text)) return syntaxError(my, nearFrom(text, /\bbinlog\b/i));
    return { rs: masterStatus(my) };
  }
  if ((m = /^(start|stop)\s+(?:slave|replica)(?:\s+(io_thread|sql_thread))?(?:\s+for\s+channel\s+'')?$/i.exec(text))) {
    const which = m[2]?.toUpperCase();
    return m[1].toLowerCase() === 'start' ? startReplica(s, which) : stopReplica(s, which);
  }
  if ((m = /^reset\s+(?:slave|replica)(\s+all)?(?:\s+for\s+channel\s+'')?$/i.exec(text))) return resetReplica(s, !!m[1]);
  if ((m = /^change\s+(?:master|replication\s+source)\s+to\s+(.+?)(?:\s+for\s+channel\s+'')?$/is.exec(text))) return changeMaster(s, m[1]);
  if ((m = /^set\s+(.+)$/is.exec(text))) {
    if (/^names\b|^character\s+set\b|^(session\s+)?transaction\b/i.test(m[1])) return {};
    for (const a of splitTopLevel(m[1])) {
      const r = setVar(s, a);
      if (r) return r;
    }
    return {};
  }
  if ((m = /^select\s+(.+)$/is.exec(text))) return select(s, m[1]);
  if ((m = /^show\s+(?:global\s+|session\s+)?variables(?:\s+like\s+('[^']*'|"[^"]*"))?$/i.exec(text))) {
    const re = m[1] ? likeToRegExp(unquote(m[1])) : /./;
    return rs(['Variable_name', 'Value'], allVariables(s).filter(([n]) => re.test(n)));
  }
  if (/^show\s+(databases|schemas)$/i.test(text)) return rs(['Database'], [...extras(my).databases.keys()].sort().map((d) => [d]));
  if ((m = /^show\s+tables(?:\s+(?:from|in)\s+([`\w$]+))?$/i.exec(text))) {
    const db = m[1] ? ident(m[1]) : s.db;
    if (!db) return fail(1046, '3D000', 'No database selected');
    const tables = extras(my).databases.get(db);
    if (!tables) return fail(1049, '42000', `Unknown database '${db}'`);
    return rs([`Tables_in_${db}`], [...tables.keys()].sort().map((t) => [t]));
  }
  if (/^show\s+(full\s+)?processlist$/i.test(text)) {
    const rows: Cell[][] = [[1, 'system user', '', null, 'Daemon', 0, 'InnoDB purge worker', null]];
    if (my.replica?.ioRunning) rows.push([4, 'system user', '', null, 'Slave_IO', 60, 'Waiting for master to send event', null]);
    rows.push([9, s.user, 'localhost', s.db ?? null, 'Query', 0, 'starting', 'show processlist']);
    return rs(['Id', 'User', 'Host', 'db', 'Command', 'Time', 'State', 'Info'], rows);
  }
  if ((m = /^use\s+([`\w$]+)$/i.exec(text))) {
    const db = ident(m[1]);
    if (!extras(my).databases.has(db)) return fail(1049, '42000', `Unknown database '${db}'`);
    s.db = db;
    return {};
  }
  if (/^(insert|replace|update|delete|create|drop|alter|truncate|rename|grant|revoke)\b/i.test(text)) return write(s, text);
  if (/^(flush|begin|commit|rollback|start\s+transaction|unlock\s+tables|lock\s+tables|kill|do|analyze|optimize|check)\b/i.test(text)) return {};
  return syntaxError(my, text);
}
