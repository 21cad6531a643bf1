/**
 * `baie rehearse [DRILL] [--speed N] [--export FILE.md] [--list]`: start the lab in the default lab
 * directory, inject the drill's faults without telling the team which, open the console with a
 * running clock, evaluate the drill's goal after every probe round; when it holds the clock stops and
 * the debrief opens. `--export` writes the debrief as Markdown (also when the team quits first).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { CliContext } from '../context.js';
import { ConsoleScreen } from '../consoleScreen.js';
import { labHands } from '../labHands.js';
import { UserError } from '../errors.js';
import { loadFleetFile, runningLab, startLabChild } from '../fleet.js';
import { loadSettings } from '../../app/settings.js';
import { defaultLabDir, journalsDir } from '../../app/paths.js';
import { drillDirs, findDrill, listDrills, type Drill } from '../../app/drill.js';
import { formatProblems } from '../../inventory/problems.js';
import { debriefMarkdown, type Debrief } from '../../app/debrief.js';
import { formatDuration } from '../../model/duration.js';
import { listRuns, readJournal } from '../../runbook/journal.js';
import { labPaths } from '../../lab/labDir.js';
import { controlRequest, LabNotRunningError } from '../../lab/controlClient.js';

function list(ctx: CliContext, dirs: string[]): Promise<number> {
  return listDrills(dirs).then((all) => {
    const rows = all.filter((l) => l.drill).map((l) => l.drill!);
    if (!rows.length) ctx.stdout.write(`no drills found (looked in ${dirs.join(', ')})\n`);
    else {
      const head = ['DRILL', 'RUNBOOK', 'BUDGET', 'TITLE'];
      const cells = rows.map((d) => [d.drill, d.runbook, d.budget ?? '-', d.title]);
      const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
      for (const r of [head, ...cells]) ctx.stdout.write(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  ') + '\n');
    }
    const broken = all.filter((l) => l.problems.length);
    for (const b of broken) ctx.stderr.write(formatProblems(b.problems.slice(0, 3)) + '\n');
    return broken.length ? 1 : 0;
  });
}

function readRunsSince(since: number): { run: string; events: import('../../runbook/events.js').RunEvent[] }[] {
  return listRuns(journalsDir())
    .filter((r) => r.startedAt >= since)
    .map((r) => {
      try {
        return { run: r.run, events: readJournal(r.file).events };
      } catch {
        return { run: r.run, events: [] };
      }
    });
}

function speedOf(ctx: CliContext, drill: Drill): string {
  const flag = ctx.flags.speed;
  if (typeof flag === 'string') {
    const n = Number(flag);
    if (!Number.isFinite(n) || n <= 0 || n > 100_000) throw new UserError(`--speed wants a positive number (60: an hour a minute), not '${flag}'`);
    return flag;
  }
  return String(drill.speed ?? 60);
}

async function inject(sock: string, f: { fault: string; machine: string; arg?: string }): Promise<void> {
  await controlRequest(sock, 'fault', { name: f.fault, machine: f.machine, ...(f.arg !== undefined ? { arg: f.arg } : {}) });
}

export async function run(ctx: CliContext): Promise<number> {
  const settings = loadSettings();
  const dirs = drillDirs(settings.runbookDirs);
  if (ctx.flags.list) return list(ctx, dirs);
  const name = ctx.positionals[0];
  if (!name) throw new UserError('rehearse needs a DRILL (see baie rehearse --list)');
  const loaded = await findDrill(name, dirs);
  if (!loaded) throw new UserError(`no drill '${name}' (see baie rehearse --list)`);
  if (!loaded.drill) throw new UserError(formatProblems(loaded.problems.slice(0, 10)));
  const drill = loaded.drill;
  if (ctx.flags.inventory) throw new UserError('a drill runs on its own lab: --inventory is not used by rehearse');
  const speed = speedOf(ctx, drill);
  const exportFile = typeof ctx.flags.export === 'string' && ctx.flags.export ? resolve(ctx.flags.export) : undefined;
  const dir = defaultLabDir();
  if (runningLab(dir)) throw new UserError(`a lab already runs in ${dir}: stop it first (a drill starts its own lab there)`);
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UserError('a drill needs a terminal (for scripts: baie lab, baie lab fault, baie run --json)');

  ctx.stdout.write(`drill ${drill.drill}: starting the lab in ${dir} (clock x${speed})…\n`);
  const labChild: ChildProcess = await startLabChild(dir, speed);
  const sock = labPaths(dir).control;
  const timers: NodeJS.Timeout[] = [];
  const cleanup = () => {
    for (const t of timers) clearTimeout(t);
    labChild.kill('SIGTERM');
  };
  try {
    for (const f of drill.faults.filter((x) => x.atMs === 0)) {
      try {
        await inject(sock, f);
      } catch (e) {
        throw new UserError(`${drill.file}: fault ${f.fault} on ${f.machine} could not be injected: ${e instanceof LabNotRunningError ? 'the lab stopped' : (e as Error).message}`);
      }
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  const startedAt = Date.now();
  const gm = `game master: more faults from a second terminal with baie lab fault NAME MACHINE [ARG] (it talks to ${dir})`;
  ctx.stdout.write(`drill ${drill.drill}: the clock runs until the goal holds.\n${gm}\n`);

  const fleet = await loadFleetFile(join(dir, 'inventory.yaml'), true).catch((e: Error) => {
    cleanup();
    throw e;
  });
  const [{ Reach }, { Session }, { Rehearsal }] = await Promise.all([import('../../app/reach.js'), import('../../app/session.js'), import('../../app/rehearsal.js')]);
  const reach = new Reach(fleet, { acceptNewHostKeys: false });
  const screen = await ConsoleScreen.load();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let exportError: string | undefined;
  const writeExport = (d: Debrief): boolean => {
    if (!exportFile) return false;
    try {
      writeFileSync(exportFile, debriefMarkdown(d));
      exportError = undefined;
      return true;
    } catch (e) {
      exportError = `cannot write ${exportFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      return false;
    }
  };
  let rehearsal: InstanceType<typeof Rehearsal>;
  const session = new Session({
    fleet,
    reach,
    readOnly: false,
    lab: true,
    rehearsal: true,
    hands: labHands(fleet),
    ascii: ctx.flags.ascii === true || settings.ascii,
    refreshMs: Math.min(settings.refreshSeconds, 5) * 1000,
    onQuit: () => done(),
    onRound: (probes, at) => rehearsal.onRound(probes, at),
    openSession: async (machine, kind) => {
      rehearsal.action(machine, kind, Date.now());
      return screen.openSession(reach, machine, kind);
    },
  });
  rehearsal = new Rehearsal({
    drill: { ...drill, speed: Number(speed) },
    store: session.store,
    startedAt,
    readRuns: readRunsSince,
    onGoal: (d) => {
      for (const t of timers) clearTimeout(t);
      const wrote = writeExport(d);
      session.store.dispatch({ type: 'notice', level: 'info', text: `goal reached in ${formatDuration(d.recoverMs ?? 0)}${wrote ? `; debrief written to ${exportFile}` : exportError ? `; ${exportError}` : ''}`, at: Date.now() });
    },
  });
  drill.faults.forEach((f, i) => {
    if (f.atMs === 0) return rehearsal.injected(i, startedAt);
    const real = f.atMs / Number(speed);
    timers.push(
      setTimeout(() => {
        if (rehearsal.done) return;
        inject(sock, f).then(
          () => rehearsal.injected(i, Date.now()),
          (e: Error) => rehearsal.failed(i, e.message.split('\n')[0]),
        );
      }, real),
    );
  });
  session.store.dispatch({ type: 'notice', level: 'info', text: `drill started: find what broke and fix it; the clock stops when the drill's goal holds. ${gm}`, at: Date.now() });

  let final: Debrief | undefined;
  // a closed terminal or a kill still ends the drill properly: debrief written, lab stopped
  const onSignal = () => done();
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.once(sig, onSignal);
  try {
    screen.show(session);
    session.start();
    await finished;
  } finally {
    screen.close();
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.off(sig, onSignal);
    session.stop();
    final = session.store.getState().debrief ?? rehearsal.debrief(Date.now());
    rehearsal.stop();
    writeExport(final);
    await reach.close().catch(() => undefined);
    cleanup();
    setTimeout(() => process.exit(process.exitCode ?? 0), 300);
  }
  const d = final;
  const budget = d.budgetMs !== undefined ? ` (budget ${formatDuration(d.budgetMs)}: ${d.withinBudget ? 'within' : 'over'})` : '';
  ctx.stdout.write(d.finished ? `drill ${d.drill}: goal reached in ${formatDuration(d.recoverMs ?? 0)}${budget}\n` : `drill ${d.drill}: unfinished after ${formatDuration(d.endedAt - d.startedAt)}\n`);
  if (exportFile) ctx.stdout.write(exportError ? `${exportError}\n` : `debrief written to ${exportFile}\n`);
  return 0;
}
