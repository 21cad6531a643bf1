/** hostname, uptime, date, uname, whoami, id, env, pwd, sleep, sync, true, false. */
import type { LabMachine } from '../../state.js';
import type { CmdContext, LabCommand } from '../types.js';
import { makeContext } from '../context.js';
import { dateDefault, strftime, uptimeLine, uptimePretty } from '../timefmt.js';
import { options, usageError } from './io.js';

export const hostname: LabCommand = (ctx) => {
  const o = options(ctx, 'hostname', { flags: 'sfdiIAa', long: { short: 's', fqdn: 'f', long: 'f', 'ip-address': 'i', 'all-ip-addresses': 'I' } });
  if (!o) return 1;
  const m = ctx.machine;
  if (o.flags.has('I')) {
    const addrs = m.ifaces.filter((i) => i.up && i.name !== 'lo').flatMap((i) => i.addrs.map((a) => a.split('/')[0]));
    ctx.out(addrs.map((a) => a + ' ').join('') + '\n');
    return 0;
  }
  if (o.flags.has('i')) {
    ctx.out(`${m.address}\n`);
    return 0;
  }
  if (o.operands.length) {
    m.hostname = o.operands[0];
    return 0;
  }
  if (o.flags.has('s')) ctx.out(`${m.hostname.split('.')[0]}\n`);
  else if (o.flags.has('d')) ctx.out(`${m.hostname.split('.').slice(1).join('.')}\n`);
  else ctx.out(`${m.hostname}\n`);
  return 0;
};

export const uptime: LabCommand = (ctx) => {
  const o = options(ctx, 'uptime', { flags: 'psh', long: { pretty: 'p', since: 's' } });
  if (!o) return 1;
  const now = ctx.world.now();
  const m = ctx.machine;
  if (o.flags.has('p')) ctx.out(uptimePretty(now, m.bootedAt) + '\n');
  else if (o.flags.has('s')) ctx.out(strftime(m.bootedAt, '%Y-%m-%d %H:%M:%S') + '\n');
  else ctx.out(uptimeLine(now, m.bootedAt, m.load) + '\n');
  return 0;
};

