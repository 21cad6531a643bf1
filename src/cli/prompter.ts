/**
 * The operator's answers in a terminal (readline on stderr, so --json stdout stays clean), or the
 * rules of an unattended run: --yes answers yes, but a destructive step only touches machines
 * named with --confirm, and manual questions need --answer step.key=value.
 */
import { createInterface } from 'node:readline/promises';
import type { Prompter } from '../runbook/runtime.js';
import type { Choice } from '../runbook/events.js';

export interface PrompterOptions {
  yes: boolean;
  confirm: string[];
  answers: Record<string, string>;
  inDoubt?: Choice;
  interactive: boolean;
  err: NodeJS.WritableStream;
}

export function parseAnswers(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) {
    const i = a.indexOf('=');
    if (i > 0) out[a.slice(0, i)] = a.slice(i + 1);
  }
  return out;
}

export function cliPrompter(o: PrompterOptions): Prompter & { close(): void } {
  const rl = o.interactive ? createInterface({ input: process.stdin, output: o.err as NodeJS.WritableStream, terminal: true }) : undefined;
  const ask = async (q: string): Promise<string | undefined> => {
    if (!rl) return undefined;
    try {
      return (await rl.question(q)).trim();
    } catch {
      return undefined;
    }
  };
  const choose = async (q: string, choices: Choice[]): Promise<Choice> => {
    for (let i = 0; i < 5; i++) {
      const a = await ask(`${q} [${choices.join('/')}] `);
      if (a === undefined) return 'abort';
      const c = choices.find((x) => x === a || x[0] === a);
      if (c) return c;
    }
    return 'abort';
  };
  return {
    close: () => rl?.close(),
    async confirm(step, target, question) {
      if (o.yes || !o.interactive) {
        if (o.confirm.includes(target)) return { typed: target };
        return { why: `unattended: ${target} was not named with --confirm ${target}` };
      }
      const a = await ask(`\n⚠ ${question} (empty to cancel): `);
      return a ? { typed: a } : { why: 'cancelled' };
    },
    async manual(step, problem) {
      if (problem) o.err.write(`  ✗ ${problem}\n`);
      if (o.yes || !o.interactive) {
        const answers: Record<string, string> = {};
        for (const k of Object.keys(step.ask ?? {})) {
          const v = o.answers[`${step.id}.${k}`] ?? o.answers[k];
          if (v === undefined) {
            o.err.write(`  manual step ${step.id} needs --answer ${step.id}.${k}=VALUE when unattended\n`);
            return 'abort';
          }
          answers[k] = v;
        }
        if (problem) return 'abort';
        return { answers, checked: step.checklist ?? [] };
      }
      o.err.write(`\n── MANUAL: ${step.title}\n${(step.manual ?? '').trim().replace(/^/gm, '   ')}\n`);
      const checked: string[] = [];
      for (const c of step.checklist ?? []) {
        const a = await ask(`   [ ] ${c} — done? (y/n, a to abort) `);
        if (a === undefined || a === 'a') return 'abort';
        if (/^y/i.test(a)) checked.push(c);
      }
      const answers: Record<string, string> = {};
      for (const [k, q] of Object.entries(step.ask ?? {})) {
        const a = await ask(`   ${k}${q.doc ? ` (${q.doc})` : ''}: `);
        if (a === undefined) return 'abort';
        answers[k] = a;
      }
      if (!step.ask && !step.checklist) {
        const a = await ask('   Enter when done, a to abort: ');
        if (a === undefined || a === 'a') return 'abort';
      }
      return { answers, checked };
    },
    async failure(step, error, choices) {
      o.err.write(`\n✗ ${step.id} failed: ${error}\n`);
      if (o.yes || !o.interactive) return 'abort';
      return choose('What now?', choices);
    },
    async inDoubt(step, targets) {
      o.err.write(`\n? ${step.id} was running on ${targets.join(', ')} when the last run stopped; it is not idempotent and has no passing post-check.\n`);
      if (o.inDoubt) return o.inDoubt;
      if (o.yes || !o.interactive) return 'abort';
      return choose('Retry it, skip it, roll back, or abort?', ['retry', 'skip', 'rollback', 'abort']);
    },
    async takeover(target, holder) {
      o.err.write(`\n🔒 ${target} is locked by another run: ${holder}\n`);
      if (o.yes || !o.interactive) return false;
      const a = await ask(`   Type ${target} to take the lock over (empty to stop): `);
      return a === target;
    },
    async changed() {
      o.err.write('\n! The runbook file changed since this run started.\n');
      if (o.yes || !o.interactive) return true;
      const a = await ask('   Go on with the new version? (y/N) ');
      return /^y/i.test(a ?? '');
    },
  };
}
