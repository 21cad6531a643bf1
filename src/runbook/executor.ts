/**
 * Runs a runbook step by step: guards (read-only, locks, when, typed confirmation, verify.pre),
 * the step itself, verify.post with retries, failure decisions and rollbacks. Every durable event
 * is journalled before the next command is sent. Resumes from a replayed journal.
 */
import type { Fleet } from '../model/fleet.js';
import type { Runbook } from './schema.js';
import { planStep, planValues, type PlanStep } from './plan.js';
import type { Value } from './template.js';
import type { Choice, RunEvent, RunStatus, StepStatus } from './events.js';
import type { Emit, Prompter, RunDeps, RunOptions } from './runtime.js';
import { captureValues, describeExit, runCommand, runKind, type KindCtx, type KindResult } from './kinds.js';
import { forceLock, releaseLock, takeLock } from './locks.js';
import { isDone, type Replayed } from './replay.js';
import { mapBounded } from '../probe/fanout.js';
import { runManual } from './manual.js';
import { evalCondition } from './condition.js';
import { isTransportError } from '../transport/types.js';

export interface ExecuteInput {
  rb: Runbook;
  file: string;
  hash: string;
  values: Record<string, Value>;
  secrets: Set<string>;
  fleet: Fleet;
  deps: RunDeps;
  prompter: Prompter;
  /** Receives every event (journal first, then screen). */
  emit: Emit;
  record(step: string, target: string, chunk: string): void;
  redact(s: string): string;
  opts: RunOptions;
  resume?: Replayed;
  expectMs: number;
  budgetMs?: number;
}

type StepOutcome = { status: StepStatus; error?: string };

