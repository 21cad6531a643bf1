import type { CliContext } from '../context.js';
import { listRunbooks } from '../../runbook/catalog.js';
import { loadSettings } from '../../app/settings.js';
import { formatProblems } from '../../inventory/index.js';

export async function run(ctx: CliContext): Promise<number> {
  const all = await listRunbooks(loadSettings().runbookDirs);
  if (ctx.flags.json) {
    ctx.stdout.write(JSON.stringify(all.map((r) => ({ name: r.runbook?.runbook ?? null, title: r.runbook?.title ?? null, file: r.file, budget: r.runbook?.budget ?? null, params: r.runbook?.params ?? {}, appliesTo: r.runbook?.applies_to ?? [], problems: r.problems })), null, 2) + '\n');
    return all.some((r) => r.problems.length) ? 2 : 0;
  }
  for (const r of all) {
    if (r.runbook) ctx.stdout.write(`${r.runbook.runbook.padEnd(24)} ${(r.runbook.budget ?? '').padEnd(6)} ${r.runbook.title}\n`);
    else ctx.stderr.write(formatProblems(r.problems) + '\n');
  }
  if (!all.length) ctx.stdout.write('no runbooks found\n');
  return all.some((r) => r.problems.length) ? 2 : 0;
}
