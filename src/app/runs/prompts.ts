/** Building and checking the questions a run asks the operator. Pure. */
import type { PlanStep } from '../../runbook/plan.js';
import type { RunPrompt } from './types.js';

export type ManualPrompt = Extract<RunPrompt, { kind: 'manual' }>;

export function manualPrompt(step: PlanStep, opts: { problem?: string; labDir?: string; handsHere?: boolean } = {}): ManualPrompt {
  return {
    kind: 'manual',
    step: step.id,
    title: step.title,
    text: (step.manual ?? '').trim(),
    checklist: (step.checklist ?? []).map((text) => ({ text, checked: false })),
    asks: Object.entries(step.ask ?? {}).map(([name, q]) => ({ name, pattern: q.pattern, doc: q.doc, value: '' })),
    focus: 0,
    hands: step.hands,
    handsCommand: step.hands && opts.labDir ? `baie lab hands ${step.hands} --dir ${opts.labDir}` : undefined,
    handsHere: !!step.hands && !!opts.handsHere,
    problem: opts.problem,
  };
}

/** Why a manual step cannot be reported done yet, or undefined. */
export function manualProblem(p: ManualPrompt): string | undefined {
  const left = p.checklist.filter((c) => !c.checked);
  if (left.length) return `tick every item first (Space): ${left[0].text}${left.length > 1 ? ` and ${left.length - 1} more` : ''}`;
  for (const a of p.asks) {
    if (!a.value.trim()) return `${a.name}: an answer is needed`;
    if (a.pattern) {
      let ok = true;
      try {
        ok = new RegExp(a.pattern).test(a.value.trim());
      } catch {
        ok = true; // the loader checked the pattern; never block on it here
      }
      if (!ok) return `${a.name}: '${a.value.trim()}' does not match ${a.pattern}`;
    }
  }
  return undefined;
}

/** Fill a manual prompt from what the lab's hands reported (`serial: WD-…` lines). */
export function fillFromReport(p: ManualPrompt, report: string): ManualPrompt {
  const asks = p.asks.map((a) => {
    const m = new RegExp(`^\\s*${a.name}\\s*[:=]\\s*(\\S+)`, 'im').exec(report);
    return m ? { ...a, value: m[1] } : a;
  });
  return { ...p, asks, checklist: p.checklist.map((c) => ({ ...c, checked: true })), handsReport: report.trim().split('\n').slice(0, 6).join(' / '), problem: undefined };
}

/** Rows of a manual prompt that take focus: checklist items, then answers. */
export function manualRows(p: ManualPrompt): number {
  return p.checklist.length + p.asks.length;
}
