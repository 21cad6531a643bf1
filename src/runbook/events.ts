/**
 * Everything that happens in a run, as one union. The journal writes the durable ones; the CLI
 * printer, `--json` and the TUI consume all of them.
 */
export type StepStatus = 'ok' | 'failed' | 'skipped' | 'refused' | 'aborted';
export type RunStatus = 'done' | 'failed' | 'aborted' | 'rolled-back' | 'refused';
export type Choice = 'retry' | 'skip' | 'rollback' | 'abort';

export type RunEvent =
  | { t: 'run-start'; at: number; run: string; runbook: string; title: string; file: string; hash: string; params: Record<string, unknown>; operator: string; host: string; budgetMs?: number; expectMs: number; mode: 'run' | 'rehearse'; readOnly: boolean }
  | { t: 'resume'; at: number; operator: string; runbookChanged: boolean; hash: string }
  | { t: 'step-start'; at: number; step: string; target: string; attempt: number; kind: string; command?: string }
  | { t: 'step-end'; at: number; step: string; target: string; status: StepStatus; code?: number | null; durationMs: number; error?: string; output?: string }
  | { t: 'step-done'; at: number; step: string; status: StepStatus; reason?: string }
  | { t: 'output'; at: number; step: string; target: string; stream: 'stdout' | 'stderr'; chunk: string }
  | { t: 'progress'; at: number; step: string; target: string; percent?: number; etaMs?: number; text?: string }
  | { t: 'capture'; at: number; step: string; name: string; value: string }
  | { t: 'confirm'; at: number; step: string; target: string; operator: string; typed: string; ok: boolean; why?: string }
  | { t: 'answer'; at: number; step: string; name: string; value: string }
  | { t: 'manual'; at: number; step: string; checked: string[] }
  | { t: 'decision'; at: number; step: string; choice: Choice | 'rerun' | 'accept'; by: string; why: string }
  | { t: 'rollback'; at: number; step: string; target: string; status: StepStatus; code?: number | null; command: string }
  | { t: 'lock'; at: number; target: string; action: 'take' | 'release' | 'takeover' | 'refused'; holder?: string }
  | { t: 'hostkey'; at: number; step: string; target: string; fingerprint: string; accepted: boolean }
  | { t: 'note'; at: number; text: string }
  | { t: 'run-end'; at: number; status: RunStatus; reason?: string };

/** Events kept in the journal (output and progress go to files and the screen only). */
export function isDurable(e: RunEvent): boolean {
  return e.t !== 'output' && e.t !== 'progress';
}
