/**
 * The runbooks, params, plan, run and journal views over a real RunsController and the real engine
 * (startRun, journal on disk), with fake machines behind RunDeps.
 */
import React from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import { createStore } from '../../src/app/store.js';
import { initialState, reduce, type Action, type AppState } from '../../src/app/state.js';
import type { Controller } from '../../src/app/controller.js';
import { RunsController } from '../../src/app/runs/controller.js';
import { appendOutput } from '../../src/app/runs/live.js';
import type { RunDeps } from '../../src/runbook/runtime.js';
import type { ExecResult } from '../../src/transport/types.js';
import { fleet, tick } from './harness.js';

const ESC = '\u001b';
const DOWN = '\u001b[B';
const UP = '\u001b[A';
const ENTER = '\r';
const CTRL_U = '\u0015';

const RUNBOOK = `runbook: tui-test
title: Test the run view
doc: |
  A runbook for the console tests.
  Second line of the doc.
budget: 10m
applies_to: [nfs]
params:
  host: {type: host, role: nfs, required: true, doc: The filer}
  mode: {type: enum, values: [fast, slow], default: fast}
  token: {type: secret, env: BAIE_TEST_TOKEN, required: false}
steps:
  - id: look
    title: Look at the arrays
    on: "{{host}}"
    run: cat /proc/mdstat
    read_only: true
    expect: 1m
  - id: wipe
    title: Wipe the mark
    on: "{{host}}"
    destructive: true
    run: rm -f /tmp/mark
    expect: 1m
  - id: swap
    title: Swap the disk
    manual: Pull the blinking disk and insert the new one.
    checklist: [Old disk out, New disk in]
    ask: {serial: {pattern: '^[A-Z0-9-]{6,}$'}}
    hands: swap-disk {{host}} sdb
    expect: 5m
  - id: sync
    title: Resync
    on: "{{host}}"
    wait: {until: grep -q done /tmp/sync, every: 1s, timeout: 1m, progress: 'recovery = *([0-9.]+)%'}
    expect: 2m
`;

const FLAKY = `runbook: flaky
title: A step that fails once
applies_to: [web]
steps:
  - id: try
    title: Try the thing
    on: emma
    run: try-thing
`;

const MDSTAT = 'Personalities : [raid1]\nmd0 : active raid1 sdb2[1] sda2[0]\n      976630464 blocks super 1.2 [2/1] [U_]\n';

/** Machines that answer a few commands; locks are kept per machine like the real mkdir lock. */
function fakeMachines() {
  const locks = new Map<string, string>();
  const log: string[] = [];
  let syncPct = 0;
  let syncDone = false;
  let tries = 0;
  const res = (code: number, stdout = '', stderr = ''): ExecResult => ({ code, stdout, stderr, durationMs: 1 });
  const deps: RunDeps = {
    async exec(target, cmd, opts) {
      log.push(`${target}$ ${cmd}`);
      await new Promise((r) => setTimeout(r, 5));
      const echo = /echo (.*) > \/run\/lock\/baie\/owner/.exec(cmd);
      if (echo) {
        if (cmd.startsWith('mkdir -p /run/lock &&') && locks.has(target)) return res(1, '', 'mkdir: cannot create directory: File exists');
        locks.set(target, echo[1].replace(/^'|'$/g, ''));
        return res(0);
      }
      if (cmd === 'cat /run/lock/baie/owner') return locks.has(target) ? res(0, locks.get(target)! + '\n') : res(1, '', 'No such file');
      if (cmd === 'rm -rf /run/lock/baie') return (locks.delete(target), res(0));
      if (cmd === 'cat /proc/mdstat') {
        opts?.onStdout?.(MDSTAT);
        return res(0, MDSTAT);
      }
      if (cmd === 'rm -f /tmp/mark') return res(0);
      if (cmd === 'try-thing') {
        tries++;
        opts?.onStderr?.('try-thing: device busy\n');
        return tries === 1 ? res(1, '', 'try-thing: device busy') : res(0, 'ok\n');
      }
      if (cmd === 'grep -q done /tmp/sync') {
        if (syncDone) return res(0);
        syncPct = Math.min(99, syncPct + 7);
        return res(1, `      [=>...]  recovery = ${syncPct.toFixed(1)}% (1/2) finish=3.2min\n`);
      }
      return res(127, '', `${cmd.split(' ')[0]}: command not found`);
    },
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise((ok, fail) => {
        const t = setTimeout(ok, Math.min(ms, 30));
        signal?.addEventListener('abort', () => (clearTimeout(t), fail(new Error('aborted'))), { once: true });
      }),
  };
  return { deps, log, locks, finishSync: () => (syncDone = true) };
}

