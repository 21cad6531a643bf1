/**
 * MariaDB/MySQL servers in the lab: replication threads following their primary,
 * start/stop/crash, and the lab-only extras a MysqlState does not carry.
 */
import type { LabMachine, MysqlState } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { answers, destination, isIpv4, primaryAddr, resolveHost } from '../netlib/addr.js';
import { findUnit, markSince } from '../netlib/units.js';
import { gtidBump, gtidMerge } from './gtid.js';

type Replica = NonNullable<MysqlState['replica']>;

/** Lab-only server facts: kept beside the state (plain data stays the contract). */
export interface ServerExtras {
  /** Databases → tables → row count. */
  databases: Map<string, Map<string, number>>;
  /** gtid_slave_pos kept after RESET SLAVE ALL. */
  retainedSlavePos: string;
  useGtid: 'Slave_Pos' | 'Current_Pos' | 'No';
  connectRetry: number;
  /** A replicated event that fails every time the SQL thread starts, until skipped. */
  stickySqlError?: { errno: number; message: string };
  skipCounter: number;
  superReadOnly: boolean;
  /** Socket file left behind by a crash (errno 111 instead of 2). */
  crashed: boolean;
  /** MySQL server_uuid. */
  uuid: string;
  /** server_id of the primary, as last seen by the IO thread. */
  masterServerId: number;
}

const extrasMap = new WeakMap<MysqlState, ServerExtras>();

export function extras(my: MysqlState): ServerExtras {
  let e = extrasMap.get(my);
  if (!e) {
    const hex = (my.serverId * 2654435761 >>> 0).toString(16).padStart(8, '0');
    e = {
      databases: new Map([
        ['information_schema', new Map()],
        ['mysql', new Map()],
        ['performance_schema', new Map()],
        ['sys', new Map()],
      ]),
      retainedSlavePos: my.replica?.gtidSlavePos ?? '',
      useGtid: 'Slave_Pos',
      connectRetry: 60,
      skipCounter: 0,
      superReadOnly: false,
      crashed: false,
      masterServerId: 1,
      uuid: `${hex}-0000-11ef-8000-0242ac1100${String(my.serverId % 100).padStart(2, '0')}`,
    };
    extrasMap.set(my, e);
  }
  return e;
}

/** The machine a replica's MASTER_HOST points at (address, VIP or name). */
export function masterMachine(world: LabWorld, self: LabMachine, host: string): LabMachine | undefined {
  const addr = isIpv4(host) ? host : resolveHost(world, self, host);
  if (!addr) return undefined;
  const d = destination(world, self, addr);
  return d.kind === 'none' ? undefined : d.machine;
}

/** Why a replica cannot reach its primary (socket errno and its text), or undefined when it can. */
export function masterUnreachable(world: LabWorld, self: LabMachine, rep: Replica): { errno: number; desc: string } | undefined {
  const addr = isIpv4(rep.masterHost) ? rep.masterHost : resolveHost(world, self, rep.masterHost);
  if (!addr) return { errno: -2, desc: 'Name or service not known' };
  if (self.networkDown) return { errno: 101, desc: 'Network is unreachable' };
  const d = destination(world, self, addr);
  if (d.kind === 'none') return { errno: 113, desc: 'No route to host' };
  if (d.kind === 'silent') return { errno: 110, desc: 'Connection timed out' };
  const my = d.machine.mysql;
  if (!my || !my.running) return { errno: 111, desc: 'Connection refused' };
  return undefined;
}

/** Last_IO_Error as each server writes it. */
export function ioErrorText(self: MysqlState, rep: Replica, why: { errno: number; desc: string }): string {
  if (self.flavor === 'mysql') {
    return `Error reconnecting to source '${rep.masterUser}@${rep.masterHost}:${rep.masterPort}'. This was attempt 1/10, with a delay of ${extras(self).connectRetry} seconds between attempts. Message: Can't connect to MySQL server on '${rep.masterHost}:${rep.masterPort}' (${why.errno})`;
  }
  return `error reconnecting to master '${rep.masterUser}@${rep.masterHost}:${rep.masterPort}' - retry-time: ${extras(self).connectRetry}  maximum-retries: 100000  message: Can't connect to server on '${rep.masterHost}' (${why.errno} "${why.desc}")`;
}