export async function execute(x: ExecuteInput): Promise<RunStatus> {
  const { rb, deps, prompter, opts } = x;
  const now = () => deps.now();
  const emit = x.emit;
  const values: Record<string, Value> = { ...x.values, ...(x.resume?.values ?? {}), operator: opts.operator, run_id: opts.runId };
  const locked = new Set<string>(x.resume?.locks ?? []);
  const completed: PlanStep[] = [];
  const kctx: KindCtx = { deps, emit, signal: opts.signal, record: x.record, redact: x.redact };

  if (x.resume?.start) {
    const changed = x.resume.lastHash !== x.hash;
    emit({ t: 'resume', at: now(), operator: opts.operator, runbookChanged: changed, hash: x.hash });
    if (changed && prompter.changed && !(await prompter.changed(x.resume.lastHash ?? '', x.hash))) {
      emit({ t: 'run-end', at: now(), status: 'aborted', reason: 'the runbook changed since the run started; not resumed' });
      return 'aborted';
    }
  } else {
    const shown: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x.values)) shown[k] = x.secrets.has(k) ? '***' : v;
    emit({ t: 'run-start', at: now(), run: opts.runId, runbook: rb.runbook, title: rb.title, file: x.file, hash: x.hash, params: shown, operator: opts.operator, host: opts.host, budgetMs: x.budgetMs, expectMs: x.expectMs, mode: opts.mode, readOnly: opts.readOnly });
  }

  let ending: { status: RunStatus; reason?: string } | undefined;
  function end(status: RunStatus, reason?: string): RunStatus {
    ending = { status, reason };
    return status;
  }
  // real values (secrets included) for what runs; the journal's redactor masks them
  const vals = () => planValues(rb, values, new Set());

  let status: RunStatus | undefined;
  try {
    for (let i = 0; i < rb.steps.length && !status; i++) {
      let step = planStep(rb.steps[i], i, vals(), x.fleet);
      if (x.resume && isDone(x.resume, step.id)) {
        if (step.commands.some((c) => c.rollback)) completed.push(step);
        continue;
      }
      if (step.problems.length) {
        emit({ t: 'step-done', at: now(), step: step.id, status: 'failed', reason: step.problems.join('; ') });
        status = end('failed', step.problems.join('; '));
        break;
      }
      // A step in doubt: re-run only if idempotent or its post-check passes; else the operator decides.
      const doubt = x.resume?.inDoubt.get(step.id);
      if (doubt?.length) {
        const verdict = await settleDoubt(step, doubt);
        if (verdict === 'done') {
          completed.push(step);
          continue;
        }
        if (verdict === 'skip') continue;
        if (verdict === 'abort') {
          status = end('aborted', `step ${step.id} in doubt: operator aborted`);
          break;
        }
        if (verdict === 'rollback') {
          await rollbackAll();
          status = end('rolled-back', `step ${step.id} in doubt: rolled back`);
          break;
        }
      }
      // a local condition needs no machine: decided before any lock or guard
      if (step.cond !== undefined && !evalCondition(step.cond)) {
        emit({ t: 'step-done', at: now(), step: step.id, status: 'skipped', reason: `if: ${step.cond} is false` });
        continue;
      }
      if (opts.readOnly && !step.readOnly) {
        emit({ t: 'step-done', at: now(), step: step.id, status: 'refused', reason: 'read-only mode: this step changes a machine' });
        status = end('refused', `read-only: step ${step.id} would change ${step.targets.join(', ') || 'something'}`);
        break;
      }
      if (!step.readOnly && !(await lockTargets(step))) {
        status = end('refused', `lock held on ${step.targets.join(', ')}`);
        break;
      }
      for (let attempt = 1; ; attempt++) {
        step = planStep(rb.steps[i], i, vals(), x.fleet);
        const out = await runStep(step, attempt, x.resume?.doneTargets.get(step.id));
        if (out.status === 'ok' || out.status === 'skipped') {
          emit({ t: 'step-done', at: now(), step: step.id, status: out.status, reason: out.error });
          completed.push(step);
          break;
        }
        if (out.status === 'aborted' || opts.signal?.aborted) {
          emit({ t: 'step-done', at: now(), step: step.id, status: 'aborted', reason: out.error });
          status = end('aborted', `aborted during ${step.id}`);
          break;
        }
        if (out.status === 'refused') {
          emit({ t: 'step-done', at: now(), step: step.id, status: 'refused', reason: out.error });
          status = end('refused', out.error);
          break;
        }
        const choices: Choice[] = ['retry', 'skip', 'rollback', 'abort'];
        const choice: Choice = rb.on_failure === 'stop' ? 'abort' : rb.on_failure === 'rollback' ? 'rollback' : await prompter.failure(step, out.error ?? 'failed', choices);
        emit({ t: 'decision', at: now(), step: step.id, choice, by: rb.on_failure && rb.on_failure !== 'ask' ? `on_failure: ${rb.on_failure}` : opts.operator, why: out.error ?? 'failed' });
        if (choice === 'retry') continue;
        if (choice === 'skip') {
          emit({ t: 'step-done', at: now(), step: step.id, status: 'skipped', reason: `skipped after failure: ${out.error}` });
          break;
        }
        emit({ t: 'step-done', at: now(), step: step.id, status: 'failed', reason: out.error });
        if (choice === 'rollback') {
          if (step.commands.some((c) => c.rollback)) completed.push(step);
          await rollbackAll();
          status = end('rolled-back', `${step.id} failed: ${out.error}`);
        } else status = end('failed', `${step.id} failed: ${out.error}`);
        break;
      }
    }
    status ??= end('done');
  } catch (e) {
    // a bug or an unexpected failure still ends the run on record
    status = end('failed', `unexpected error: ${(e as Error)?.message?.split('\n')[0] ?? String(e)}`);
  } finally {
    if (status && !opts.signal?.aborted) for (const t of locked) if (await releaseLock(deps, t, opts.runId).catch(() => false)) emit({ t: 'lock', at: now(), target: t, action: 'release' });
    if (ending) emit({ t: 'run-end', at: now(), status: ending.status, reason: ending.reason });
  }
  return status;

  async function settleDoubt(step: PlanStep, targets: string[]): Promise<'rerun' | 'done' | 'skip' | 'abort' | 'rollback'> {
    if (step.idempotent) {
      emit({ t: 'decision', at: now(), step: step.id, choice: 'rerun', by: 'baie', why: 'in doubt after a crash; idempotent, so re-run' });
      return 'rerun';
    }
    const posts = step.commands.filter((c) => targets.includes(c.target) && c.post);
    if (posts.length === targets.length && posts.length > 0) {
      const res = await Promise.all(posts.map((c) => deps.exec(c.target, c.post!, { signal: opts.signal, timeoutMs: 60_000 }).catch(() => undefined)));
      if (res.every((r) => r?.code === 0)) {
        emit({ t: 'decision', at: now(), step: step.id, choice: 'accept', by: 'baie', why: 'in doubt after a crash; verify.post passes now' });
        emit({ t: 'step-done', at: now(), step: step.id, status: 'ok', reason: 'in doubt; verify.post passed' });
        return 'done';
      }
    }
    const c = await prompter.inDoubt(step, targets);
    emit({ t: 'decision', at: now(), step: step.id, choice: c, by: opts.operator, why: `in doubt on ${targets.join(', ')} (not idempotent, no passing post-check)` });
    if (c === 'skip') emit({ t: 'step-done', at: now(), step: step.id, status: 'skipped', reason: 'in doubt; operator skipped' });
    return c === 'retry' ? 'rerun' : c;
  }

  async function lockTargets(step: PlanStep): Promise<boolean> {
    const since = new Date(now()).toISOString();
    for (const t of step.targets) {
      if (locked.has(t) || step.kind === 'manual') continue;
      if (step.kind === 'ipmi' || step.kind === 'hostkey' || step.kind === 'console') continue; // the host may be down: locks live on the machine
      const owner = { operator: opts.operator, run: opts.runId, runbook: rb.runbook, since };
      const r = await takeLock(deps, t, owner, opts.signal).catch((e: Error) => ({ ok: false as const, holder: `unreachable (${e.message.split('\n')[0]})` }));
      if (r.ok) {
        locked.add(t);
        emit({ t: 'lock', at: now(), target: t, action: 'take' });
        continue;
      }
      if (r.holder.startsWith('unreachable')) {
        // cannot lock a dead machine; the step itself will fail or not need it
        emit({ t: 'note', at: now(), text: `could not lock ${t}: ${r.holder}` });
        continue;
      }
      emit({ t: 'lock', at: now(), target: t, action: 'refused', holder: r.holder });
      if (!(await prompter.takeover(t, r.holder))) return false;
      if (!(await forceLock(deps, t, owner, opts.signal))) return false;
      locked.add(t);
      emit({ t: 'lock', at: now(), target: t, action: 'takeover', holder: r.holder });
    }
    return true;
  }

  async function runStep(step: PlanStep, attempt: number, alreadyDone?: Set<string>): Promise<StepOutcome> {
    if (step.kind === 'manual') return runManual({ deps, prompter, emit, now, values, lookup: (n) => planValues(rb, values, x.secrets)[n] }, step);
    if (step.kind === 'script') return runScript(step, attempt);
    let targets = step.targets.filter((t) => !alreadyDone?.has(t));
    // when: skip targets whose condition fails
    const skipped: string[] = [];
    for (const c of step.commands.filter((c) => c.when && targets.includes(c.target))) {
      const r = await deps.exec(c.target, c.when!, { signal: opts.signal, timeoutMs: 60_000 }).catch((e: Error) => ({ code: null, stdout: '', stderr: e.message.split('\n')[0], durationMs: 0 }));
      if (r.code !== 0) {
        skipped.push(c.target);
        emit({ t: 'step-end', at: now(), step: step.id, target: c.target, status: 'skipped', code: r.code, durationMs: r.durationMs, error: `when: ${c.when} → ${r.code === null ? r.stderr : `exit ${r.code}`}` });
      }
    }
    targets = targets.filter((t) => !skipped.includes(t));
    if (!targets.length) return { status: 'skipped', error: skipped.length ? 'when condition false' : undefined };
    if (step.destructive || step.kind === 'hostkey') {
      for (const t of targets) {
        const ok = await confirmTarget(step, t);
        if (!ok) return { status: 'refused', error: `confirmation for ${t} refused` };
      }
    }
    for (const c of step.commands.filter((c) => c.pre && targets.includes(c.target))) {
      const r = await deps.exec(c.target, c.pre!, { signal: opts.signal, timeoutMs: 60_000 }).catch((e: Error) => ({ code: null, stdout: '', stderr: e.message.split('\n')[0], durationMs: 0 }) as Awaited<ReturnType<RunDeps['exec']>>);
      if (r.code !== 0) {
        const why = `pre-check failed on ${c.target}: ${describeExit(r, c.pre!)}`;
        // before anything changed, a failing pre-check means the runbook does not apply here
        if (!completed.some((x) => !x.readOnly)) return { status: 'refused', error: why };
        return { status: r.aborted ? 'aborted' : 'failed', error: why };
      }
    }
    const results = await mapBounded(targets, step.parallel, async (t) => {
      const started = now();
      emit({ t: 'step-start', at: started, step: step.id, target: t, attempt, kind: step.kind, command: step.commands.find((c) => c.target === t)?.run ?? step.ipmi });
      let r: KindResult;
      if (step.kind === 'hostkey') r = await trustKey(step, t);
      else r = await runKind(kctx, step, t).catch((e: Error): KindResult => ({ ok: false, output: '', error: e.message.split('\n')[0], lost: isTransportError(e) && e.kind !== 'auth' && !e.kind.startsWith('hostkey') }));
      if (r.lost) r = await afterLostConnection(step, t, r);
      if (r.ok) {
        for (const [k, v] of Object.entries({ ...captureValues(step.capture, r.output), ...(r.captured ?? {}) })) {
          values[k] = v;
          emit({ t: 'capture', at: now(), step: step.id, name: k, value: x.redact(v) });
        }
        const post = step.commands.find((c) => c.target === t)?.post;
        if (post) {
          const pr = await pollPost(step, t, post);
          if (!pr.ok) r = { ...r, ok: false, error: pr.error };
        }
      }
      const st: StepStatus = r.ok ? 'ok' : r.aborted || opts.signal?.aborted ? 'aborted' : 'failed';
      emit({ t: 'step-end', at: now(), step: step.id, target: t, status: st, code: r.code, durationMs: now() - started, error: r.error });
      return { t, st, error: r.error };
    });
    const bad = results.find((r) => r.st !== 'ok');
    return bad ? { status: bad.st, error: `${bad.t}: ${bad.error ?? bad.st}` } : { status: 'ok' };
  }

  /**
   * The connection dropped mid-step: the step is in doubt on that machine. Wait for the machine to
   * answer again, then re-run only if idempotent or if verify.post now passes; otherwise ask.
   */
  async function afterLostConnection(step: PlanStep, t: string, r: KindResult): Promise<KindResult> {
    emit({ t: 'note', at: now(), text: `connection to ${t} lost during ${step.id} (${r.error}); the step is in doubt, waiting for ${t}` });
    const deadline = now() + (step.timeoutMs ?? 15 * 60_000);
    let back = false;
    for (let i = 0; now() < deadline && !opts.signal?.aborted; i++) {
      const ping = await deps.exec(t, 'true', { signal: opts.signal, timeoutMs: 10_000 }).catch(() => undefined);
      if (ping && ping.code === 0) {
        back = true;
        break;
      }
      await deps.sleep(Math.min(10_000, 1000 * 2 ** Math.min(i, 3)), opts.signal).catch(() => undefined);
    }
    if (!back) return { ...r, lost: false, error: `${t} did not come back after the connection was lost` };
    emit({ t: 'note', at: now(), text: `${t} answers again` });
    const post = step.commands.find((c) => c.target === t)?.post;
    if (step.idempotent) {
      emit({ t: 'decision', at: now(), step: step.id, choice: 'rerun', by: 'baie', why: `connection lost on ${t}; idempotent, so re-run` });
      return runKind(kctx, step, t).catch((e: Error): KindResult => ({ ok: false, output: '', error: e.message.split('\n')[0] }));
    }
    if (post) {
      const pr = await deps.exec(t, post, { signal: opts.signal, timeoutMs: 60_000 }).catch(() => undefined);
      if (pr?.code === 0) {
        emit({ t: 'decision', at: now(), step: step.id, choice: 'accept', by: 'baie', why: `connection lost on ${t}; verify.post passes` });
        return { ok: true, code: 0, output: r.output };
      }
    }
    const c = await prompter.inDoubt(step, [t]);
    emit({ t: 'decision', at: now(), step: step.id, choice: c, by: opts.operator, why: `connection lost on ${t}; not idempotent, no passing post-check` });
    if (c === 'retry') return runKind(kctx, step, t).catch((e: Error): KindResult => ({ ok: false, output: '', error: e.message.split('\n')[0] }));
    if (c === 'skip') return { ok: true, code: null, output: '', error: 'skipped after a lost connection' };
    return { ...r, lost: false, aborted: c === 'abort' };
  }

  async function pollPost(step: PlanStep, target: string, post: string): Promise<{ ok: boolean; error?: string }> {
    let last = '';
    for (let i = 0; i <= step.retries; i++) {
      const r = await deps.exec(target, post, { signal: opts.signal, timeoutMs: 60_000 });
      if (r.code === 0) return { ok: true };
      last = describeExit(r, post);
      if (r.aborted || i === step.retries) break;
      await deps.sleep(step.delayMs, opts.signal).catch(() => undefined);
    }
    return { ok: false, error: `post-check failed on ${target}: ${post} → ${last}` };
  }

  async function confirmTarget(step: PlanStep, target: string): Promise<boolean> {
    const fp = step.kind === 'hostkey' && deps.hostKey ? (await deps.hostKey(target).catch(() => undefined))?.fingerprint : undefined;
    const question = step.kind === 'hostkey' ? `${target} presents a NEW host key ${fp ?? '(unknown)'}. Type ${target} to trust it` : `${step.title} on ${target} is destructive. Type ${target} to go on`;
    for (let tries = 0; tries < 3; tries++) {
      const a = await prompter.confirm(step, target, question);
      const typed = a.typed ?? '';
      const ok = a.typed !== undefined && typed === target;
      emit({ t: 'confirm', at: now(), step: step.id, target, operator: opts.operator, typed, ok, why: ok ? undefined : (a.why ?? (a.typed === undefined ? 'cancelled' : `typed '${typed}', expected '${target}'`)) });
      if (ok) return true;
      if (a.typed === undefined) return false;
    }
    return false;
  }

  async function trustKey(step: PlanStep, t: string): Promise<KindResult> {
    if (!deps.hostKey) return { ok: false, output: '', error: 'host keys cannot be changed here' };
    try {
      const k = await deps.hostKey(t);
      await k.trust();
      emit({ t: 'hostkey', at: now(), step: step.id, target: t, fingerprint: k.fingerprint, accepted: true });
      return { ok: true, code: 0, output: k.fingerprint };
    } catch (e) {
      return { ok: false, output: '', error: (e as Error).message.split('\n')[0] };
    }
  }

  async function runScript(step: PlanStep, attempt: number): Promise<StepOutcome> {
    if (!deps.script) return { status: 'failed', error: 'scripts cannot run here' };
    const started = now();
    const file = rb.steps[step.index].script!;
    emit({ t: 'step-start', at: started, step: step.id, target: 'local', attempt, kind: 'script', command: file });
    const env: Record<string, string> = { BAIE_RUN: opts.runId, BAIE_OPERATOR: opts.operator, BAIE_RUNBOOK: rb.runbook };
    const pub: Record<string, Value> = {};
    for (const [k, v] of Object.entries(values)) if (!x.secrets.has(k)) pub[k] = v;
    env.BAIE_VALUES = JSON.stringify(pub);
    const r = await deps.script(new URL(file, `file://${x.file}`).pathname, env, {
      signal: opts.signal,
      timeoutMs: step.timeoutMs,
      onStdout: (c) => (x.record(step.id, 'local', c), emit({ t: 'output', at: now(), step: step.id, target: 'local', stream: 'stdout', chunk: x.redact(c) })),
      onStderr: (c) => (x.record(step.id, 'local', c), emit({ t: 'output', at: now(), step: step.id, target: 'local', stream: 'stderr', chunk: x.redact(c) })),
    });
    for (const [k, v] of Object.entries(captureValues(step.capture, r.stdout))) {
      values[k] = v;
      emit({ t: 'capture', at: now(), step: step.id, name: k, value: x.redact(v) });
    }
    const st: StepStatus = r.code === 0 ? 'ok' : r.aborted ? 'aborted' : 'failed';
    emit({ t: 'step-end', at: now(), step: step.id, target: 'local', status: st, code: r.code, durationMs: now() - started, error: r.code === 0 ? undefined : describeExit(r, file) });
    return { status: st, error: r.code === 0 ? undefined : describeExit(r, file) };
  }

  async function rollbackAll(): Promise<void> {
    for (const step of [...completed].reverse()) {
      for (const c of step.commands.filter((c) => c.rollback)) {
        const r = await runCommand(kctx, step, c.target, c.rollback!).catch((e: Error) => ({ code: null, stdout: '', stderr: e.message, durationMs: 0 }));
        emit({ t: 'rollback', at: now(), step: step.id, target: c.target, status: r.code === 0 ? 'ok' : 'failed', code: r.code, command: c.rollback! });
      }
    }
  }
}

export type { RunEvent };
