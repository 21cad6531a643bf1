/**
 * The mysql/mariadb client (and `mysqladmin ping|status`) against the lab's servers.
 * Output is the client's non-interactive form (stdout is a pipe over SSH exec): tab-separated
 * with a header line; `-s` twice or `-N` drops the header, `-t` boxes, `-E` or `\G` is vertical.
 * Errors print `ERROR N (STATE) at line L: …` and stop the batch (exit 1) unless `-f`.
 */
import type { LabMachine, MysqlState } from '../state.js';
import type { CmdContext, LabModule } from '../shell/types.js';
import { destination, isIpv4, resolveHost } from './netlib/addr.js';
import { execute, type Session } from './mysqllib/exec.js';
import { formatBatch, formatTable, formatVertical } from './mysqllib/format.js';
import { extras, replicationTicker } from './mysqllib/server.js';
import { splitStatements } from './mysqllib/split.js';

export { crashMysqlPrimary, breakReplicaSql, commitWrite, replicationTicker, mysqlStarted, mysqlStopped } from './mysqllib/server.js';
export { gtidReached, gtidMerge, gtidBump } from './mysqllib/gtid.js';

interface ClientOpts {
  execute?: string;
  host?: string;
  port?: number;
  user: string;
  db?: string;
  silent: number;
  skipNames: boolean;
  table: boolean;
  vertical: boolean;
  raw: boolean;
  force: boolean;
}

const WITH_VALUE = new Set(['e', 'h', 'u', 'P', 'D', 'S']);
const LONG_VALUE = new Set(['execute', 'host', 'user', 'port', 'database', 'socket', 'connect-timeout', 'defaults-file', 'defaults-extra-file', 'protocol', 'default-character-set', 'init-command']);

function parseArgs(argv: string[]): ClientOpts | string {
  const o: ClientOpts = { user: 'root', silent: 1, skipNames: false, table: false, vertical: false, raw: false, force: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (value === undefined && LONG_VALUE.has(name)) value = argv[++i];
      switch (name) {
        case 'execute': o.execute = value; break;
        case 'host': o.host = value; break;
        case 'user': o.user = value ?? 'root'; break;
        case 'port': o.port = Number(value); break;
        case 'database': o.db = value; break;
        case 'silent': o.silent++; break;
        case 'skip-column-names': o.skipNames = true; break;
        case 'batch': break;
        case 'table': o.table = true; break;
        case 'vertical': o.vertical = true; break;
        case 'raw': o.raw = true; break;
        case 'force': o.force = true; break;
        case 'password': case 'socket': case 'connect-timeout': case 'defaults-file': case 'defaults-extra-file':
        case 'protocol': case 'default-character-set': case 'init-command': case 'no-auto-rehash': case 'skip-ssl': case 'ssl': case 'unbuffered': case 'quick':
          break;
        default:
          return `unknown option '--${name}'`;
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if (f === 'p') break; // -p / -pSECRET: the lab does not check passwords (never echoed)
        if (WITH_VALUE.has(f)) {
          const v = a.slice(k + 1) || argv[++i];
          if (f === 'e') o.execute = v;
          else if (f === 'h') o.host = v;
          else if (f === 'u') o.user = v ?? 'root';
          else if (f === 'P') o.port = Number(v);
          else if (f === 'D') o.db = v;
          break;
        }
        if (f === 's') o.silent++;
        else if (f === 'N') o.skipNames = true;
        else if (f === 'B' || f === 'A' || f === 'q' || f === 'n' || f === 'w') continue;
        else if (f === 't') o.table = true;
        else if (f === 'E') o.vertical = true;
        else if (f === 'r') o.raw = true;
        else if (f === 'f') o.force = true;
        else return `unknown option '-${f}'`;
      }
      continue;
    }
    o.db = a;
  }
  return o;
}

type Target = { ok: true; machine: LabMachine; my: MysqlState } | { ok: false; message: string };

