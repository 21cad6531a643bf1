/**
 * Services of the lab's machines as state: starting and stopping them (keepalived and MariaDB/MySQL
 * act on the world: VIPs, IPVS, replication), refusing a start, and what a boot brings up.
 */
import type { LabMachine, LabService } from '../state.js';
import type { LabWorld } from '../world.js';
import { answers } from './netlib/addr.js';
import { keepalivedBooted, keepalivedStarted, keepalivedStopped } from './netlib/keepalived.js';
import { findUnit, isDbUnit, markSince, setStartFailure, startFailure, unitActive, unitBase, unitSince } from './netlib/units.js';
import { crashMysqlPrimary, mysqlStarted, mysqlStopped } from './mysqllib/server.js';

const DESCRIPTIONS: Record<string, string> = {
  nginx: 'A high performance web server and a reverse proxy server',
  apache2: 'The Apache HTTP Server',
  keepalived: 'Keepalive Daemon (LVS and VRRP)',
  ipvsadm: 'LSB: ipvsadm daemon',
  mysql: 'MySQL Community Server',
  ssh: 'OpenBSD Secure Shell server',
  postfix: 'Postfix Mail Transport Agent',
  dovecot: 'Dovecot IMAP/POP3 email server',
  'nfs-server': 'NFS server and services',
  cron: 'Regular background program processing daemon',
  rsyslog: 'System Logging Service',
  haproxy: 'HAProxy Load Balancer',
  'php8.2-fpm': 'The PHP 8.2 FastCGI Process Manager',
  mailman3: 'Mailman3 server',
  pveproxy: 'PVE API Proxy Server',
  pvedaemon: 'PVE API Daemon',
  'pve-cluster': 'The Proxmox VE cluster filesystem',
  corosync: 'Corosync Cluster Engine',
  conserver: 'LSB: conserver serial-port console daemon',
  bind9: 'BIND Domain Name Server',
  named: 'BIND Domain Name Server',
  'zfs-zed': 'ZFS Event Daemon (zed)',
  smartmontools: 'Self Monitoring and Reporting Technology (SMART) Daemon',
  mdmonitor: 'MD array monitor',
};

export function description(m: LabMachine, s: LabService): string {
  if (s.name === 'mariadb') return `MariaDB ${m.mysql?.version.replace(/-.*$/, '') ?? '10.11.6'} database server`;
  return DESCRIPTIONS[s.name] ?? `${s.name}.service`;
}

export function pidOf(m: LabMachine, s: LabService): number {
  let h = 7;
  for (const c of `${m.name}/${s.name}/${unitSince(m, s)}`) h = (h * 31 + c.charCodeAt(0)) % 30000;
  return 400 + h;
}

/** Main binary per unit, for the CGroup line. */
export const BINARIES: Record<string, string> = {
  nginx: '"nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"',
  apache2: '/usr/sbin/apache2 -k start',
  keepalived: '/usr/sbin/keepalived --dont-fork',
  mariadb: '/usr/sbin/mariadbd',
  mysql: '/usr/sbin/mysqld',
  ssh: '"sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"',
  postfix: '/usr/lib/postfix/sbin/master -w',
};

// ---------------------------------------------------------------- world-level actions

export type ServiceResult = { ok: true } | { ok: false; code: number; message: string };

/** Start a unit on a machine, with its effects on the world. */
export function startService(world: LabWorld, m: LabMachine, name: string): ServiceResult {
  const s = findUnit(m, name);
  if (!s) return { ok: false, code: 5, message: `Failed to start ${unitBase(name)}.service: Unit ${unitBase(name)}.service not found.` };
  if (unitActive(m, s)) return { ok: true };
  const fail = startFailure(s);
  if (fail) {
    s.active = false;
    s.failedReason = fail;
    markSince(s, world.now());
    if (isDbUnit(s.name) && m.mysql) m.mysql.running = false;
    return {
      ok: false,
      code: 1,
      message: `Job for ${s.name}.service failed because the control process exited with error code.\nSee "systemctl status ${s.name}.service" and "journalctl -xeu ${s.name}.service" for details.`,
    };
  }
  s.active = true;
  s.failedReason = undefined;
  markSince(s, world.now());
  if (s.name === 'keepalived') keepalivedStarted(world, m);
  if (isDbUnit(s.name)) mysqlStarted(world, m);
  return { ok: true };
}

/**
 * Stop a unit. With `reason` it is a failure (shown as `failed` with that result), e.g. a
 * crash injected by a fault; without, a clean stop.
 */
export function stopService(world: LabWorld, m: LabMachine, name: string, reason?: string): ServiceResult {
  const s = findUnit(m, name);
  if (!s) return { ok: false, code: 5, message: `Failed to stop ${unitBase(name)}.service: Unit ${unitBase(name)}.service not loaded.` };
  const wasActive = unitActive(m, s);
  s.active = false;
  s.failedReason = reason;
  if (wasActive || reason) markSince(s, world.now());
  if (s.name === 'keepalived') keepalivedStopped(world, m);
  if (isDbUnit(s.name)) {
    if (reason) crashMysqlPrimary(world, m, reason);
    else mysqlStopped(m);
  }
  return { ok: true };
}

/** Make the next `systemctl start NAME` fail with `reason` (undefined clears it). */
export function refuseStart(m: LabMachine, name: string, reason: string | undefined): void {
  const s = findUnit(m, name);
  if (s) setStartFailure(s, reason);
}

// ---------------------------------------------------------------- boot detection

const lastSeen = new WeakMap<LabMachine, string>();

/** A machine that just finished booting starts its enabled units and lost runtime state. */
export function machineBooted(world: LabWorld, m: LabMachine): void {
  keepalivedBooted(m);
  for (const s of m.services) {
    s.failedReason = undefined;
    s.active = false;
    if (isDbUnit(s.name) && m.mysql) m.mysql.running = false;
  }
  for (const s of m.services) {
    markSince(s, m.bootedAt);
    if (s.enabled) startService(world, m, s.name);
  }
}

export function bootTicker(world: LabWorld): void {
  for (const m of world.machines.values()) {
    const key = `${m.boot}:${m.bootedAt}`;
    const prev = lastSeen.get(m);
    lastSeen.set(m, key);
    if (prev !== undefined && prev !== key && m.boot === 'up' && answers(m)) machineBooted(world, m);
  }
}
