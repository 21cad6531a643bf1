/** How each kind of step runs on one target. Pure of policy: guards and failures are the executor's. */
import type { ExecResult } from '../transport/types.js';
import type { PlanStep } from './plan.js';
import type { Emit, RunDeps } from './runtime.js';
import { runConsole } from './consoleStep.js';

export interface KindResult {
  ok: boolean;
  code?: number | null;
  error?: string;
  /** Output the capture regexes read. */
  output: string;
  aborted?: boolean;
  captured?: Record<string, string>;
  /** The connection to the machine was lost while the step ran: it is in doubt. */
  lost?: boolean;
}

export interface KindCtx {
  deps: RunDeps;
  emit: Emit;
  signal?: AbortSignal;
  /** Record output beside the journal; returns its file name. */
  record(step: string, target: string, chunk: string): void;
  redact(s: string): string;
}

const MAX_KEEP = 256 * 1024;

export async function runCommand(ctx: KindCtx, step: PlanStep, target: string, command: string): Promise<ExecResult> {
  const out = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    ctx.record(step.id, target, chunk);
    ctx.emit({ t: 'output', at: ctx.deps.now(), step: step.id, target, stream, chunk: ctx.redact(chunk) });
  };
  return ctx.deps.exec(target, command, { signal: ctx.signal, timeoutMs: step.timeoutMs, onStdout: out('stdout'), onStderr: out('stderr'), maxOutputBytes: MAX_KEEP });
}

export function describeExit(r: ExecResult, command: string): string {
  if (r.aborted) return 'aborted';
  if (r.timedOut) return `timed out: ${command}`;
  const last = (r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? '';
  return `exit ${r.code ?? r.signal ?? '?'}${last ? `: ${last.slice(0, 200)}` : ''}`;
}

export async function runKind(ctx: KindCtx, step: PlanStep, target: string): Promise<KindResult> {
  const cmd = step.commands.find((c) => c.target === target);
  switch (step.kind) {
    case 'run': {
      const r = await runCommand(ctx, step, target, cmd!.run!);
      return { ok: r.code === 0, code: r.code, output: r.stdout, aborted: r.aborted, error: r.code === 0 ? undefined : describeExit(r, cmd!.run!) };
    }
    case 'ipmi': {
      if (!ctx.deps.ipmi) return { ok: false, output: '', error: 'no IPMI driver available' };
      try {
        const r = await ctx.deps.ipmi(target, step.ipmi!, ctx.signal);
        ctx.record(step.id, target, r.output);
        ctx.emit({ t: 'output', at: ctx.deps.now(), step: step.id, target, stream: 'stdout', chunk: r.output });
        return { ok: true, code: 0, output: r.output };
      } catch (e) {
        return { ok: false, output: '', error: (e as Error).message.split('\n')[0] };
      }
    }
    case 'console':
      return runConsole(ctx, step, target);
    case 'wait':
      return runWait(ctx, step, target);
    default:
      return { ok: false, output: '', error: `step kind ${step.kind} runs in the executor` };
  }
}

async function runWait(ctx: KindCtx, step: PlanStep, target: string): Promise<KindResult> {
  const cmd = step.commands.find((c) => c.target === target)!;
  const w = step.wait!;
  const start = ctx.deps.now();
  const re = w.progress ? new RegExp(w.progress, 'm') : undefined;
  let first: { at: number; pct: number } | undefined;
  let last = '';
  for (let poll = 0; poll < 100_000; poll++) {
    const r = await ctx.deps.exec(target, cmd.until!, { signal: ctx.signal, timeoutMs: Math.min(w.everyMs * 4 + 30_000, w.timeoutMs) }).catch((e: Error) => ({ code: null, stdout: '', stderr: e.message, durationMs: 0, aborted: false }) as ExecResult);
    if (r.aborted || ctx.signal?.aborted) return { ok: false, output: last, aborted: true, error: 'aborted' };
    if (r.code === 0) {
      ctx.emit({ t: 'progress', at: ctx.deps.now(), step: step.id, target, percent: 100, etaMs: 0 });
      return { ok: true, code: 0, output: r.stdout };
    }
    let text = r.stdout;
    if (cmd.status) text = (await ctx.deps.exec(target, cmd.status, { signal: ctx.signal, timeoutMs: 30_000 }).catch(() => ({ stdout: '' }) as ExecResult)).stdout;
    last = text;
    const m = re?.exec(text);
    if (m) {
      const pct = Number(m[1]);
      const now = ctx.deps.now();
      first ??= { at: now, pct };
      const rate = now > first.at ? (pct - first.pct) / (now - first.at) : 0;
      ctx.emit({ t: 'progress', at: now, step: step.id, target, percent: pct, etaMs: rate > 0 ? (100 - pct) / rate : undefined, text: m[0] });
    }
    if (ctx.deps.now() - start + w.everyMs > w.timeoutMs) return { ok: false, output: last, error: `still not done after ${Math.round(w.timeoutMs / 1000)} s: ${cmd.until}` };
    await ctx.deps.sleep(w.everyMs, ctx.signal).catch(() => undefined);
  }
  return { ok: false, output: last, error: 'wait gave up' };
}

/** Apply capture regexes: group 1 when present, else the whole match, else ''. */
export function captureValues(capture: Record<string, string> | undefined, output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, re] of Object.entries(capture ?? {})) {
    const m = new RegExp(re, 'm').exec(output);
    out[k] = m ? (m[1] ?? m[0]) : '';
  }
  return out;
}
