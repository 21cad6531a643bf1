/** `baie run RUNBOOK` and `baie resume [RUN]`: the same engine, the same journal. */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { openFleet } from '../fleet.js';
import { loadNamedRunbook, resolveRunbookParams } from '../runbookArgs.js';
import { cliPrompter, parseAnswers } from '../prompter.js';
import { runPrinter } from '../runPrinter.js';
import { Reach } from '../../app/reach.js';
import { runDeps } from '../../app/runDeps.js';
import { operatorName } from '../../app/settings.js';
import { journalsDir } from '../../app/paths.js';
import { startRun } from '../../runbook/session.js';
import { listRuns, readJournal } from '../../runbook/journal.js';
import { replay } from '../../runbook/replay.js';
import { loadRunbookFile } from '../../runbook/load.js';
import { findRunbook } from '../../runbook/catalog.js';
import type { Choice, RunStatus } from '../../runbook/events.js';
import { formatProblems } from '../../inventory/index.js';
import { labHands } from '../labHands.js';
import { labClock } from '../labClock.js';

const EXIT: Record<RunStatus, number> = { done: 0, failed: 1, aborted: 130, 'rolled-back': 1, refused: 3 };

export async function run(ctx: CliContext): Promise<number> {
  const resuming = ctx.command === 'resume';
  const { fleet, settings } = await openFleet(ctx);
  let loaded;
  let resumeFile: string | undefined;
  let paramArgs = ctx.flags.params as string[] | undefined;
  if (resuming) {
    const runs = listRuns(journalsDir());
    const want = ctx.positionals[0];
    const target = want ? runs.find((r) => r.run === want || r.run.startsWith(want)) : [...runs].reverse().find((r) => r.status === 'unfinished');
    if (!target) throw new UserError(want ? `no run '${want}' in ${journalsDir()} (baie journal list)` : 'no unfinished run to resume (baie journal list)');
    if (target.status !== 'unfinished' && target.status !== 'aborted' && target.status !== 'failed') throw new UserError(`run ${target.run} already ended: ${target.status}`);
    const r = replay(readJournal(target.file).events);
    if (!r.start) throw new UserError(`${target.file}: no run-start event`);
    loaded = (await loadRunbookFile(r.start.file)).runbook ? await loadRunbookFile(r.start.file) : await findRunbook(r.start.runbook, settings.runbookDirs);
    if (!loaded || loaded.problems.length) throw new UserError(loaded ? formatProblems(loaded.problems) : `runbook ${r.start.runbook} not found`);
    resumeFile = target.file;
    paramArgs = Object.entries(r.start.params).filter(([k]) => loaded!.runbook!.params?.[k]?.type !== 'secret').map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  } else {
    loaded = await loadNamedRunbook(ctx.positionals[0], settings);
  }
  const params = resolveRunbookParams(loaded, paramArgs, fleet);
  const interactive = process.stdin.isTTY === true && !ctx.flags.yes;
  const prompter = cliPrompter({
    yes: ctx.flags.yes === true,
    confirm: (ctx.flags.confirm as string[] | undefined) ?? [],
    answers: parseAnswers(ctx.flags.answer as string[] | undefined),
    inDoubt: ctx.flags['in-doubt'] as Choice | undefined,
    interactive,
    err: ctx.stderr,
  });
  const reach = new Reach(fleet, { acceptNewHostKeys: ctx.flags['accept-new-host-keys'] === true });
  const ac = new AbortController();
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints === 1 && interactive) {
      ctx.stderr.write('\nCtrl-C: press Ctrl-C again to abort the current step (the journal is kept; baie resume continues).\n');
      setTimeout(() => (sigints = 0), 3000).unref();
      return;
    }
    ctx.stderr.write('\naborting the current step…\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  const print = runPrinter(ctx.stdout, ctx.flags.json === true);
  try {
    const h = startRun({
      loaded,
      params,
      fleet,
      deps: runDeps(reach, { ...(await labClock(fleet)), ...(ctx.flags['lab-hands'] ? { hands: labHands(fleet) } : {}) }),
      prompter,
      journalDir: journalsDir(),
      operator: operatorName(settings),
      readOnly: ctx.flags['read-only'] === true || settings.readOnly,
      signal: ac.signal,
      onEvent: print,
      resumeFile,
    });
    if (!ctx.flags.json) ctx.stderr.write(`journal: ${h.file}\n`);
    const status = await h.status;
    return EXIT[status];
  } finally {
    process.off('SIGINT', onSigint);
    prompter.close();
    await reach.close();
  }
}
