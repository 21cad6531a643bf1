import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { journalsDir } from '../../app/paths.js';
import { listRuns, readJournal } from '../../runbook/journal.js';
import { postMortem, timelineLines } from '../../runbook/timeline.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import { loadRunbookFile } from '../../runbook/load.js';

function findRun(id: string | undefined) {
  if (!id) throw new UserError('which run? (baie journal list)');
  const runs = listRuns(journalsDir());
  const r = runs.find((x) => x.run === id) ?? runs.filter((x) => x.run.startsWith(id)).at(-1) ?? runs.find((x) => x.file === id);
  if (!r) throw new UserError(`no run '${id}' in ${journalsDir()} (baie journal list)`);
  return r;
}

export async function run(ctx: CliContext): Promise<number> {
  const sub = ctx.command.split(' ')[1];
  if (sub === 'list') {
    const runs = listRuns(journalsDir());
    if (ctx.flags.json) ctx.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    else if (!runs.length) ctx.stdout.write(`no runs yet (journals live in ${journalsDir()})\n`);
    else for (const r of runs) ctx.stdout.write(`${r.run.padEnd(44)} ${r.status.padEnd(11)} ${r.operator.padEnd(10)} ${r.endedAt ? formatDuration(r.endedAt - r.startedAt).padEnd(8) : '        '} ${r.title}\n`);
    return 0;
  }
  const r = findRun(ctx.positionals[0]);
  const j = readJournal(r.file);
  if (sub === 'show') {
    if (ctx.flags.json) ctx.stdout.write(j.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    else ctx.stdout.write(timelineLines(j.events).join('\n') + '\n');
    if (j.torn) ctx.stderr.write('note: the last line of the journal was cut by a crash and was ignored\n');
    return 0;
  }
  if (sub === 'export') {
    if (!ctx.flags.markdown) throw new UserError('journal export needs --markdown');
    // durations against what the runbook expected of each step (if the file is still there)
    const expects: Record<string, number> = {};
    const start = j.events.find((e) => e.t === 'run-start');
    if (start && start.t === 'run-start') {
      const rb = (await loadRunbookFile(start.file)).runbook;
      for (const st of rb?.steps ?? []) {
        const ms = st.expect ? parseDuration(st.expect) : undefined;
        if (ms !== undefined) expects[st.id] = ms;
      }
    }
    ctx.stdout.write(postMortem(j.events, expects));
    return 0;
  }
  throw new UserError(`unknown journal subcommand '${sub}'`);
}
