/** `baie check [--inventory F] [--json]`: validate the inventory and every runbook. */
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { loadSettings } from '../../app/settings.js';
import { formatProblems, loadInventory, type Problem } from '../../inventory/index.js';
import type { Fleet } from '../../model/fleet.js';

export interface CheckResult {
  problems: Problem[];
  /** Added to the ok line, e.g. `12 runbooks`. */
  summary?: string;
}

/** Extra validation run after the inventory loads; receives the loaded fleet even when it has problems. */
export type Checker = (fleet: Fleet, ctx: { inventoryFile: string }) => Promise<CheckResult>;

// ─── HOOK: runbook validation ──────────────────────────────────────────────────────────
// Add checkers here (e.g. the runbook helper's `checkRunbooks`). Each one's problems are
// printed with the inventory's, as FILE:LINE:COL: message, and its summary joins the ok line.
export const EXTRA_CHECKERS: Checker[] = [
  async () => {
    // every shipped and configured runbook must load cleanly
    const { listRunbooks } = await import('../../runbook/catalog.js');
    const all = await listRunbooks(loadSettings().runbookDirs);
    return { problems: all.flatMap((r) => r.problems), summary: plural(all.filter((r) => r.runbook).length, 'runbook') };
  },
];
// ────────────────────────────────────────────────────────────────────────────────────────

function inventoryPath(ctx: CliContext): string {
  const flag = ctx.flags.inventory;
  if (typeof flag === 'string' && flag !== '') return flag;
  const setting = loadSettings().inventory;
  if (setting) return resolve(setting);
  throw new UserError(
    'no inventory configured, so baie uses the built-in lab: `baie lab` writes its inventory; to check your own, pass --inventory FILE or run `baie config set inventory FILE`',
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function run(ctx: CliContext): Promise<number> {
  const file = inventoryPath(ctx);
  const { fleet, problems } = await loadInventory(file);
  const all = [...problems];
  const summaries: string[] = [];
  for (const check of EXTRA_CHECKERS) {
    const r = await check(fleet, { inventoryFile: file });
    all.push(...r.problems);
    if (r.summary) summaries.push(r.summary);
  }
  const counts = [plural(fleet.sites.length, 'site'), plural(fleet.racks.length, 'rack'), plural(fleet.machines.length, 'machine')];
  if (fleet.vms.length) counts.push(plural(fleet.vms.length, 'VM'));
  counts.push(...summaries);
  if (ctx.flags.json) {
    const json = {
      ok: all.length === 0,
      inventory: file,
      sites: fleet.sites.length,
      racks: fleet.racks.length,
      machines: fleet.machines.length,
      vms: fleet.vms.length,
      problems: all,
    };
    ctx.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return all.length ? 2 : 0;
  }
  if (all.length) {
    ctx.stderr.write(formatProblems(all) + '\n');
    ctx.stderr.write(`${plural(all.length, 'problem')} in ${file}\n`);
    return 2;
  }
  ctx.stdout.write(`ok: ${counts.join(', ')}\n`);
  return 0;
}
