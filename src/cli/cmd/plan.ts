import type { CliContext } from '../context.js';
import { openFleet } from '../fleet.js';
import { loadNamedRunbook, resolveRunbookParams } from '../runbookArgs.js';
import { buildPlan } from '../../runbook/plan.js';
import { formatPlan, planMarkdown } from '../../runbook/planFormat.js';

export async function run(ctx: CliContext): Promise<number> {
  const { fleet, settings } = await openFleet(ctx);
  const loaded = await loadNamedRunbook(ctx.positionals[0], settings);
  const params = resolveRunbookParams(loaded, ctx.flags.params as string[] | undefined, fleet);
  const plan = buildPlan(loaded.runbook!, params.values, params.secrets, fleet);
  if (ctx.flags.json) ctx.stdout.write(JSON.stringify(plan, null, 2) + '\n');
  else if (ctx.flags.markdown) ctx.stdout.write(planMarkdown(plan) + '\n');
  else ctx.stdout.write(formatPlan(plan) + '\n');
  return plan.problems.length ? 2 : 0;
}
