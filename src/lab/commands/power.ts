/**
 * `reboot`, `poweroff`, `halt`, `shutdown` on lab machines.
 * (`systemctl reboot` belongs to the services module, the strip's `olOn`… to commands/apc.ts.)
 */
import { machineKind } from '../hardware.js';
import { cancelShutdown, halt, reboot, scheduleShutdown, shutdown } from '../power.js';
import type { CmdContext, LabCommand, LabModule } from '../shell/types.js';

function notFound(ctx: CmdContext): number {
  ctx.err(`${ctx.argv[0]}: command not found\n`);
  return 127;
}

function isOs(ctx: CmdContext): boolean {
  const k = machineKind(ctx.machine);
  return k === 'debian' || k === 'pve';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
function when(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** `reboot`/`poweroff`/`halt` [-f] [-p]. */
function simple(kind: 'reboot' | 'poweroff' | 'halt'): LabCommand {
  return (ctx) => {
    if (!isOs(ctx)) return notFound(ctx);
    let k = kind;
    for (const a of ctx.argv.slice(1)) {
      if (a === '-f' || a === '--force' || a === '-ff' || a === '--no-wall' || a === '-n' || a === '--no-sync') continue;
      if (a === '-p' || a === '--poweroff') k = 'poweroff';
      else if (a === '--reboot') k = 'reboot';
      else if (a === '--halt') k = 'halt';
      else {
        ctx.err(`${ctx.argv[0]}: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a.replace(/^-+/, '')}'`}\n`);
        return 1;
      }
    }
    if (k === 'reboot') reboot(ctx.world, ctx.machine);
    else if (k === 'poweroff') shutdown(ctx.world, ctx.machine);
    else halt(ctx.world, ctx.machine);
    return 0;
  };
}

/** `shutdown [-r|-h|-P|-H|-c] [now|+MIN|HH:MM] [MESSAGE]`. */
const shutdownCmd: LabCommand = (ctx) => {
  if (!isOs(ctx)) return notFound(ctx);
  let mode: 'reboot' | 'poweroff' | 'halt' | 'cancel' = 'poweroff';
  let time: string | undefined;
  for (const a of ctx.argv.slice(1)) {
    if (a === '-r' || a === '--reboot') mode = 'reboot';
    else if (a === '-h' || a === '-P' || a === '--poweroff') mode = 'poweroff';
    else if (a === '-H' || a === '--halt') mode = 'halt';
    else if (a === '-c') mode = 'cancel';
    else if (a === '-k' || a === '--no-wall') continue;
    else if (a.startsWith('-')) {
      ctx.err(`shutdown: invalid option -- '${a.replace(/^-+/, '')}'\n`);
      return 1;
    } else if (time === undefined) time = a;
  }
  if (mode === 'cancel') {
    cancelShutdown(ctx.world, ctx.machine);
    return 0;
  }
  const t = time ?? '+1';
  let delay: number;
  if (t === 'now' || t === '+0') delay = 0;
  else if (/^\+?\d+$/.test(t)) delay = Number(t.replace('+', '')) * 60_000;
  else if (/^\d{1,2}:\d{2}$/.test(t)) {
    const [h, mi] = t.split(':').map(Number);
    const now = new Date(ctx.world.now());
    const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, mi);
    delay = target > now.getTime() ? target - now.getTime() : target + 86_400_000 - now.getTime();
  } else {
    ctx.err(`Failed to parse time specification: ${t}\n`);
    return 1;
  }
  if (delay === 0) {
    if (mode === 'reboot') reboot(ctx.world, ctx.machine);
    else if (mode === 'halt') halt(ctx.world, ctx.machine);
    else shutdown(ctx.world, ctx.machine);
    return 0;
  }
  if (mode === 'halt') mode = 'poweroff';
  const at = scheduleShutdown(ctx.world, ctx.machine, delay, mode === 'reboot');
  ctx.out(`${mode === 'reboot' ? 'Reboot' : 'Shutdown'} scheduled for ${when(at)}, use 'shutdown -c' to cancel.\n`);
  return 0;
};

export const powerCmds: LabModule = {
  commands: {
    reboot: simple('reboot'),
    poweroff: simple('poweroff'),
    halt: simple('halt'),
    shutdown: shutdownCmd,
  },
};
