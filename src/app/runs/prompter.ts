/**
 * The executor's Prompter for the console: each question becomes a RunPrompt in the store, and the
 * promise resolves when the operator answers in the run view (runs continue in other views).
 */
import type { Prompter } from '../../runbook/runtime.js';
import type { PromptAnswer, RunPrompt } from './types.js';
import { manualPrompt } from './prompts.js';

export interface TuiPrompterOptions {
  ask(p: RunPrompt): Promise<PromptAnswer>;
  /** The last refusal of a confirmation on this step/target, to show with the next attempt. */
  lastRefusal(step: string, target: string): { error?: string; attempt: number };
  labDir?: string;
  handsHere: boolean;
}

export function tuiPrompter(o: TuiPrompterOptions): Prompter {
  return {
    async confirm(step, target, question) {
      const prev = o.lastRefusal(step.id, target);
      const a = await o.ask({ kind: 'confirm', step: step.id, target, question, typed: '', attempt: prev.attempt, error: prev.error });
      if (a.kind !== 'confirm') return { why: 'cancelled' };
      return a.typed !== undefined ? { typed: a.typed } : { why: a.why ?? 'cancelled' };
    },
    async manual(step, problem) {
      const a = await o.ask(manualPrompt(step, { problem, labDir: o.labDir, handsHere: o.handsHere }));
      return a.kind === 'manual' ? { answers: a.answers, checked: a.checked } : 'abort';
    },
    async failure(step, error, choices) {
      const a = await o.ask({ kind: 'choice', step: step.id, reason: 'failure', error, choices, index: 0 });
      return a.kind === 'choice' ? a.choice : 'abort';
    },
    async inDoubt(step, targets) {
      const a = await o.ask({ kind: 'choice', step: step.id, reason: 'in-doubt', error: `was running on ${targets.join(', ')} when the last run stopped; not idempotent, no passing post-check`, choices: ['retry', 'skip', 'rollback', 'abort'], index: 0 });
      return a.kind === 'choice' ? a.choice : 'abort';
    },
    async takeover(target, holder) {
      const a = await o.ask({ kind: 'takeover', target, holder, typed: '' });
      return a.kind === 'takeover' && a.ok;
    },
    async changed(oldHash, newHash) {
      const a = await o.ask({ kind: 'changed', oldHash, newHash });
      return a.kind === 'changed' && a.ok;
    },
  };
}
