/**
 * Console steps against a scripted serial console that, like a console server, replays its recent
 * lines on attach: only what comes after the replay ends a step, unless `scrollback: true`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { startRun } from '../../src/runbook/session.js';
import { readJournal } from '../../src/runbook/journal.js';
import { latestMatch } from '../../src/runbook/consoleStep.js';
import type { Prompter, RunDeps } from '../../src/runbook/runtime.js';
import type { PtySession } from '../../src/transport/types.js';
import type { Fleet } from '../../src/model/fleet.js';

const fleet: Fleet = { sites: [{ name: 'lyon' }], racks: [{ name: 'r1', site: 'lyon', height: 42 }], vms: [], machines: [{ name: 'eva', site: 'lyon', rack: 'r1', u: 1, height: 1, roles: ['web'], disks: [], services: [] }] };

interface Script {
  /** What the console shows again when a session attaches. */
  replay: string;
  /** What the machine prints in answer to keys. */
  answer?(keys: string): string | undefined;
  /** Printed this long after attach, whatever is typed. */
  later?: { ms: number; text: string };
}

function fakeConsole(script: Script, log: { at: number; what: string }[]): () => Promise<PtySession> {
  return async () => {
    const data: ((d: string) => void)[] = [];
    const closes: ((i: { code: number | null }) => void)[] = [];
    const t0 = Date.now();
    const timers: NodeJS.Timeout[] = [];
    const show = (text: string, what: string) => {
      log.push({ at: Date.now() - t0, what });
      for (const cb of data) cb(text);
    };
    timers.push(setTimeout(() => show(script.replay, 'replay'), 5));
    if (script.later) timers.push(setTimeout(() => show(script.later!.text, 'later'), script.later.ms));
    return {
      write(keys) {
        log.push({ at: Date.now() - t0, what: `keys ${JSON.stringify(String(keys))}` });
        const a = script.answer?.(String(keys));
        if (a !== undefined) timers.push(setTimeout(() => show(a, 'answer'), 10));
      },
      resize() {},
      onData: (cb) => void data.push(cb),
      onClose: (cb) => void closes.push(cb),
      close() {
        timers.forEach(clearTimeout);
        for (const cb of closes.splice(0)) cb({ code: 0 });
      },
    };
  };
}

const prompter: Prompter = {
  confirm: async (_s, t) => ({ typed: t }),
  manual: async () => 'abort',
  failure: async () => 'abort',
  inDoubt: async () => 'abort',
  takeover: async () => false,
};

async function runStep(step: string, script: Script) {
  const yaml = `runbook: console-test\ntitle: t\nparams: {host: {type: host}}\nsteps:\n${step}`;
  const loaded = parseRunbook(yaml, '/tmp/console-test.yaml');
  expect(loaded.problems).toEqual([]);
  const params = resolveParams(loaded.runbook!, { host: 'eva' }, fleet, {});
  const log: { at: number; what: string }[] = [];
  const deps: RunDeps = {
    exec: async () => ({ code: 0, stdout: '', stderr: '', durationMs: 0 }),
    console: fakeConsole(script, log),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
  };
  const h = startRun({ loaded, params, fleet, deps, prompter, journalDir: mkdtempSync(join(tmpdir(), 'baie-console-')), operator: 'alice' });
  const status = await h.status;
  const events = readJournal(h.file).events;
  const done = events.find((e) => e.t === 'step-done');
  const failure = events.find((e) => e.t === 'step-end' && e.status !== 'ok');
  const matched = events.find((e) => e.t === 'capture' && e.name === 'matched');
  return { status, done, failure, matched: matched && matched.t === 'capture' ? matched.value : undefined, log };
}

const OLD_SCREEN = 'eva login: root\r\nPassword: \r\nroot@eva:~# \r\nroot@eva:~# exit\r\n\r\nDebian GNU/Linux 12 eva ttyS0\r\n\r\neva login: ';

describe('console steps and the lines a console replays on attach', () => {
  it('a login prompt left on screen does not end a step that waits for the next one', async () => {
    const r = await runStep(`  - id: boot\n    on: "{{host}}"\n    console: {expect: 'login:\\s*$', timeout: 2s}\n`, { replay: OLD_SCREEN });
    expect(r.status).toBe('failed');
    expect(JSON.stringify(r.failure)).toContain('console: no login:');
  });

  it('the same step ends when a fresh prompt comes after the replay', async () => {
    const r = await runStep(`  - id: boot\n    on: "{{host}}"\n    console: {expect: 'login:\\s*$', timeout: 5s}\n`, { replay: OLD_SCREEN, later: { ms: 700, text: '[  OK  ] Reached target getty.\r\n\r\neva login: ' } });
    expect(r.status).toBe('done');
  });

  it('keys are sent once the replay is over, and only the answer is matched', async () => {
    // the stale "root@eva:~# " line would match '# $' at once if the replay counted
    const r = await runStep(`  - id: password\n    on: "{{host}}"\n    console: {send: "hunter2\\n", expect_any: {shell: '# $', refused: 'Login incorrect'}, timeout: 3s}\n`, {
      replay: OLD_SCREEN,
      answer: (k) => (k === 'hunter2\n' ? '\r\nLogin incorrect\r\neva login: ' : undefined),
    });
    expect(r.status).toBe('done');
    expect(r.matched).toBe('refused');
    const replay = r.log.find((l) => l.what === 'replay')!;
    const keys = r.log.find((l) => l.what.startsWith('keys'))!;
    expect(keys.at).toBeGreaterThan(replay.at);
  });

  it('with scrollback: true the replayed lines count, and the newest match wins', async () => {
    const panicked = 'eva login: \r\n[ 8123.4] Kernel panic - not syncing: Fatal exception\r\n[ 8123.5] ---[ end Kernel panic - not syncing: Fatal exception ]---\r\n';
    const step = `  - id: look\n    on: "{{host}}"\n    console: {send: "\\n", expect_any: {panic: 'Kernel panic', login: 'login:\\s*$'}, scrollback: true, timeout: 3s}\n`;
    const a = await runStep(step, { replay: panicked });
    expect(a.status).toBe('done');
    expect(a.matched).toBe('panic');
    // an old panic above a fresh boot: the screen shows a login prompt now
    const b = await runStep(step, { replay: panicked + '\r\nDebian GNU/Linux 12 eva ttyS0\r\n\r\neva login: ' });
    expect(b.matched).toBe('login');
    // without scrollback the silent panicked console gives nothing to match
    const c = await runStep(step.replace(', scrollback: true', '').replace('timeout: 3s', 'timeout: 2s'), { replay: panicked });
    expect(c.status).toBe('failed');
  });

  it('latestMatch picks the pattern whose last match starts furthest on', () => {
    const pats: [string, RegExp][] = [['panic', /Kernel panic/m], ['login', /login:\s*$/m]];
    expect(latestMatch('login: \nKernel panic\n', pats)).toBe('panic');
    expect(latestMatch('Kernel panic\nlogin: ', pats)).toBe('login');
    expect(latestMatch('nothing here', pats)).toBeUndefined();
    expect(latestMatch('a\nb\n', [['empty', /^/m]])).toBe('empty');
  });
});
