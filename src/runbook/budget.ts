/** Elapsed time against the budget and a projected finish, from the steps left and live ETAs. Pure. */
import type { RunEvent } from './events.js';

export interface BudgetView {
  elapsedMs: number;
  budgetMs?: number;
  /** Elapsed + what is left by `expect` (or a wait step's live ETA). */
  projectedMs: number;
  overBudget: boolean;
  current?: string;
}

export function budgetView(stepExpects: { id: string; expectMs: number }[], events: RunEvent[], now: number): BudgetView {
  const start = events.find((e) => e.t === 'run-start');
  const startedAt = start?.at ?? now;
  const budgetMs = start && start.t === 'run-start' ? start.budgetMs : undefined;
  const done = new Set<string>();
  let current: string | undefined;
  let currentStartedAt = now;
  let eta: number | undefined;
  for (const e of events) {
    if (e.t === 'step-done') {
      done.add(e.step);
      if (current === e.step) current = undefined;
    } else if (e.t === 'step-start' && !done.has(e.step)) {
      if (current !== e.step) eta = undefined;
      current = e.step;
      currentStartedAt = e.at;
    } else if (e.t === 'progress' && e.step === current) eta = e.etaMs !== undefined ? e.etaMs - (now - e.at) : eta;
  }
  const elapsedMs = now - startedAt;
  let left = 0;
  for (const s of stepExpects) {
    if (done.has(s.id)) continue;
    if (s.id === current) left += eta !== undefined ? Math.max(0, eta) : Math.max(0, s.expectMs - (now - currentStartedAt));
    else left += s.expectMs;
  }
  const projectedMs = elapsedMs + left;
  return { elapsedMs, budgetMs, projectedMs, overBudget: budgetMs !== undefined && projectedMs > budgetMs, current };
}
