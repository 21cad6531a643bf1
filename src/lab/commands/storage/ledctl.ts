/** `ledctl` (ledmon): locate=DEV[,DEV] / locate_off=DEV, off=, normal= — drives the bay LED (disk.locateLed). */
import type { CmdContext } from '../../shell/types.js';
import { presentDisk, splitPartName, stripDev } from './devices.js';

const PATTERNS: Record<string, boolean> = { locate: true, locate_off: false, off: false, normal: false };

export function ledctl(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1).filter((a) => !/^(-l|--log=.*|-x|--listed-only)$/.test(a));
  if (args.length === 0) {
    ctx.err('ledctl: missing operand\nTry \'ledctl --help\' for more information.\n');
    return 1;
  }
  const actions: { on: boolean; path: string }[] = [];
  let pending: boolean | undefined;
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) {
      const pattern = a.slice(0, eq);
      if (!(pattern in PATTERNS)) {
        ctx.err(`ledctl: invalid IBPI pattern: ${pattern}\n`);
        return 1;
      }
      pending = PATTERNS[pattern];
      for (const p of a.slice(eq + 1).split(',').filter((x) => x && x !== '{')) actions.push({ on: pending!, path: p });
    } else if (a !== '{' && a !== '}' && pending !== undefined) actions.push({ on: pending, path: a });
    else if (a !== '{' && a !== '}') {
      ctx.err(`ledctl: invalid argument: ${a}\n`);
      return 1;
    }
  }
  for (const { path } of actions) {
    const d = presentDisk(m, splitPartName(stripDev(path)).disk);
    if (!d) {
      ctx.err(`ledctl: ${path}: device not supported or does not exist\n`);
      return 1;
    }
  }
  for (const { on, path } of actions) presentDisk(m, splitPartName(stripDev(path)).disk)!.locateLed = on;
  return 0;
}