/** The server the client reaches, or the client's connection error. */
function connect(ctx: CmdContext, o: ClientOpts): Target {
  const self = ctx.machine;
  const mariaClient = self.mysql?.flavor !== 'mysql';
  const localHost = !o.host || o.host === 'localhost' || o.host === '127.0.0.1' || o.host === '::1';
  if (localHost) {
    const my = self.mysql;
    if (my?.running) return { ok: true, machine: self, my };
    // A killed server leaves its socket file behind (ECONNREFUSED); a clean stop removes it (ENOENT).
    const unit = self.services.find((x) => x.name === 'mariadb' || x.name === 'mysql');
    const errno = my && (unit?.failedReason || extras(my).crashed) ? 111 : 2;
    if (o.host === '127.0.0.1') {
      return { ok: false, message: mariaClient ? `ERROR 2002 (HY000): Can't connect to server on '127.0.0.1' (115)` : `ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:3306' (111)` };
    }
    return {
      ok: false,
      message: mariaClient
        ? `ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (${errno})`
        : `ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (${errno})`,
    };
  }
  const host = o.host!;
  const addr = isIpv4(host) ? host : resolveHost(ctx.world, self, host);
  if (!addr) return { ok: false, message: mariaClient ? `ERROR 2005 (HY000): Unknown server host '${host}' (-2)` : `ERROR 2005 (HY000): Unknown MySQL server host '${host}' (-2)` };
  const d = destination(ctx.world, self, addr);
  const refused = (errno: number) => ({
    ok: false as const,
    message: mariaClient ? `ERROR 2002 (HY000): Can't connect to server on '${host}' (${errno})` : `ERROR 2003 (HY000): Can't connect to MySQL server on '${host}:${o.port ?? 3306}' (${errno})`,
  });
  if (d.kind === 'none') return refused(113);
  if (d.kind === 'silent') return refused(110);
  const my = d.machine.mysql;
  if (!my || !my.running) return refused(111);
  return { ok: true, machine: d.machine, my };
}

export async function mysqlClient(ctx: CmdContext): Promise<number> {
  const o = parseArgs(ctx.argv);
  if (typeof o === 'string') {
    ctx.err(`${ctx.argv[0]}: ${o}\n`);
    return 7;
  }
  const input = o.execute ?? ctx.stdin;
  const target = connect(ctx, o);
  if (!target.ok) {
    ctx.err(target.message + '\n');
    return 1;
  }
  replicationTicker(ctx.world);
  if (o.db && !extras(target.my).databases.has(o.db)) {
    ctx.err(`ERROR 1049 (42000): Unknown database '${o.db}'\n`);
    return 1;
  }
  const session: Session = { world: ctx.world, server: target.machine, my: target.my, db: o.db, user: o.user, sleep: (ms) => ctx.sleep(ms) };
  const headers = !o.skipNames && o.silent < 2;
  let code = 0;
  for (const st of splitStatements(input)) {
    const r = await execute(session, st);
    if (r.error) {
      ctx.err(`ERROR ${r.error.code} (${r.error.state}) at line ${st.line}: ${r.error.message}\n`);
      code = 1;
      if (!o.force) break;
      continue;
    }
    if (!r.rs || r.rs.columns.length === 0) continue;
    if (st.vertical || o.vertical) ctx.out(formatVertical(r.rs));
    else if (o.table) ctx.out(formatTable(r.rs, headers));
    else ctx.out(formatBatch(r.rs, headers, o.raw));
  }
  return code;
}

/** `mysqladmin ping|status` (enough for health checks). */
export function mysqladmin(ctx: CmdContext): number {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const o = parseArgs(['mysqladmin', ...ctx.argv.slice(1).filter((a) => a.startsWith('-'))]);
  const opts = typeof o === 'string' ? parseArgs(['mysqladmin']) as ClientOpts : o;
  const target = connect(ctx, opts);
  const verb = args[0] ?? '';
  if (!target.ok) {
    const what = target.message.replace(/^ERROR \d+ \(\w+\): /, '');
    ctx.err(`mysqladmin: connect to server at '${opts.host ?? 'localhost'}' failed\nerror: '${what}'\n`);
    if (verb === 'ping') ctx.err("Check that mysqld is running and that the socket: '/run/mysqld/mysqld.sock' exists!\n");
    return 1;
  }
  if (verb === 'ping') {
    ctx.out('mysqld is alive\n');
    return 0;
  }
  if (verb === 'status') {
    const up = Math.max(0, Math.floor((ctx.world.now() - target.machine.bootedAt) / 1000));
    ctx.out(`Uptime: ${up}  Threads: 2  Questions: ${100 + target.my.writes}  Slow queries: 0  Opens: 33  Open tables: 26  Queries per second avg: 0.001\n`);
    return 0;
  }
  ctx.err(`mysqladmin: Unknown command: '${verb}'\n`);
  return 1;
}

export const mysql: LabModule = {
  commands: { mysql: mysqlClient, mariadb: mysqlClient, mysqladmin, 'mariadb-admin': mysqladmin },
  tickers: [replicationTicker],
};
