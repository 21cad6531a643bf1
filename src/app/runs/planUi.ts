/** What the plan view shows for a runbook about to start (or resume): plan lines, budget, refusals. */
import type { Fleet } from '../../model/fleet.js';
import { formatDuration } from '../../model/duration.js';
import type { LoadedRunbook } from '../../runbook/load.js';
import type { resolveParams } from '../../runbook/params.js';
import { buildPlan } from '../../runbook/plan.js';
import { formatPlan } from '../../runbook/planFormat.js';
import type { Replayed } from '../../runbook/replay.js';
import type { PlanUi } from './types.js';

export function planUi(fleet: Fleet, loaded: LoadedRunbook, given: Record<string, string>, r: ReturnType<typeof resolveParams>, resumeFile?: string, head: string[] = []): PlanUi {
  const rb = loaded.runbook!;
  const plan = buildPlan(rb, r.values, r.secrets, fleet);
  const over = plan.budgetMs !== undefined && plan.totalExpectMs > plan.budgetMs ? `expected ${formatDuration(plan.totalExpectMs)} is OVER the ${formatDuration(plan.budgetMs)} budget by ${formatDuration(plan.totalExpectMs - plan.budgetMs)}` : undefined;
  return {
    runbook: rb.runbook,
    title: rb.title,
    lines: [...head, ...formatPlan(plan).split('\n')],
    given,
    overBudget: over,
    problems: plan.problems,
    changing: plan.steps.filter((s) => !s.readOnly).map((s) => s.id),
    resumeFile,
  };
}

/** The lines above a resumed run's plan: what is done, what is in doubt, whether the file changed. */
export function resumeHead(rp: Replayed, runbookChanged: boolean): string[] {
  const done = [...rp.finished.entries()].map(([k, v]) => `${k} ${v}`);
  const doubt = [...rp.inDoubt.entries()].map(([k, t]) => `${k} on ${t.join(', ')}`);
  return [
    `RESUME ${rp.start?.run} (started by ${rp.start?.operator})`,
    `done: ${done.join(', ') || 'nothing'}`,
    ...(doubt.length ? [`IN DOUBT: ${doubt.join('; ')} — you will choose retry, skip, rollback or abort`] : []),
    ...(runbookChanged ? ['the runbook file changed since the run started: you will be asked'] : []),
    '',
  ];
}
