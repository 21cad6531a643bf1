/** Replication statements of the lab's SQL: CHANGE MASTER / REPLICATION SOURCE, START, STOP, RESET. */
import type { MysqlState } from '../../state.js';
import { gtidMerge } from './gtid.js';
import { extras, replicateOnce } from './server.js';
import { splitTopLevel, unquote } from './split.js';
import { fail, syntaxError, type Session, type StmtResult } from './sql.js';


export function runningError(my: MysqlState): StmtResult {
  return my.flavor === 'mysql'
    ? fail(3021, 'HY000', "This operation cannot be performed with a running replica io thread; run STOP REPLICA IO_THREAD FOR CHANNEL '' first.")
    : fail(1198, 'HY000', "This operation cannot be performed as you have a running slave ''; run STOP SLAVE '' first");
}

const CHANGE_KEYS: Record<string, string> = {
  HOST: 'host', USER: 'user', PASSWORD: 'password', PORT: 'port', CONNECT_RETRY: 'retry', USE_GTID: 'gtid', AUTO_POSITION: 'auto',
  LOG_FILE: 'file', LOG_POS: 'pos', SSL: 'ssl', SSL_CA: 'ssl', SSL_VERIFY_SERVER_CERT: 'ssl', HEARTBEAT_PERIOD: 'hb', DELAY: 'delay', RETRY_COUNT: 'retry_count',
};

export function changeMaster(s: Session, list: string): StmtResult {
  const { my } = s;
  const prefix = my.flavor === 'mysql' ? 'SOURCE_' : 'MASTER_';
  const opts = new Map<string, string>();
  for (const a of splitTopLevel(list)) {
    const m = /^(\w+)\s*=\s*(.+)$/s.exec(a);
    const key = m?.[1].toUpperCase() ?? '';
    if (!m || !key.startsWith(prefix) || !(key.slice(prefix.length) in CHANGE_KEYS) || (key === 'MASTER_AUTO_POSITION') || (key === 'SOURCE_USE_GTID')) return syntaxError(my, a);
    opts.set(CHANGE_KEYS[key.slice(prefix.length)], unquote(m[2]));
  }
  const rep = my.replica;
  if (rep && (rep.ioRunning || rep.sqlRunning)) return runningError(my);
  const ex = extras(my);
  const gtid = opts.get('gtid')?.toLowerCase();
  if (gtid !== undefined && !['slave_pos', 'current_pos', 'no'].includes(gtid)) return syntaxError(my, opts.get('gtid')!);
  if (gtid) ex.useGtid = gtid === 'slave_pos' ? 'Slave_Pos' : gtid === 'current_pos' ? 'Current_Pos' : 'No';
  if (opts.has('retry')) ex.connectRetry = Number(opts.get('retry')) || 60;
  const slavePos = rep ? rep.gtidSlavePos : ex.retainedSlavePos;
  const start = ex.useGtid === 'Current_Pos' || my.flavor === 'mysql' ? gtidMerge(my.gtidBinlogPos, slavePos) : slavePos;
  const hostChanged = !rep || (opts.has('host') && opts.get('host') !== rep.masterHost);
  my.replica = {
    masterHost: opts.get('host') ?? rep?.masterHost ?? '',
    masterUser: opts.get('user') ?? rep?.masterUser ?? '',
    masterPort: Number(opts.get('port') ?? rep?.masterPort ?? 3306),
    ioRunning: false,
    sqlRunning: false,
    gtidIoPos: hostChanged ? start : rep!.gtidIoPos,
    gtidSlavePos: hostChanged ? start : rep!.gtidSlavePos,
    secondsBehind: null,
    lastIoError: rep?.lastIoError ?? '',
    lastSqlError: rep?.lastSqlError ?? '',
  };
  return {};
}

export function startReplica(s: Session, which: string | undefined): StmtResult {
  const { my } = s;
  const rep = my.replica;
  if (!rep || !rep.masterHost) {
    return my.flavor === 'mysql'
      ? fail(13117, 'HY000', 'Replica is not configured or failed to initialize properly. You must at least set --server-id to enable either a source or a replica. Additional error messages can be found in the MySQL error log.')
      : fail(1200, 'HY000', 'Misconfigured slave: MASTER_HOST was not set; Fix in config file or with CHANGE MASTER TO');
  }
  const ex = extras(my);
  if (which !== 'SQL_THREAD' && !rep.ioRunning) {
    rep.ioRunning = true;
    rep.lastIoError = '';
  }
  if (which !== 'IO_THREAD' && !rep.sqlRunning) {
    if (ex.stickySqlError && ex.skipCounter > 0) {
      ex.stickySqlError = undefined;
      ex.skipCounter = 0;
    }
    rep.sqlRunning = true;
    rep.lastSqlError = '';
  }
  replicateOnce(s.world, s.server);
  return {};
}

export function stopReplica(s: Session, which: string | undefined): StmtResult {
  const rep = s.my.replica;
  if (!rep) return {};
  if (which !== 'SQL_THREAD') {
    rep.ioRunning = false;
    // Cleared so that the lab's recovery ticker never restarts a thread the operator stopped.
    rep.lastIoError = '';
  }
  if (which !== 'IO_THREAD') rep.sqlRunning = false;
  rep.secondsBehind = null;
  return {};
}

export function resetReplica(s: Session, all: boolean): StmtResult {
  const { my } = s;
  const rep = my.replica;
  if (!rep) return {};
  if (rep.ioRunning || rep.sqlRunning) return runningError(my);
  const ex = extras(my);
  if (all) {
    ex.retainedSlavePos = rep.gtidSlavePos;
    my.replica = undefined;
  } else {
    rep.lastIoError = '';
    rep.lastSqlError = '';
    ex.stickySqlError = undefined;
  }
  return {};
}

