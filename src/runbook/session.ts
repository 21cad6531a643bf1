/** Start or resume a run: journal first, then whoever listens (CLI printer, --json, TUI). */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '../model/fleet.js';
import type { LoadedRunbook } from './load.js';
import type { RunEvent, RunStatus } from './events.js';
import { Journal, newRunId, readJournal, redactor } from './journal.js';
import { replay, type Replayed } from './replay.js';
import { buildPlan } from './plan.js';
import { execute } from './executor.js';
import type { Prompter, RunDeps } from './runtime.js';
import type { ResolvedParams } from './params.js';

export interface StartRun {
  loaded: LoadedRunbook;
  params: ResolvedParams;
  fleet: Fleet;
  deps: RunDeps;
  prompter: Prompter;
  journalDir: string;
  operator: string;
  readOnly?: boolean;
  mode?: 'run' | 'rehearse';
  signal?: AbortSignal;
  onEvent?(e: RunEvent): void;
  /** Resume this journal instead of starting a new run. */
  resumeFile?: string;
  runId?: string;
}

export interface RunHandle {
  runId: string;
  file: string;
  status: Promise<RunStatus>;
}

export function startRun(s: StartRun): RunHandle {
  const rb = s.loaded.runbook!;
  let resume: Replayed | undefined;
  let runId = s.runId ?? newRunId(rb.runbook);
  let file = join(s.journalDir, `${runId}.jsonl`);
  if (s.resumeFile) {
    file = s.resumeFile;
    resume = replay(readJournal(file).events);
    runId = resume.start?.run ?? runId;
  }
  const secretValues = [...s.params.secrets].map((k) => String(s.params.values[k] ?? '')).filter(Boolean);
  const redact = redactor(secretValues);
  const journal = new Journal(file, redact);
  const plan = buildPlan(rb, s.params.values, s.params.secrets, s.fleet);
  // Redact once, before the journal and before any screen sees the event.
  const emit = (e: RunEvent) => {
    const safe = secretValues.length ? (JSON.parse(redact(JSON.stringify(e))) as RunEvent) : e;
    journal.append(safe);
    s.onEvent?.(safe);
  };
  // nothing reaches a machine before the journal of what led to it is on disk
  const synced = <A extends unknown[], R>(f: ((...a: A) => R) | undefined) => (f ? (...a: A): R => (journal.flush(), f(...a)) : undefined);
  const deps: RunDeps = { ...s.deps, exec: synced(s.deps.exec)!, ipmi: synced(s.deps.ipmi), console: synced(s.deps.console), script: synced(s.deps.script), hands: synced(s.deps.hands) };
  const status = execute({
    rb,
    file: s.loaded.file,
    hash: s.loaded.hash,
    values: s.params.values,
    secrets: s.params.secrets,
    fleet: s.fleet,
    deps,
    prompter: s.prompter,
    emit,
    record: (step, target, chunk) => journal.output(step, target, chunk),
    redact,
    opts: { operator: s.operator, host: hostname(), runId, mode: s.mode ?? 'run', readOnly: !!s.readOnly, signal: s.signal, secretValues },
    resume,
    expectMs: plan.totalExpectMs,
    budgetMs: plan.budgetMs,
  }).finally(() => journal.close());
  return { runId, file, status };
}