/** `@1700000000`, `now`, ISO dates (UTC unless they name a zone), `yesterday`. */
function parseDate(s: string, now: number): number | undefined {
  const t = s.trim();
  if (/^@-?\d+(\.\d+)?$/.test(t)) return Math.floor(Number(t.slice(1)) * 1000);
  if (t === '' || t === 'now') return now;
  if (t === 'yesterday') return now - 86_400_000;
  if (t === 'tomorrow') return now + 86_400_000;
  const rel = /^(-?\d+)\s*(second|minute|hour|day|week)s?(\s+ago)?$/.exec(t);
  if (rel) {
    const unit = { second: 1e3, minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8 }[rel[2] as 'day'];
    return now + Number(rel[1]) * unit * (rel[3] ? -1 : 1);
  }
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(t);
  const ms = iso ? Date.parse(`${iso[1]}T${iso[2] ?? '00:00:00'}Z`) : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

export const date: LabCommand = (ctx) => {
  const o = options(ctx, 'date', { flags: 'uRI', withValue: 'd', long: { utc: 'u', universal: 'u', 'rfc-email': 'R', 'date=': 'd', 'iso-8601': 'I' } });
  if (!o) return 1;
  let when = ctx.world.now();
  const d = o.values.get('d')?.at(-1);
  if (d !== undefined) {
    const parsed = parseDate(d, when);
    if (parsed === undefined) {
      ctx.err(`date: invalid date '${d}'\n`);
      return 1;
    }
    when = parsed;
  }
  const fmt = o.operands.find((a) => a.startsWith('+'));
  const extra = o.operands.find((a) => !a.startsWith('+'));
  if (extra !== undefined) {
    ctx.err(`date: invalid date '${extra}'\n`);
    return 1;
  }
  if (fmt !== undefined) ctx.out(strftime(when, fmt.slice(1)) + '\n');
  else if (o.flags.has('R')) ctx.out(strftime(when, '%a, %d %b %Y %H:%M:%S %z') + '\n');
  else if (o.flags.has('I')) ctx.out(strftime(when, '%Y-%m-%d') + '\n');
  else ctx.out(dateDefault(when) + '\n');
  return 0;
};

function isProxmox(m: LabMachine): boolean {
  return m.cluster !== undefined || m.roles.some((r) => /^(pve|proxmox)/i.test(r));
}

/** Kernel release and version: a scenario may set /proc/sys/kernel/osrelease in m.files. */
export function kernel(m: LabMachine): { release: string; version: string } {
  const set = m.files['/proc/sys/kernel/osrelease']?.trim();
  if (isProxmox(m)) return { release: set || '6.8.12-4-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)' };
  return { release: set || '6.1.0-27-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)' };
}

export const uname: LabCommand = (ctx) => {
  const o = options(ctx, 'uname', {
    flags: 'asnrvmpio',
    long: { all: 'a', 'kernel-name': 's', nodename: 'n', 'kernel-release': 'r', 'kernel-version': 'v', machine: 'm', processor: 'p', 'hardware-platform': 'i', 'operating-system': 'o' },
  });
  if (!o) return 1;
  if (o.operands.length) return usageError(ctx, 'uname', `extra operand '${o.operands[0]}'`);
  const k = kernel(ctx.machine);
  const all = o.flags.has('a');
  const want = (f: string): boolean => all || o.flags.has(f);
  const parts: string[] = [];
  if (want('s') || o.flags.size === 0) parts.push('Linux');
  if (want('n')) parts.push(ctx.machine.hostname);
  if (want('r')) parts.push(k.release);
  if (want('v')) parts.push(k.version);
  if (want('m')) parts.push('x86_64');
  if (o.flags.has('p')) parts.push('unknown');
  if (o.flags.has('i')) parts.push('unknown');
  if (want('o')) parts.push('GNU/Linux');
  ctx.out(parts.join(' ') + '\n');
  return 0;
};

export const whoami: LabCommand = (ctx) => {
  ctx.out('root\n');
  return 0;
};

export const id: LabCommand = (ctx) => {
  const o = options(ctx, 'id', { flags: 'ugGnr', long: { user: 'u', group: 'g', groups: 'G', name: 'n' } });
  if (!o) return 1;
  const who = o.operands[0];
  if (who !== undefined && who !== 'root' && who !== '0') {
    ctx.err(`id: '${who}': no such user\n`);
    return 1;
  }
  const n = o.flags.has('n');
  if (o.flags.has('u') || o.flags.has('g') || o.flags.has('G')) ctx.out(n ? 'root\n' : '0\n');
  else ctx.out('uid=0(root) gid=0(root) groups=0(root)\n');
  return 0;
};

export const pwd: LabCommand = (ctx) => {
  ctx.out(`${ctx.env.PWD || '/root'}\n`);
  return 0;
};

/** `env` prints the environment; `env NAME=v… CMD ARGS` runs a lab command with it. */
export function makeEnv(commands: () => Record<string, LabCommand>): LabCommand {
  return async (ctx) => {
    const args = ctx.argv.slice(1);
    let env = { ...ctx.env };
    if (args[0] === '-i' || args[0] === '-') {
      env = {};
      args.shift();
    }
    while (args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0])) {
      const a = args.shift()!;
      const eq = a.indexOf('=');
      env[a.slice(0, eq)] = a.slice(eq + 1);
    }
    if (args.length === 0) {
      ctx.out(Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    const table = commands();
    const name = args[0];
    const cmd = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!cmd) {
      ctx.err(`env: '${name}': No such file or directory\n`);
      return 127;
    }
    const sub: CmdContext = makeContext({ ...ctx, argv: args, env });
    return cmd(sub);
  };
}

function parseInterval(a: string): number | undefined {
  if (a === 'inf' || a === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
  if (!m) return undefined;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's'];
  return Number(m[1]) * unit;
}

export const sleep: LabCommand = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return usageError(ctx, 'sleep', 'missing operand');
  let ms = 0;
  for (const a of args) {
    const v = parseInterval(a);
    if (v === undefined) return usageError(ctx, 'sleep', `invalid time interval '${a}'`);
    ms += v;
  }
  try {
    await ctx.sleep(ms);
  } catch {
    return 130;
  }
  return 0;
};

export const sync: LabCommand = () => 0;
export const trueCmd: LabCommand = () => 0;
export const falseCmd: LabCommand = () => 1;
