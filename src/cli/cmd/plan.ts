import type { CliContext } from '../context.js';
import { openFleet } from '../fleet.js';
import { loadNamedRunbook, resolveRunbookParams } from '../runbookArgs.js';
import { buildPlan } from '../../runbook/plan.js';
import { formatPlan, planMarkdown } from '../../runbook/planFormat.js';
import { estimateStep, formatEstimate, runEstimate } from '../../runbook/estimate.js';
import { Reach } from '../../app/reach.js';

export async function run(ctx: CliContext): Promise<number> {
  const { fleet, settings } = await openFleet(ctx);
  const loaded = await loadNamedRunbook(ctx.positionals[0], settings);
  const params = resolveRunbookParams(loaded, ctx.flags.params as string[] | undefined, fleet);
  const plan = buildPlan(loaded.runbook!, params.values, params.secrets, fleet);
  // A runbook with a read-only `estimate` step: run it (read-only) so the time budget is known before anything runs.
  let estimate;
  if (estimateStep(plan) && !plan.problems.length) {
    const reach = new Reach(fleet, { connectTimeoutMs: 5000 });
    try {
      estimate = await runEstimate(plan, params.values, (t, c) => reach.exec(t, c, { timeoutMs: 30_000 }));
    } finally {
      await reach.close();
    }
  }
  if (ctx.flags.json) ctx.stdout.write(JSON.stringify(estimate ? { ...plan, estimate } : plan, null, 2) + '\n');
  else if (ctx.flags.markdown) ctx.stdout.write(planMarkdown(plan) + (estimate ? `\n${formatEstimate(estimate)}\n` : '') + '\n');
  else ctx.stdout.write(formatPlan(plan) + (estimate ? `\n${formatEstimate(estimate)}` : '') + '\n');
  return plan.problems.length ? 2 : 0;
}
