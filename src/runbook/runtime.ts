/** What the executor needs from the world (transports) and from the operator (prompts). */
import type { ExecOptions, ExecResult, PtySession } from '../transport/types.js';
import type { Choice, RunEvent } from './events.js';
import type { PlanStep } from './plan.js';

export interface RunDeps {
  exec(target: string, command: string, opts?: ExecOptions): Promise<ExecResult>;
  ipmi?(target: string, op: string, signal?: AbortSignal): Promise<{ output: string }>;
  console?(target: string): Promise<PtySession>;
  /** Run a zx script locally with the run's context in the environment. */
  script?(file: string, env: Record<string, string>, opts?: ExecOptions): Promise<ExecResult>;
  /** The key the machine presents now (after a reinstall), and a way to trust it. */
  hostKey?(target: string): Promise<{ fingerprint: string; trust(): Promise<void> }>;
  /** The lab's hands (`swap-disk fey sdb`): returns what they report, e.g. `serial: WD-…`. Only on a lab with --lab-hands. */
  hands?(action: string): Promise<string>;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Prompter {
  /** The operator types the target's name to go on; undefined when they cancel. */
  confirm(step: PlanStep, target: string, question: string): Promise<{ typed?: string; why?: string }>;
  /** A manual step: instructions shown, checklist ticked, questions answered (validated by the executor). */
  manual(step: PlanStep, problem?: string): Promise<{ answers: Record<string, string>; checked: string[] } | 'abort'>;
  /** A step failed: what now? */
  failure(step: PlanStep, error: string, choices: Choice[]): Promise<Choice>;
  /** A step was running when the previous process died and cannot be proven done. */
  inDoubt(step: PlanStep, targets: string[]): Promise<Choice>;
  /** Another run holds the lock on a machine: take it over? (typed confirmation inside). */
  takeover(target: string, holder: string): Promise<boolean>;
  /** The runbook file changed since the run started: go on? */
  changed?(oldHash: string, newHash: string): Promise<boolean>;
}

export type Emit = (e: RunEvent) => void;

export interface RunOptions {
  operator: string;
  host: string;
  runId: string;
  mode: 'run' | 'rehearse';
  readOnly: boolean;
  signal?: AbortSignal;
  /** Secret values, redacted from output and events. */
  secretValues: string[];
}
