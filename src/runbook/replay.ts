/** What a journal says about a run: which steps are done, which are in doubt, what was captured. */
import type { RunEvent, StepStatus } from './events.js';

export interface Replayed {
  start?: Extract<RunEvent, { t: 'run-start' }>;
  /** step id → final status (ok / skipped count as done). */
  finished: Map<string, StepStatus>;
  /** step id → targets with a start and no end. */
  inDoubt: Map<string, string[]>;
  /** Targets of a step that ended ok (a multi-machine step resumed midway skips them). */
  doneTargets: Map<string, Set<string>>;
  values: Record<string, string>;
  locks: Set<string>;
  ended?: Extract<RunEvent, { t: 'run-end' }>;
  lastHash?: string;
}

export function replay(events: RunEvent[]): Replayed {
  const r: Replayed = { finished: new Map(), inDoubt: new Map(), doneTargets: new Map(), values: {}, locks: new Set() };
  const open = new Map<string, Set<string>>();
  for (const e of events) {
    switch (e.t) {
      case 'run-start':
        r.start = e;
        r.lastHash = e.hash;
        break;
      case 'resume':
        r.lastHash = e.hash;
        r.ended = undefined;
        break;
      case 'step-start':
        if (!open.has(e.step)) open.set(e.step, new Set());
        open.get(e.step)!.add(e.target);
        break;
      case 'step-end':
        open.get(e.step)?.delete(e.target);
        if (e.status === 'ok' || e.status === 'skipped') {
          if (!r.doneTargets.has(e.step)) r.doneTargets.set(e.step, new Set());
          r.doneTargets.get(e.step)!.add(e.target);
        }
        break;
      case 'step-done':
        r.finished.set(e.step, e.status);
        open.delete(e.step);
        break;
      case 'capture':
      case 'answer':
        r.values[e.name] = e.value;
        break;
      case 'lock':
        if (e.action === 'take' || e.action === 'takeover') r.locks.add(e.target);
        if (e.action === 'release') r.locks.delete(e.target);
        break;
      case 'run-end':
        r.ended = e;
        break;
    }
  }
  for (const [step, targets] of open) if (targets.size && !isDone(r, step)) r.inDoubt.set(step, [...targets]);
  return r;
}

export function isDone(r: Replayed, step: string): boolean {
  const s = r.finished.get(step);
  return s === 'ok' || s === 'skipped';
}