let root: string;
let rbDir: string;
let jDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'baie-runs-ui-'));
  rbDir = join(root, 'runbooks');
  jDir = join(root, 'runs');
  mkdirSync(rbDir);
  writeFileSync(join(rbDir, 'tui-test.yaml'), RUNBOOK);
  writeFileSync(join(rbDir, 'flaky.yaml'), FLAKY);
});

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
  rmSync(root, { recursive: true, force: true });
});

function setup(opts: { readOnly?: boolean; ascii?: boolean; hands?: (a: string) => Promise<string> } = {}) {
  const f = fleet();
  const store = createStore<AppState, Action>(reduce, initialState(f, { readOnly: opts.readOnly, lab: true, ascii: opts.ascii }));
  const m = fakeMachines();
  const calls: string[] = [];
  const runs = new RunsController({
    store,
    fleet: f,
    deps: () => m.deps,
    journalDir: () => jDir,
    runbookDirs: () => [rbDir],
    operator: () => 'alice',
    env: {},
    labDir: '/tmp/lab',
    hands: opts.hands,
    flushMs: 10,
  });
  const controller: Controller = {
    store,
    refreshMs: 10_000,
    runs,
    refresh: () => calls.push('refresh'),
    openShell: (x) => calls.push(`shell:${x}`),
    openConsole: (x) => calls.push(`console:${x}`),
    power: (x, a) => calls.push(`power:${x}:${a}`),
    quit: () => calls.push('quit'),
  };
  const r = render(<App controller={controller} />);
  unmount = r.unmount;
  const type = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  const frame = () => r.lastFrame() ?? '';
  const until = async (re: RegExp, ms = 5000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (re.test(frame())) return frame();
      await new Promise((x) => setTimeout(x, 20));
    }
    throw new Error(`screen never matched ${re}:\n${frame()}`);
  };
  return { store, runs, m, calls, type, frame, until, s: () => store.getState() };
}

/** Open the runbooks view and fill the form of tui-test with fey, up to the plan. */
async function toPlan(h: ReturnType<typeof setup>) {
  await h.type('4');
  await h.until(/tui-test/);
  await h.type('/', 't', 'u', 'i', ENTER, ENTER);
  await h.until(/fill the parameters/);
  await h.type(ENTER, 'f', ENTER);
  await h.type(DOWN, DOWN, ENTER);
  await h.until(/Plan: Test the run view/);
}

describe('runbooks view', () => {
  it('lists runbooks with budget and title, shows the doc of the selected one, and filters with /', async () => {
    const h = setup();
    await h.type('4');
    const f = await h.until(/tui-test/);
    expect(f).toMatch(/tui-test\s+10m\s+Test the run view/);
    expect(f).toContain('flaky');
    // the first row is selected: its doc is shown beside it
    const first = h.s().runUi.catalog.entries[0].name;
    // the doc pane wraps the title: every word of it is there, in order
    const words = h.s().runUi.catalog.entries[0].title.split(' ');
    expect(f.replace(/\s+/g, ' ')).toContain(words.slice(-3).join(' '));
    await h.type('/', 'f', 'l', 'a', 'k', ENTER);
    const g = h.frame();
    expect(g).toContain('flaky');
    expect(g).not.toMatch(/tui-test\s+10m/);
    expect(g).toContain('A step that fails once');
    expect(first).toBeTruthy();
  });

  it('from a machine, R offers only the runbooks that apply to its roles, with its name filled in', async () => {
    const h = setup();
    h.store.dispatch({ type: 'select', machine: 'fey' });
    h.store.dispatch({ type: 'go', view: 'machine' });
    await h.type('R');
    const f = await h.until(/Runbooks for fey/);
    expect(f).toContain('tui-test');
    expect(f).not.toContain('flaky');
    await h.type('/', 't', 'u', 'i', ENTER, ENTER);
    await h.until(/fill the param/);
    expect(h.s().runUi.form!.fields.find((x) => x.spec.name === 'host')!.value).toBe('fey');
    expect(h.frame()).toMatch(/host\*\s+fey/);
  });
});

