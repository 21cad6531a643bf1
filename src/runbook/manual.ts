/**
 * A manual step: instructions for the people in the datacentre, a checklist, typed answers
 * validated by pattern (or against what the machine sees). On the lab, the lab's hands can do the
 * physical action, and what they report answers the questions.
 */
import type { StepStatus } from './events.js';
import type { PlanStep } from './plan.js';
import type { Emit, Prompter, RunDeps } from './runtime.js';
import type { Value } from './template.js';

export interface ManualCtx {
  deps: RunDeps;
  prompter: Prompter;
  emit: Emit;
  now(): number;
  /** The run's values: answers are added to them. */
  values: Record<string, Value>;
  /** A value by name as the runbook sees it (for `equals: "{{name}}"`). */
  lookup(name: string): Value | undefined;
}

/** Why the answers are not acceptable, or undefined. */
export function validateAnswers(step: PlanStep, answers: Record<string, string>, lookup: ManualCtx['lookup']): string | undefined {
  for (const [k, q] of Object.entries(step.ask ?? {})) {
    const v = answers[k];
    if (v === undefined || v === '') return `${k}: an answer is needed`;
    if (q.pattern && !new RegExp(q.pattern).test(v)) return `${k}: '${v}' does not match ${q.pattern}`;
    if (q.equals !== undefined) {
      const want = String(lookup(q.equals.replace(/^\{\{\s*|\s*\}\}$/g, '')) ?? q.equals);
      if (v !== want) return `${k}: '${v}' is not what the machine sees ('${want}')`;
    }
  }
  return undefined;
}

/** `serial: WD-123` lines of a report, for the step's questions. */
export function answersFromReport(step: PlanStep, report: string): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const k of Object.keys(step.ask ?? {})) {
    const m = new RegExp(`^\\s*${k}\\s*[:=]\\s*(\\S+)`, 'im').exec(report);
    if (m) answers[k] = m[1];
  }
  return answers;
}

export async function runManual(c: ManualCtx, step: PlanStep): Promise<{ status: StepStatus; error?: string }> {
  const started = c.now();
  c.emit({ t: 'step-start', at: started, step: step.id, target: 'hands', attempt: 1, kind: 'manual' });
  const accept = (answers: Record<string, string>, checked: string[]) => {
    for (const [k, v] of Object.entries(answers)) {
      c.values[k] = v;
      c.emit({ t: 'answer', at: c.now(), step: step.id, name: k, value: v });
    }
    c.emit({ t: 'manual', at: c.now(), step: step.id, checked });
    c.emit({ t: 'step-end', at: c.now(), step: step.id, target: 'hands', status: 'ok', durationMs: c.now() - started });
    return { status: 'ok' as const };
  };
  let problem: string | undefined;
  if (step.hands && c.deps.hands) {
    const report = await c.deps.hands(step.hands).catch((e: Error) => `error: ${e.message}`);
    c.emit({ t: 'note', at: c.now(), text: `lab hands: ${step.hands} → ${report.trim().split('\n').join(' / ')}` });
    const answers = answersFromReport(step, report);
    problem = validateAnswers(step, answers, c.lookup);
    if (!problem) return accept(answers, step.checklist ?? []);
  }
  for (let tries = 0; tries < 20; tries++) {
    const r = await c.prompter.manual(step, problem);
    if (r === 'abort') {
      c.emit({ t: 'step-end', at: c.now(), step: step.id, target: 'hands', status: 'aborted', durationMs: c.now() - started });
      return { status: 'aborted', error: 'operator aborted at a manual step' };
    }
    problem = validateAnswers(step, r.answers, c.lookup);
    if (!problem) return accept(r.answers, r.checked);
  }
  return { status: 'failed', error: problem };
}
