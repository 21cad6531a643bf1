/**
 * systemd as the lab's machines answer it: `systemctl is-active|is-enabled|is-failed|status|
 * start|stop|restart|reload|enable|disable|--failed`. Starting or stopping keepalived and
 * MariaDB/MySQL acts on the world (VIPs, IPVS table, replication); see netlib/keepalived.ts.
 */
import type { LabMachine, LabService } from '../state.js';
import type { LabWorld } from '../world.js';
import type { CmdContext, LabModule } from '../shell/types.js';
import { answers } from './netlib/addr.js';
import { keepalivedBooted, keepalivedStarted, keepalivedStopped, keepalivedTicker } from './netlib/keepalived.js';
import { journalTimestamp, relativeAgo, systemdTimestamp } from './netlib/systime.js';
import { findUnit, isDbUnit, markSince, setStartFailure, startFailure, unitActive, unitBase, unitSince, unitState } from './netlib/units.js';
import { crashMysqlPrimary, mysqlStarted, mysqlStopped } from './mysqllib/server.js';

export { crashMysqlPrimary, breakReplicaSql } from './mysqllib/server.js';
export { vipHolder } from './netlib/addr.js';

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

function description(m: LabMachine, s: LabService): string {
  if (s.name === 'mariadb') return `MariaDB ${m.mysql?.version.replace(/-.*$/, '') ?? '10.11.6'} database server`;
  return DESCRIPTIONS[s.name] ?? `${s.name}.service`;
}

function pidOf(m: LabMachine, s: LabService): number {
  let h = 7;
  for (const c of `${m.name}/${s.name}/${unitSince(m, s)}`) h = (h * 31 + c.charCodeAt(0)) % 30000;
  return 400 + h;
}