describe('params form and plan', () => {
  it('host picker offers only machines with the role; enum shows its choices; secrets say where they come from', async () => {
    const h = setup();
    await h.type('4');
    await h.until(/tui-test/);
    await h.type('/', 't', 'u', 'i', ENTER, ENTER);
    await h.until(/fill the parameters/);
    expect(h.frame()).toMatch(/token\s+\(not set\)\s+secret from \$BAIE_TEST_TOKEN: NOT SET \(never typed here\)/);
    await h.type(ENTER);
    let f = await h.until(/pick:/);
    expect(f).toContain('fey');
    expect(f).not.toMatch(/^\s*│?\s*emma/m);
    expect(f).not.toContain('pve1');
    // a name that does not have the role is not offered
    await h.type('e', 'm');
    expect(h.frame()).toContain('no machine matches (role nfs)');
    await h.type('\u007f', '\u007f', ENTER);
    expect(h.s().runUi.form!.fields[0].value).toBe('fey');
    await h.type(ENTER);
    f = await h.until(/pick:/);
    expect(f).toContain('fast');
    expect(f).toContain('slow');
    await h.type(DOWN, ENTER);
    expect(h.s().runUi.form!.fields[1].value).toBe('slow');
  });

  it('refuses to plan with a missing host and says which', async () => {
    const h = setup();
    await h.type('4');
    await h.until(/tui-test/);
    await h.type('/', 't', 'u', 'i', ENTER, ENTER);
    await h.until(/fill the parameters/);
    await h.type(UP, ENTER);
    const f = await h.until(/missing parameter 'host'/);
    expect(f).toContain("missing parameter 'host'");
    expect(h.s().view).toBe('params');
  });

  it('shows the plan with resolved commands; read-only mode refuses y and says why', async () => {
    const h = setup({ readOnly: true });
    await toPlan(h);
    const f = h.frame();
    expect(f).toContain('run    fey$ cat /proc/mdstat');
    expect(f).toContain('DESTRUCTIVE: type the machine name');
    await h.type('y');
    const g = await h.until(/read-only mode: \d step\(s\) change machines/);
    expect(g).toContain('wipe');
    expect(h.s().view).toBe('plan');
    expect(readdirSync(root)).not.toContain('runs');
  });
});

