import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { openFleet } from '../fleet.js';
import { Reach } from '../../app/reach.js';
import { probeFleet } from '../../probe/prober.js';
import { probeJson, probeTable } from '../../probe/report.js';

export async function run(ctx: CliContext): Promise<number> {
  const { fleet } = await openFleet(ctx);
  const unknown = ctx.positionals.filter((n) => !fleet.machines.some((m) => m.name === n));
  if (unknown.length) throw new UserError(`unknown machine${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (in ${fleet.source})`);
  const machines = ctx.positionals.length ? fleet.machines.filter((m) => ctx.positionals.includes(m.name)) : fleet.machines;
  const reach = new Reach(fleet, { acceptNewHostKeys: ctx.flags['accept-new-host-keys'] === true });
  try {
    const results = await probeFleet(machines, reach.probeDeps(), { timeoutMs: 10_000, concurrency: 64 });
    if (ctx.flags.json) ctx.stdout.write(JSON.stringify(results.map(probeJson), null, 2) + '\n');
    else ctx.stdout.write(probeTable(results) + '\n');
    return results.some((r) => r.health.level === 'critical') ? 1 : 0;
  } finally {
    await reach.close();
  }
}
