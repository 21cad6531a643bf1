/**
 * Time estimate for runbooks that restore data (rebuild-node): how many bytes must come back
 * over which link, against the budget, known BEFORE anything runs.
 *
 * Convention (no schema change): a read-only step with id `estimate` whose output the planner
 * may run; its capture `restore_bytes` is applied globally and every match is summed (one line
 * per archive). The link speed comes from the `link_mbps` value (a param). The restore steps are
 * those whose id starts with `restore-`: their `expect` is replaced by the computed transfer time.
 */
import { formatDuration } from '../model/duration.js';
import type { Plan } from './plan.js';
import type { Value } from './template.js';

/** Share of the line rate a restore gets (1 GbE ≈ 110 MB/s of 125). */
export const LINK_EFFICIENCY = 0.88;

export interface Estimate {
  bytes: number;
  linkMbps: number;
  /** Bytes per second the restore is expected to move. */
  rate: number;
  restoreMs: number;
  /** Every other step's expect. */
  otherMs: number;
  totalMs: number;
  budgetMs?: number;
  fits: boolean;
  /** Why not, when it does not fit. */
  why?: string;
}

export function estimateStep(plan: Plan) {
  return plan.steps.find((s) => s.id === 'estimate' && s.readOnly && s.kind === 'run');
}

/** Sum of every `restore_bytes` match (group 1) in the output. */
export function sumBytes(re: string, output: string): number {
  let total = 0;
  for (const m of output.matchAll(new RegExp(re, 'gm'))) total += Number(m[1] ?? m[0]) || 0;
  return total;
}

export function computeEstimate(plan: Plan, bytes: number, linkMbps: number): Estimate {
  const rate = (linkMbps * 1e6 * LINK_EFFICIENCY) / 8;
  const restoreMs = rate > 0 ? (bytes / rate) * 1000 : Infinity;
  const otherMs = plan.steps.filter((s) => !s.id.startsWith('restore-')).reduce((t, s) => t + s.expectMs, 0);
  const totalMs = otherMs + restoreMs;
  const fits = plan.budgetMs === undefined || totalMs <= plan.budgetMs;
  let why: string | undefined;
  if (!fits) {
    const left = plan.budgetMs! - otherMs;
    why = left <= 0
      ? `the other steps alone take ${formatDuration(otherMs)}`
      : `${gb(bytes)} at ${Math.round(rate / 1e6)} MB/s take ${formatDuration(restoreMs)}, but only ${formatDuration(left)} is left after the other steps (${formatDuration(otherMs)}): restore less (the rest later), or use a faster link (needs ${Math.ceil((bytes * 8) / (left / 1000) / LINK_EFFICIENCY / 1e6)} Mb/s)`;
  }
  return { bytes, linkMbps, rate, restoreMs, otherMs, totalMs, budgetMs: plan.budgetMs, fits, why };
}

function gb(b: number): string {
  return `${(b / 1e9).toFixed(1)} GB`;
}

/** Run the estimate step read-only through `exec` and compute. Undefined when the runbook has none. */
export async function runEstimate(
  plan: Plan,
  values: Record<string, Value>,
  exec: (target: string, command: string) => Promise<{ code: number | null; stdout: string; stderr: string }>,
): Promise<Estimate | { error: string } | undefined> {
  const step = estimateStep(plan);
  if (!step) return undefined;
  const re = step.capture?.restore_bytes;
  if (!re) return { error: "step 'estimate' has no capture restore_bytes" };
  const linkMbps = Number(values.link_mbps ?? 1000);
  let bytes = 0;
  for (const c of step.commands) {
    if (!c.run) continue;
    try {
      const r = await exec(c.target, c.run);
      if (r.code !== 0) return { error: `${c.target}: ${c.run} → exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
      bytes += sumBytes(re, r.stdout);
    } catch (e) {
      return { error: `${c.target}: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  return computeEstimate(plan, bytes, linkMbps);
}

export function formatEstimate(e: Estimate | { error: string }): string {
  if ('error' in e) return `estimate: not available (${e.error})`;
  const L = [
    `estimate: ${gb(e.bytes)} to restore over ${e.linkMbps} Mb/s (~${Math.round(e.rate / 1e6)} MB/s) ≈ ${formatDuration(e.restoreMs)}; other steps ${formatDuration(e.otherMs)}; total ≈ ${formatDuration(e.totalMs)}${e.budgetMs !== undefined ? ` of a ${formatDuration(e.budgetMs)} budget` : ''}`,
  ];
  if (e.budgetMs !== undefined) L.push(e.fits ? `estimate: fits the budget (${formatDuration(e.budgetMs - e.totalMs)} to spare)` : `estimate: the ${formatDuration(e.budgetMs)} budget CANNOT be met: ${e.why}`);
  return L.join('\n');
}