describe('a run from the console', () => {
  it('runs step by step: typed confirmation (wrong name refused), manual checklist and answers, wait progress, journal', async () => {
    const h = setup();
    await toPlan(h);
    await h.type('y');
    expect(h.s().view).toBe('run');
    let f = await h.until(/DESTRUCTIVE: wipe on fey/);
    expect(f).toMatch(/✓ Look at the arrays/);
    expect(f).toMatch(/00:00:0\d \/ 10m00s, projected/);
    expect(f).toContain('[RUN tui-test');
    // a wrong name is refused, recorded, and asked again
    await h.type('e', 'm', 'm', 'a', ENTER);
    f = await h.until(/attempt 2 of 3/);
    expect(f).toContain("typed 'emma', expected 'fey': refused");
    await h.type('f', 'e', 'y', ENTER);
    f = await h.until(/MANUAL — Swap the disk/);
    expect(f).toMatch(/✓ Wipe the mark/);
    expect(f).toContain('baie lab hands swap-disk fey sdb --dir /tmp/lab');
    // nothing ticked: refused
    await h.type(ENTER);
    await h.until(/tick every item first/);
    await h.type(' ', DOWN, ' ', DOWN);
    expect(h.frame()).toMatch(/\[x\] Old disk out/);
    expect(h.frame()).toMatch(/\[x\] New disk in/);
    await h.type('b', 'a', 'd', ENTER);
    await h.until(/serial: 'bad' does not match/);
    await h.type(CTRL_U, ...'WD-123456', ENTER);
    f = await h.until(/recovery = \d+\.\d%/);
    expect(f).toMatch(/\d+\.\d%/);
    expect(f).toMatch(/[█░]{20}/);
    expect(f).toMatch(/▶ Resync/);
    // the run goes on in another view; the badge says so
    await h.type('1');
    expect(h.s().view).toBe('racks');
    expect(h.frame()).toContain('[RUN tui-test');
    // quitting asks while a run is running
    await h.type('q');
    expect(h.frame()).toContain('A run is in progress');
    await h.type('n');
    expect(h.calls).not.toContain('quit');
    h.m.finishSync();
    await h.type('6');
    f = await h.until(/\[done\]/);
    expect(f).toMatch(/✓ Resync/);
    expect(h.s().runs).toEqual({});
    // the journal on disk
    const files = readdirSync(jDir).filter((x) => x.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const events = readFileSync(join(jDir, files[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ t: 'run-end', status: 'done' });
    expect(events.filter((e) => e.t === 'confirm').map((e) => [e.typed, e.ok])).toEqual([['emma', false], ['fey', true]]);
    expect(events).toContainEqual(expect.objectContaining({ t: 'answer', name: 'serial', value: 'WD-123456' }));
    expect(events.find((e) => e.t === 'run-start').operator).toBe('alice');
    // the journal view lists it; Enter shows the timeline
    await h.type('5');
    f = await h.until(/Runs \(1\)/);
    expect(f).toMatch(/done\s+tui-test\s+alice\s+4 steps/);
    await h.type(ENTER);
    f = await h.until(/start tui-test by alice/);
    expect(f).toContain("alice typed 'emma' for fey: refused");
    expect(f).toContain('answer serial = WD-123456');
    await h.type(ESC);
    expect(h.frame()).toMatch(/Runs \(1\)/);
  }, 20_000);

  it('Esc at the confirmation cancels: the step is refused and the run ends refused', async () => {
    const h = setup();
    await toPlan(h);
    await h.type('y');
    await h.until(/DESTRUCTIVE: wipe on fey/);
    await h.type(ESC);
    const f = await h.until(/\[refused\]/);
    expect(f).toMatch(/⊘ Wipe the mark/);
    expect(h.m.log).not.toContain('fey$ rm -f /tmp/mark');
  });

  it('a failed step offers retry/skip/rollback/abort; r + Enter retries and the run finishes', async () => {
    const h = setup();
    await h.type('4');
    await h.until(/flaky/);
    await h.type('/', 'f', 'l', 'a', 'k', ENTER, ENTER);
    await h.until(/Plan: A step that fails once/);
    await h.type('y');
    let f = await h.until(/try FAILED/);
    expect(f).toContain('try-thing: device busy');
    expect(f).toMatch(/retry the step[\s\S]*skip it[\s\S]*roll back[\s\S]*abort the run/);
    await h.type('a');
    expect(h.s().runUi.live[h.s().runUi.current!].prompt).toMatchObject({ kind: 'choice', index: 3 });
    await h.type('r', ENTER);
    f = await h.until(/\[done\]/);
    expect(f).toMatch(/✓ Try the thing/);
    expect(h.m.log.filter((l) => l === 'emma$ try-thing')).toHaveLength(2);
  });

  it('Ctrl-L at a manual step lets the lab hands do it and fills the answers from their report', async () => {
    const asked: string[] = [];
    const h = setup({ hands: async (a) => (asked.push(a), 'swapped sdb\nserial: WD-NEW0042\n') });
    await toPlan(h);
    await h.type('y');
    await h.until(/DESTRUCTIVE/);
    await h.type('f', 'e', 'y', ENTER);
    await h.until(/Ctrl-L lets the lab's hands do it/);
    await h.type('\u000c');
    const f = await h.until(/hands report/);
    expect(asked).toEqual(['swap-disk fey sdb']);
    expect(f).toContain('WD-NEW0042');
    expect(f).toMatch(/\[x\] Old disk out/);
    await h.type(ENTER);
    await h.until(/Resync/);
    h.m.finishSync();
    await h.until(/\[done\]/);
  });

  it('A aborts a running run after asking; the journal ends aborted', async () => {
    const h = setup();
    await toPlan(h);
    await h.type('y');
    await h.until(/DESTRUCTIVE/);
    await h.type('f', 'e', 'y', ENTER);
    await h.until(/MANUAL/);
    await h.type('\u0002'); // Ctrl-B: leave the question waiting
    expect(h.s().view).not.toBe('run');
    await h.type('6', 'A');
    // the manual prompt takes keys in the run view; Esc then y aborts there
    await h.type(ESC);
    await h.until(/Abort the run here\?/);
    await h.type('y');
    await h.until(/\[aborted\]/);
    const files = readdirSync(jDir).filter((x) => x.endsWith('.jsonl'));
    const last = JSON.parse(readFileSync(join(jDir, files[0]), 'utf8').trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ t: 'run-end', status: 'aborted' });
  });
});

describe('ASCII consoles', () => {
  it('draws step states with ASCII glyphs', async () => {
    const h = setup({ ascii: true });
    await toPlan(h);
    await h.type('y');
    const f = await h.until(/DESTRUCTIVE: wipe on fey/);
    expect(f).toMatch(/^\+ Look at the arrays/m);
    expect(f).toMatch(/^\? Wipe the mark !/m);
    expect(f).toMatch(/^\. Swap the disk/m);
    expect(f).not.toContain('✓');
    await h.type(ESC);
    await h.until(/\[refused\]/);
    expect(h.frame()).toMatch(/^! Wipe the mark/m);
  });
});

describe('resume', () => {
  it('lists an unfinished run first; its plan says what is in doubt; the choice comes in the run view', async () => {
    mkdirSync(jDir);
    const file = join(jDir, '2026-01-01-0300-tui-test-abcd.jsonl');
    const t0 = Date.now() - 60_000;
    const ev = [
      { t: 'run-start', at: t0, run: '2026-01-01-0300-tui-test-abcd', runbook: 'tui-test', title: 'Test the run view', file: join(rbDir, 'tui-test.yaml'), hash: 'x', params: { host: 'fey', mode: 'fast', token: '***' }, operator: 'bob', host: 'laptop', budgetMs: 600000, expectMs: 1, mode: 'run', readOnly: false },
      { t: 'step-start', at: t0 + 1, step: 'look', target: 'fey', attempt: 1, kind: 'run' },
      { t: 'step-end', at: t0 + 2, step: 'look', target: 'fey', status: 'ok', durationMs: 1 },
      { t: 'step-done', at: t0 + 3, step: 'look', status: 'ok' },
      { t: 'step-start', at: t0 + 4, step: 'wipe', target: 'fey', attempt: 1, kind: 'run' },
    ];
    writeFileSync(file, ev.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const h = setup();
    await h.type('4');
    let f = await h.until(/↻ resume tui-test/);
    expect(f).toContain('by bob');
    await h.type(ENTER);
    f = await h.until(/RESUME 2026-01-01-0300-tui-test-abcd/);
    expect(f).toContain('IN DOUBT: wipe on fey');
    expect(f).toContain('runbook file changed');
    await h.type('y');
    // the hash differs: asked first
    await h.until(/The runbook file changed/);
    await h.type('y');
    f = await h.until(/wipe is IN DOUBT/);
    expect(f).toMatch(/✓ Look at the arrays/);
    await h.type('a', ENTER);
    await h.until(/\[aborted\]/);
    const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ t: 'run-end', status: 'aborted' });
  });
});

describe('output buffer', () => {
  it('keeps the last 200 complete lines per machine and the partial one', () => {
    let b = appendOutput(undefined, 'a\nb');
    expect(b).toEqual({ lines: ['a'], tail: 'b' });
    b = appendOutput(b, 'c\r\n');
    expect(b).toEqual({ lines: ['a', 'bc'], tail: '' });
    for (let i = 0; i < 300; i++) b = appendOutput(b, `line ${i}\n`);
    expect(b.lines).toHaveLength(200);
    expect(b.lines.at(-1)).toBe('line 299');
    expect(b.lines[0]).toBe('line 100');
  });
});