/** Main binary per unit, for the CGroup line. */
const BINARIES: Record<string, string> = {
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

function bootTicker(world: LabWorld): void {
  for (const m of world.machines.values()) {
    const key = `${m.boot}:${m.bootedAt}`;
    const prev = lastSeen.get(m);
    lastSeen.set(m, key);
    if (prev !== undefined && prev !== key && m.boot === 'up' && answers(m)) machineBooted(world, m);
  }
}

// ---------------------------------------------------------------- systemctl

function activeLine(m: LabMachine, s: LabService, now: number): string {
  const since = unitSince(m, s);
  const when = `since ${systemdTimestamp(since)}; ${relativeAgo(now - since)}`;
  const st = unitState(m, s);
  if (st === 'active') return `active (running) ${when}`;
  if (st === 'failed') {
    const result = /signal|kill/i.test(s.failedReason ?? '') ? 'signal' : 'exit-code';
    return `failed (Result: ${result}) ${when}`;
  }
  return `inactive (dead) ${when}`;
}

function statusText(m: LabMachine, s: LabService, now: number): string {
  const st = unitState(m, s);
  const dot = st === 'active' ? '●' : st === 'failed' ? '×' : '○';
  const lines = [
    `${dot} ${s.name}.service - ${description(m, s)}`,
    `     Loaded: loaded (/lib/systemd/system/${s.name}.service; ${s.enabled ? 'enabled' : 'disabled'}; preset: enabled)`,
    `     Active: ${activeLine(m, s, now)}`,
  ];
  const host = m.hostname;
  const at = journalTimestamp(unitSince(m, s));
  const pid = pidOf(m, s);
  if (st === 'active') {
    lines.push(
      `   Main PID: ${pid} (${s.name === 'mariadb' ? 'mariadbd' : s.name})`,
      `      Tasks: ${s.name === 'mariadb' || s.name === 'mysql' ? 14 : 3} (limit: 38400)`,
      `     Memory: ${s.name === 'mariadb' || s.name === 'mysql' ? '412.6M' : '6.1M'}`,
      `        CPU: ${1 + (pid % 97)}.${pid % 1000}s`,
      `     CGroup: /system.slice/${s.name}.service`,
      `             └─${pid} ${BINARIES[s.name] ?? `/usr/sbin/${s.name}`}`,
      '',
      `${at} ${host} systemd[1]: Starting ${s.name}.service - ${description(m, s)}...`,
      `${at} ${host} systemd[1]: Started ${s.name}.service - ${description(m, s)}.`,
    );
  } else if (st === 'failed') {
    lines.push(
      `    Process: ${pid} ExecStart=${BINARIES[s.name] ?? `/usr/sbin/${s.name}`} (code=${/kill|signal/i.test(s.failedReason ?? '') ? 'killed, signal=KILL' : 'exited, status=1/FAILURE'})`,
      `   Main PID: ${pid} (code=${/kill|signal/i.test(s.failedReason ?? '') ? 'killed, signal=KILL' : 'exited, status=1/FAILURE'})`,
      '',
      `${at} ${host} systemd[1]: ${s.name}.service: ${s.failedReason}`,
      `${at} ${host} systemd[1]: ${s.name}.service: Failed with result '${/kill|signal/i.test(s.failedReason ?? '') ? 'signal' : 'exit-code'}'.`,
    );
  } else {
    lines.push('', `${at} ${host} systemd[1]: Stopped ${s.name}.service - ${description(m, s)}.`);
  }
  return lines.join('\n') + '\n';
}

const FAILED_LEGEND = [
  '',
  'LOAD   = Reflects whether the unit definition was properly loaded.',
  'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
  'SUB    = The low-level unit activation state, values depend on unit type.',
];

function listFailed(ctx: CmdContext): number {
  const m = ctx.machine;
  const failed = m.services.filter((s) => unitState(m, s) === 'failed');
  if (failed.length === 0) {
    ctx.out('  UNIT LOAD ACTIVE SUB DESCRIPTION\n0 loaded units listed.\n');
    return 0;
  }
  const names = failed.map((s) => `${s.name}.service`);
  const w = Math.max(4, ...names.map((n) => n.length));
  const rows = [`  ${'UNIT'.padEnd(w)} LOAD   ACTIVE SUB    DESCRIPTION`];
  failed.forEach((s, i) => rows.push(`● ${names[i].padEnd(w)} loaded failed failed ${description(m, s)}`));
  ctx.out([...rows, ...FAILED_LEGEND, `${failed.length} loaded units listed.`].join('\n') + '\n');
  return 0;
}

export async function systemctl(ctx: CmdContext): Promise<number> {
  const { machine: m, world } = ctx;
  const args = ctx.argv.slice(1);
  let quiet = false;
  let failedList = false;
  let now = false;
  const rest: string[] = [];
  for (const a of args) {
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--failed' || a === '--state=failed') failedList = true;
    else if (a === '--now') now = true;
    else if (a === '--no-pager' || a === '-l' || a === '--full' || a === '--no-legend' || a === '--plain' || a === '--system' || a.startsWith('--lines=') || a === '-n0') continue;
    else if (a === '--type=service' || a === '-t') continue;
    else if (a.startsWith('-') && a !== '-') {
      ctx.err(`systemctl: unrecognized option '${a}'\n`);
      return 1;
    } else rest.push(a);
  }
  const verb = rest[0] ?? (failedList ? 'list-units' : 'list-units');
  const units = rest.slice(1);
  if (failedList && (verb === 'list-units' || rest.length === 0)) return listFailed(ctx);

  switch (verb) {
    case 'is-active': {
      if (units.length === 0) return tooFew(ctx);
      let all = true;
      for (const u of units) {
        const s = findUnit(m, u);
        const st = s ? unitState(m, s) : 'inactive';
        if (st !== 'active') all = false;
        if (!quiet) ctx.out(`${st}\n`);
      }
      return all ? 0 : 3;
    }
    case 'is-failed': {
      if (units.length === 0) return tooFew(ctx);
      let any = false;
      for (const u of units) {
        const s = findUnit(m, u);
        const st = s ? unitState(m, s) : 'inactive';
        if (st === 'failed') any = true;
        if (!quiet) ctx.out(`${st}\n`);
      }
      return any ? 0 : 1;
    }
    case 'is-enabled': {
      if (units.length === 0) return tooFew(ctx);
      let all = true;
      for (const u of units) {
        const s = findUnit(m, u);
        if (!s) {
          ctx.err(`Failed to get unit file state for ${unitBase(u)}.service: No such file or directory\n`);
          all = false;
          continue;
        }
        if (!s.enabled) all = false;
        if (!quiet) ctx.out(`${s.enabled ? 'enabled' : 'disabled'}\n`);
      }
      return all ? 0 : 1;
    }
    case 'status': {
      if (units.length === 0) {
        ctx.out(`● ${m.hostname}\n    State: ${m.services.some((s) => unitState(m, s) === 'failed') ? 'degraded' : 'running'}\n    Units: ${m.services.length} loaded (incl. loaded aliases)\n     Jobs: 0 queued\n   Failed: ${m.services.filter((s) => unitState(m, s) === 'failed').length} units\n    Since: ${systemdTimestamp(m.bootedAt)}; ${relativeAgo(world.now() - m.bootedAt)}\n`);
        return 0;
      }
      let code = 0;
      const texts: string[] = [];
      for (const u of units) {
        const s = findUnit(m, u);
        if (!s) {
          ctx.err(`Unit ${unitBase(u)}.service could not be found.\n`);
          code = 4;
          continue;
        }
        texts.push(statusText(m, s, world.now()));
        if (unitState(m, s) !== 'active' && code === 0) code = 3;
      }
      if (texts.length) ctx.out(texts.join('\n'));
      return code;
    }
    case 'start':
    case 'stop':
    case 'restart':
    case 'try-restart':
    case 'reload':
    case 'reload-or-restart': {
      if (units.length === 0) return tooFew(ctx);
      let code = 0;
      for (const u of units) {
        const r = runJob(ctx, verb, u);
        if (r !== 0) code = r;
      }
      return code;
    }
    case 'enable':
    case 'disable': {
      if (units.length === 0) return tooFew(ctx);
      for (const u of units) {
        const s = findUnit(m, u);
        if (!s) {
          ctx.err(`Failed to ${verb} unit: Unit file ${unitBase(u)}.service does not exist.\n`);
          return 1;
        }
        const link = `/etc/systemd/system/multi-user.target.wants/${s.name}.service`;
        if (verb === 'enable' && !s.enabled) {
          s.enabled = true;
          ctx.err(`Created symlink ${link} → /lib/systemd/system/${s.name}.service.\n`);
        } else if (verb === 'disable' && s.enabled) {
          s.enabled = false;
          ctx.err(`Removed "${link}".\n`);
        }
        if (now) {
          const r = runJob(ctx, verb === 'enable' ? 'start' : 'stop', u);
          if (r !== 0) return r;
        }
      }
      return 0;
    }
    case 'list-units': {
      const rows = m.services.map((s) => {
        const st = unitState(m, s);
        const sub = st === 'active' ? 'running' : st === 'failed' ? 'failed' : 'dead';
        return { unit: `${s.name}.service`, st, sub, desc: description(m, s), bad: st === 'failed' };
      });
      const w = Math.max(4, ...rows.map((r) => r.unit.length));
      const out = [`  ${'UNIT'.padEnd(w)} LOAD   ACTIVE   SUB     DESCRIPTION`];
      for (const r of rows) out.push(`${r.bad ? '●' : ' '} ${r.unit.padEnd(w)} loaded ${r.st.padEnd(8)} ${r.sub.padEnd(7)} ${r.desc}`);
      ctx.out([...out, ...FAILED_LEGEND, `${rows.length} loaded units listed.`].join('\n') + '\n');
      return 0;
    }
    case 'daemon-reload':
      return 0;
    default:
      ctx.err(`Unknown command verb '${verb}'.\n`);
      return 1;
  }
}

function tooFew(ctx: CmdContext): number {
  ctx.err('Too few arguments.\n');
  return 1;
}

function runJob(ctx: CmdContext, verb: string, u: string): number {
  const { machine: m, world } = ctx;
  const s = findUnit(m, u);
  const base = unitBase(u);
  if (!s) {
    const what = verb === 'stop' ? 'not loaded' : 'not found';
    const v = verb === 'reload-or-restart' ? 'reload-or-restart' : verb;
    ctx.err(`Failed to ${v} ${base}.service: Unit ${base}.service ${what}.\n`);
    return 5;
  }
  const report = (r: ServiceResult): number => {
    if (r.ok) return 0;
    ctx.err(`${r.message}\n`);
    return r.code;
  };
  switch (verb) {
    case 'start':
      return report(startService(world, m, s.name));
    case 'stop':
      return report(stopService(world, m, s.name));
    case 'restart':
      stopService(world, m, s.name);
      return report(startService(world, m, s.name));
    case 'try-restart':
      if (!unitActive(m, s)) return 0;
      stopService(world, m, s.name);
      return report(startService(world, m, s.name));
    case 'reload':
      if (!unitActive(m, s)) {
        ctx.err(`${s.name}.service is not active, cannot reload.\n`);
        return 1;
      }
      return 0;
    case 'reload-or-restart':
      if (unitActive(m, s)) return 0;
      return report(startService(world, m, s.name));
  }
  return 0;
}

export const services: LabModule = {
  commands: { systemctl },
  tickers: [bootTicker, keepalivedTicker],
};
