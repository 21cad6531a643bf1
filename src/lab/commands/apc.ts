/**
 * The power strip's CLI (APC NMC AOS over SSH): `olStatus`, `olOn`, `olOff`, `olReboot`,
 * `olName`. Outlets are named by number, range/list (`1,3-4`), name, or `all`.
 * Switching an outlet cuts or restores AC to the machine wired to it (machine.outlet), through
 * power.ts's `stripOutlet` (AC restore policy and BMC behaviour live there).
 * Only the strip machine itself (a `world.strips` entry with its name) has these commands.
 */
import type { LabPowerStrip } from '../state.js';
import type { LabWorld } from '../world.js';
import type { CmdContext, LabModule } from '../shell/types.js';
import { stripOutlet } from '../power.js';

/** Seconds an outlet stays off during olReboot (APC's default reboot duration). */
export const REBOOT_DURATION_MS = 5_000;

type Outlet = LabPowerStrip['outlets'][number];

function stripOf(ctx: CmdContext): LabPowerStrip | undefined {
  return ctx.world.strips.get(ctx.machine.name);
}

/** Resolve an outlet argument; undefined when any part is invalid. */
export function selectOutlets(strip: LabPowerStrip, arg: string | undefined): Outlet[] | undefined {
  if (!arg) return undefined;
  if (arg.toLowerCase() === 'all') return [...strip.outlets];
  const byName = strip.outlets.find((o) => o.name.toLowerCase() === arg.toLowerCase());
  if (byName) return [byName];
  const out: Outlet[] = [];
  for (const part of arg.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    if (b < a) return undefined;
    for (let n = a; n <= b; n++) {
      const o = strip.outlets.find((x) => x.n === n);
      if (!o) return undefined;
      if (!out.includes(o)) out.push(o);
    }
  }
  return out;
}

/** Switch one outlet; the machines it feeds lose or regain AC. */
export function setOutlet(world: LabWorld, strip: LabPowerStrip, o: Outlet, on: boolean): void {
  stripOutlet(world, strip.name, o.n, on ? 'on' : 'off');
}

function statusLines(strip: LabPowerStrip, list: Outlet[]): string {
  const w = Math.max(2, String(Math.max(...strip.outlets.map((o) => o.n))).length);
  return list.map((o) => `${String(o.n).padStart(w)}: ${o.name}: ${o.on ? 'On' : 'Off'}`).join('\n') + '\n';
}

function withStrip(fn: (ctx: CmdContext, strip: LabPowerStrip) => number | Promise<number>) {
  return (ctx: CmdContext): number | Promise<number> => {
    const strip = stripOf(ctx);
    if (!strip) {
      ctx.err(`bash: ${ctx.argv[0]}: command not found\n`);
      return 127;
    }
    return fn(ctx, strip);
  };
}

const PARAM_ERROR = 'E102: Parameter Error\n';

export const olStatus = withStrip((ctx, strip) => {
  const list = selectOutlets(strip, ctx.argv[1] ?? 'all');
  if (!list) {
    ctx.out(PARAM_ERROR);
    return 1;
  }
  ctx.out('E000: Success\n' + statusLines(strip, list));
  return 0;
});

function switcher(on: boolean) {
  return withStrip((ctx, strip) => {
    const list = selectOutlets(strip, ctx.argv[1]);
    if (!list) {
      ctx.out(PARAM_ERROR);
      return 1;
    }
    for (const o of list) setOutlet(ctx.world, strip, o, on);
    ctx.out('E000: Success\n');
    return 0;
  });
}

export const olOn = switcher(true);
export const olOff = switcher(false);

export const olReboot = withStrip(async (ctx, strip) => {
  const list = selectOutlets(strip, ctx.argv[1]);
  if (!list) {
    ctx.out(PARAM_ERROR);
    return 1;
  }
  ctx.out('E000: Success\n');
  const wasOn = list.filter((o) => o.on);
  for (const o of wasOn) setOutlet(ctx.world, strip, o, false);
  await ctx.sleep(REBOOT_DURATION_MS);
  for (const o of wasOn) setOutlet(ctx.world, strip, o, true);
  return 0;
});

export const olName = withStrip((ctx, strip) => {
  const list = selectOutlets(strip, ctx.argv[1] ?? 'all');
  if (!list) {
    ctx.out(PARAM_ERROR);
    return 1;
  }
  if (ctx.argv[2] !== undefined) {
    if (list.length !== 1) {
      ctx.out(PARAM_ERROR);
      return 1;
    }
    list[0].name = ctx.argv.slice(2).join(' ');
    ctx.out('E000: Success\n');
    return 0;
  }
  const w = Math.max(2, String(Math.max(...strip.outlets.map((o) => o.n))).length);
  ctx.out('E000: Success\n' + list.map((o) => `${String(o.n).padStart(w)}: ${o.name}`).join('\n') + '\n');
  return 0;
});

export const apc: LabModule = { commands: { olStatus, olOn, olOff, olReboot, olName } };
