/** What the console shows about runbooks and runs: plain data in the store. No React, no I/O. */
import type { RunSummary } from '../../runbook/journal.js';
import type { Choice, RunEvent, RunStatus } from '../../runbook/events.js';

/** One runbook of the catalog, as the list and the form need it. */
export interface RunbookEntry {
  name: string;
  title: string;
  budget?: string;
  doc?: string;
  file: string;
  appliesTo: string[];
  params: ParamSpec[];
  /** Problems found loading the file (the runbook cannot be started). */
  problems: string[];
}

export interface ParamSpec {
  name: string;
  type: 'host' | 'hosts' | 'string' | 'int' | 'enum' | 'duration' | 'secret';
  required: boolean;
  default?: string;
  role?: string;
  pattern?: string;
  values?: string[];
  doc?: string;
  /** Secrets: where the value comes from (`$BMC_PASSWORD`, `/etc/baie/bmc.pw`). */
  from?: string;
}

/** A journal that never ended: shown at the top of the runbooks list with "resume". */
export interface UnfinishedRun {
  run: string;
  file: string;
  runbook: string;
  title: string;
  operator: string;
  startedAt: number;
}

export interface FormField {
  spec: ParamSpec;
  value: string;
  /** Secrets only: whether the value is available from its source now. */
  secretSet?: boolean;
}

export interface ParamsForm {
  runbook: string;
  title: string;
  fields: FormField[];
  /** Focused row: 0..fields.length (the last is the "plan" row). */
  focus: number;
  /** A host or enum picker open on the focused field. */
  picker?: { query: string; index: number };
  problems: string[];
}

export interface PlanUi {
  runbook: string;
  title: string;
  lines: string[];
  /** `given` values that resolve the params (secrets excluded). */
  given: Record<string, string>;
  overBudget?: string;
  problems: string[];
  /** Steps that change machines (read-only mode refuses the run because of them). */
  changing: string[];
  /** Resuming this journal instead of starting a new run. */
  resumeFile?: string;
  refusal?: string;
}

export type StepState = 'pending' | 'running' | 'waiting' | 'ok' | 'failed' | 'skipped' | 'refused' | 'aborted';

export interface LiveStep {
  id: string;
  title: string;
  kind: string;
  state: StepState;
  destructive: boolean;
  targets: string[];
  expectMs: number;
  reason?: string;
}

export interface OutputBuffer {
  /** Complete lines, the last ~200. */
  lines: string[];
  /** The line being written (no newline yet). */
  tail: string;
}

export interface Progress {
  percent?: number;
  etaMs?: number;
  at: number;
  text?: string;
}

export type RunPrompt =
  | { kind: 'confirm'; step: string; target: string; question: string; typed: string; attempt: number; error?: string }
  | {
      kind: 'manual';
      step: string;
      title: string;
      text: string;
      checklist: { text: string; checked: boolean }[];
      asks: { name: string; pattern?: string; doc?: string; value: string }[];
      /** Focused row: checklist items first, then answers. */
      focus: number;
      /** The lab's equivalent physical action, and the command that performs it. */
      hands?: string;
      handsCommand?: string;
      /** The lab's hands can do it from here (Ctrl-L). */
      handsHere?: boolean;
      handsReport?: string;
      problem?: string;
      abortAsk?: boolean;
    }
  | { kind: 'choice'; step: string; reason: 'failure' | 'in-doubt'; error: string; choices: Choice[]; index: number }
  | { kind: 'takeover'; target: string; holder: string; typed: string }
  | { kind: 'changed'; oldHash: string; newHash: string };

export type PromptAnswer =
  | { kind: 'confirm'; typed?: string; why?: string }
  | { kind: 'manual'; answers: Record<string, string>; checked: string[] }
  | { kind: 'manual-abort' }
  | { kind: 'choice'; choice: Choice }
  | { kind: 'takeover'; ok: boolean }
  | { kind: 'changed'; ok: boolean };

export interface LiveRun {
  id: string;
  runbook: string;
  title: string;
  file: string;
  status: 'running' | RunStatus;
  reason?: string;
  startedAt: number;
  endedAt?: number;
  steps: LiveStep[];
  /** Step id being run now. */
  current?: string;
  output: Record<string, OutputBuffer>;
  progress: Record<string, Progress>;
  /** The events budgetView needs (no output; last progress per step). Bounded. */
  clock: RunEvent[];
  captures: Record<string, string>;
  /** The last few notes and refusals, newest last. */
  notes: string[];
  prompt?: RunPrompt;
  aborting?: boolean;
}

/** A run as the journal list shows it. */
export type JournalRow = RunSummary;

export interface RunsUi {
  catalog: { entries: RunbookEntry[]; unfinished: UnfinishedRun[]; loaded: boolean; error?: string };
  /** Selected row of the runbooks list (unfinished runs first). */
  index: number;
  /** Set from the machine view (`R`): only runbooks that apply to its roles, host param filled. */
  forMachine?: string;
  form?: ParamsForm;
  plan?: PlanUi;
  /** Runs started (or resumed) in this session, kept after they end. */
  live: Record<string, LiveRun>;
  /** The run the run view shows. */
  current?: string;
  /** `A` in the run view: asking whether to abort this run. */
  abortAsk?: string;
  journal: { runs: JournalRow[]; loaded: boolean; index: number; timeline?: { run: string; title: string; lines: string[] } };
}

export function initialRunsUi(): RunsUi {
  return { catalog: { entries: [], unfinished: [], loaded: false }, index: 0, live: {}, journal: { runs: [], loaded: false, index: 0 } };
}

export const OUTPUT_LINES = 200;