/** One replica brought up to date with its primary. */
export function replicateOnce(world: LabWorld, m: LabMachine): void {
  const my = m.mysql;
  const rep = my?.replica;
  if (!my || !rep || !my.running || !answers(m)) return;
  const ex = extras(my);
  let connected = false;
  if (rep.ioRunning) {
    const why = masterUnreachable(world, m, rep);
    if (why) {
      rep.lastIoError = ioErrorText(my, rep, why);
    } else {
      connected = true;
      rep.lastIoError = '';
      const master = masterMachine(world, m, rep.masterHost)!;
      rep.gtidIoPos = gtidMerge(rep.gtidIoPos, master.mysql!.gtidBinlogPos);
      ex.masterServerId = master.mysql!.serverId;
    }
  }
  if (rep.sqlRunning && ex.stickySqlError) {
    rep.sqlRunning = false;
    rep.lastSqlError = ex.stickySqlError.message;
  }
  if (rep.sqlRunning) {
    rep.gtidSlavePos = gtidMerge(rep.gtidSlavePos, rep.gtidIoPos);
    // log_slave_updates: applied events land in the replica's own binlog.
    my.gtidBinlogPos = gtidMerge(my.gtidBinlogPos, rep.gtidSlavePos);
  }
  rep.secondsBehind = connected && rep.sqlRunning ? 0 : null;
}

/** Ticker: every replica follows its primary. */
export function replicationTicker(world: LabWorld): void {
  for (const m of world.machines.values()) replicateOnce(world, m);
}

/** A write committed on this server: the binlog position moves on. */
export function commitWrite(my: MysqlState): void {
  my.gtidBinlogPos = gtidBump(my.gtidBinlogPos, my.serverId, my.flavor === 'mysql' ? extras(my).uuid : undefined);
  my.writes += 1;
}

function dbUnit(m: LabMachine) {
  return findUnit(m, 'mariadb') ?? findUnit(m, 'mysql');
}

/** The server process started (systemctl start, boot). */
export function mysqlStarted(world: LabWorld, m: LabMachine): void {
  if (!m.mysql) return;
  m.mysql.running = true;
  extras(m.mysql).crashed = false;
  replicateOnce(world, m);
}

/** The server was shut down cleanly. */
export function mysqlStopped(m: LabMachine): void {
  if (!m.mysql) return;
  m.mysql.running = false;
  if (m.mysql.replica) m.mysql.replica.secondsBehind = null;
}

/**
 * The server process died (fault): `systemctl status` shows it failed, clients get
 * errno 111 on the stale socket, replicas start reconnecting.
 */
export function crashMysqlPrimary(world: LabWorld, m: LabMachine, reason = "Main process exited, code=killed, status=9/KILL"): void {
  if (!m.mysql) return;
  m.mysql.running = false;
  extras(m.mysql).crashed = true;
  const u = dbUnit(m);
  if (u) {
    u.active = false;
    u.failedReason = reason;
    markSince(u, world.now());
  }
  replicationTicker(world);
}

/** A replicated event that the replica's SQL thread cannot apply (fault). */
export function breakReplicaSql(world: LabWorld, m: LabMachine, errno = 1062, message?: string): void {
  const my = m.mysql;
  if (!my?.replica) return;
  const text = message ?? `Error 'Duplicate entry '1' for key 'PRIMARY'' on query. Default database: 'app'. Query: 'INSERT INTO sessions VALUES (1)'`;
  extras(my).stickySqlError = { errno, message: text };
  my.replica.sqlRunning = false;
  my.replica.lastSqlError = text;
  my.replica.secondsBehind = null;
}

/** Address the replica's own machine is known by (for messages). */
export function serverAddr(m: LabMachine): string {
  return primaryAddr(m) ?? m.name;
}
