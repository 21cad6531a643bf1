/**
 * A `console` step on one target: attach to the machine's serial console, let what the console
 * replays on attach (console servers show their recent lines) go by, send the keys, and wait for
 * one of the patterns in what comes after. `scrollback: true` also matches the replayed lines:
 * for looking at what the screen shows now (a panic stays on screen; nothing new comes).
 * When several patterns match, the one matched latest in the text wins: the screen's newest state.
 */
import type { PlanStep } from './plan.js';
import type { KindCtx, KindResult } from './kinds.js';

/** The replay is over when the console has been quiet this long after attach… */
export const CONSOLE_QUIET_MS = 250;
/** …or after this long at most (a console that never stops talking). */
export const CONSOLE_SETTLE_MAX_MS = 1500;
const KEEP = 64 * 1024;

/** The pattern matched latest in `text` (its last match starts furthest on), or undefined. */
export function latestMatch(text: string, patterns: [string, RegExp][]): string | undefined {
  let best: { key: string; at: number } | undefined;
  for (const [key, re] of patterns) {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    let at = -1;
    for (let m = g.exec(text), n = 0; m && n < 10_000; m = g.exec(text), n++) {
      at = m.index;
      if (m[0] === '') g.lastIndex++;
    }
    if (at >= 0 && (!best || at > best.at)) best = { key, at };
  }
  return best?.key;
}

export async function runConsole(ctx: KindCtx, step: PlanStep, target: string): Promise<KindResult> {
  if (!ctx.deps.console) return { ok: false, output: '', error: 'no console available' };
  const c = step.console!;
  let session;
  try {
    session = await ctx.deps.console(target);
  } catch (e) {
    return { ok: false, output: '', error: (e as Error).message.split('\n')[0] };
  }
  const s = session;
  const patterns: [string, RegExp][] = c.expectAny ? Object.entries(c.expectAny).map(([k, v]) => [k, new RegExp(v, 'm')]) : c.expect ? [['matched', new RegExp(c.expect, 'm')]] : [];
  const timeoutMs = c.timeoutMs ?? step.timeoutMs ?? 600_000;
  const what = c.expect ?? Object.keys(c.expectAny ?? {}).join('|');
  try {
    return await new Promise<KindResult>((resolve) => {
      let done = false;
      let all = '';
      /** What the patterns look at: everything with scrollback, else only what came after the replay. */
      let win = '';
      let watching = false;
      let lastData = Date.now();
      const started = Date.now();
      let settleTimer: NodeJS.Timeout | undefined;
      let idleTimer: NodeJS.Timeout | undefined;
      const finish = (r: KindResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(settleTimer);
        clearTimeout(idleTimer);
        resolve(r);
      };
      const check = () => {
        if (!watching || !patterns.length) return;
        const key = latestMatch(win, patterns);
        if (key !== undefined) finish({ ok: true, code: 0, output: win, captured: c.expectAny ? { matched: key } : undefined });
      };
      const timer = setTimeout(() => finish({ ok: false, output: win || all, error: `console: no ${what} within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
      ctx.signal?.addEventListener('abort', () => finish({ ok: false, output: win || all, aborted: true, error: 'aborted' }), { once: true });
      s.onData((d) => {
        lastData = Date.now();
        all = (all + d).slice(-KEEP);
        if (watching || c.scrollback) win = (win + d).slice(-KEEP);
        ctx.record(step.id, target, d);
        ctx.emit({ t: 'output', at: ctx.deps.now(), step: step.id, target, stream: 'stdout', chunk: d });
        check();
      });
      s.onClose(() => finish({ ok: patterns.length === 0, output: win || all, error: patterns.length ? 'console closed' : undefined }));
      const go = () => {
        watching = true;
        check();
        if (done) return;
        if (c.send) s.write(c.send);
        if (!patterns.length) idleTimer = setTimeout(() => finish({ ok: true, code: 0, output: win }), 1000);
      };
      const settle = () => {
        if (done) return;
        const now = Date.now();
        if (now - lastData >= CONSOLE_QUIET_MS || now - started >= CONSOLE_SETTLE_MAX_MS) return go();
        settleTimer = setTimeout(settle, Math.min(CONSOLE_QUIET_MS - (now - lastData), CONSOLE_SETTLE_MAX_MS - (now - started)) + 1);
      };
      settleTimer = setTimeout(settle, CONSOLE_QUIET_MS);
    });
  } finally {
    // wait until the console is really released (SOL allows one session), at most 3 s
    await new Promise<void>((done) => {
      const t = setTimeout(done, 3000);
      s.onClose(() => (clearTimeout(t), done()));
      s.close();
    });
  }
}
