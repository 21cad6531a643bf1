/**
 * systemd as the lab's machines answer it: `systemctl is-active|is-enabled|is-failed|status|
 * start|stop|restart|reload|enable|disable|--failed`. Starting or stopping keepalived and
 * MariaDB/MySQL acts on the world (VIPs, IPVS table, replication); see netlib/keepalived.ts.
 */
import type { LabMachine, LabService } from '../state.js';
import type { CmdContext, LabModule } from '../shell/types.js';
import { keepalivedTicker } from './netlib/keepalived.js';
import { journalTimestamp, relativeAgo, systemdTimestamp } from './netlib/systime.js';
import { findUnit, unitActive, unitBase, unitSince, unitState } from './netlib/units.js';

import { BINARIES, bootTicker, description, pidOf, startService, stopService, type ServiceResult } from './serviceState.js';

export { crashMysqlPrimary, breakReplicaSql } from './mysqllib/server.js';
export { machineBooted, refuseStart, startService, stopService, type ServiceResult } from './serviceState.js';
export { vipHolder } from './netlib/addr.js';

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
