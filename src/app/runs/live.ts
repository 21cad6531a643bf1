/** A run as the run view shows it, folded from RunEvents. Pure: each call returns a new LiveRun. */
import type { RunEvent } from '../../runbook/events.js';
import type { Plan } from '../../runbook/plan.js';
import { OUTPUT_LINES, type LiveRun, type LiveStep, type OutputBuffer, type StepState } from './types.js';

const MAX_CLOCK = 2000;
const MAX_NOTES = 20;

export function newLiveRun(plan: Plan, id: string, file: string, now: number): LiveRun {
  const steps: LiveStep[] = plan.steps.map((s) => ({ id: s.id, title: s.title, kind: s.kind, state: 'pending', destructive: s.destructive, targets: s.kind === 'manual' ? ['hands'] : s.targets, expectMs: s.expectMs }));
  return { id, runbook: plan.runbook, title: plan.title, file, status: 'running', startedAt: now, steps, output: {}, progress: {}, clock: [], captures: {}, notes: [] };
}

/** Add a chunk to a machine's buffer, keeping the last OUTPUT_LINES complete lines and the partial one. */
export function appendOutput(b: OutputBuffer | undefined, chunk: string, max = OUTPUT_LINES): OutputBuffer {
  const text = (b?.tail ?? '') + chunk.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const lines = [...(b?.lines ?? []), ...parts];
  return { lines: lines.length > max ? lines.slice(lines.length - max) : lines, tail };
}

function setStep(r: LiveRun, id: string, f: (s: LiveStep) => LiveStep): LiveStep[] {
  return r.steps.map((s) => (s.id === id ? f(s) : s));
}

function note(r: LiveRun, text: string): string[] {
  return [...r.notes, text].slice(-MAX_NOTES);
}

export function applyEvent(r: LiveRun, e: RunEvent): LiveRun {
  let clock = r.clock;
  if (e.t !== 'output') {
    // budgetView reads run-start, step-start, step-done and the latest progress of the current step
    if (e.t === 'run-start' || e.t === 'step-start' || e.t === 'step-done' || e.t === 'resume') clock = [...clock, e];
    else if (e.t === 'progress') clock = [...clock.filter((x) => x.t !== 'progress' || x.step !== e.step || (x as { target: string }).target !== e.target), e];
    if (clock.length > MAX_CLOCK) clock = [clock[0], ...clock.slice(clock.length - MAX_CLOCK + 1)];
  }
  switch (e.t) {
    case 'run-start':
      return { ...r, clock, startedAt: e.at, id: e.run };
    case 'resume':
      return { ...r, clock, notes: note(r, `resumed by ${e.operator}${e.runbookChanged ? ' (runbook changed)' : ''}`) };
    case 'step-start': {
      const header = `── ${e.step}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${e.command ? `: ${e.command}` : ''}`;
      const output = { ...r.output, [e.target]: appendOutput(r.output[e.target] ? { ...r.output[e.target], tail: '' } : undefined, (r.output[e.target]?.tail ? `${r.output[e.target].tail}\n` : '') + header + '\n') };
      const progress = { ...r.progress };
      delete progress[e.target];
      return { ...r, clock, current: e.step, output, progress, steps: setStep(r, e.step, (s) => ({ ...s, state: 'running', targets: s.targets.includes(e.target) ? s.targets : [...s.targets, e.target] })) };
    }
    case 'output':
      return { ...r, output: { ...r.output, [e.target]: appendOutput(r.output[e.target], e.chunk) } };
    case 'progress':
      return { ...r, clock, progress: { ...r.progress, [e.target]: { percent: e.percent, etaMs: e.etaMs, at: e.at, text: e.text } } };
    case 'step-end':
      return e.status === 'ok' ? { ...r, clock } : { ...r, clock, notes: note(r, `${e.step} on ${e.target}: ${e.status}${e.error ? ` — ${e.error}` : ''}`) };
    case 'step-done':
      return { ...r, clock, current: r.current === e.step ? undefined : r.current, steps: setStep(r, e.step, (s) => ({ ...s, state: e.status as StepState, reason: e.reason })) };
    case 'capture':
      return { ...r, captures: { ...r.captures, [e.name]: e.value } };
    case 'answer':
      return { ...r, captures: { ...r.captures, [e.name]: e.value } };
    case 'confirm':
      return e.ok ? r : { ...r, notes: note(r, `${e.step}: typed '${e.typed}' for ${e.target}: refused (${e.why ?? 'wrong name'})`) };
    case 'decision':
      return { ...r, notes: note(r, `${e.step}: ${e.choice} (${e.by})`) };
    case 'rollback':
      return { ...r, notes: note(r, `undo ${e.step} on ${e.target}: ${e.status}`) };
    case 'lock':
      return e.action === 'take' || e.action === 'release' ? r : { ...r, notes: note(r, `lock ${e.action} ${e.target}${e.holder ? ` (${e.holder})` : ''}`) };
    case 'note':
      return { ...r, notes: note(r, e.text) };
    case 'hostkey':
      return { ...r, notes: note(r, `host key of ${e.target} ${e.accepted ? 'trusted' : 'refused'}: ${e.fingerprint}`) };
    case 'manual':
      return r;
    case 'run-end':
      return { ...r, clock, status: e.status, reason: e.reason, endedAt: e.at, current: undefined, prompt: undefined, steps: r.steps.map((s) => (s.state === 'running' || s.state === 'waiting' ? { ...s, state: 'aborted' } : s)) };
  }
}

/** The header badge label: `disk-swap-mdadm 3/7`, `… waiting for you`. */
export function badge(r: LiveRun): string {
  const done = r.steps.filter((s) => s.state === 'ok' || s.state === 'skipped').length;
  return `${r.runbook} ${done}/${r.steps.length}${r.prompt ? ' — waiting for you' : ''}`;
}
