/**
 * A runbook started, confirmed and finished from the console in a real terminal, against the lab:
 * a runbook directory set with `baie config set runbookDirs`, the host picked by role, a wrong
 * name refused at the typed confirmation, the right one accepted, the journal on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Tmux, tmuxSkipReason } from './tmux.js';
import { BAIE, startTestLab, type TestLab } from './lab.js';

const RUNBOOK = `runbook: e2e-mark
title: Mark the filer (console e2e)
doc: Writes a mark on the filer; the second step is destructive.
budget: 5m
applies_to: [nfs]
params:
  host: {type: host, role: nfs, required: true, doc: The filer to mark}
steps:
  - id: look
    title: Look at the arrays
    on: "{{host}}"
    read_only: true
    run: cat /proc/mdstat
    expect: 30s
  - id: mark
    title: Write the mark
    on: "{{host}}"
    destructive: true
    run: echo marked-by-baie > /tmp/baie-mark
    verify: {post: grep -q marked-by-baie /tmp/baie-mark}
    expect: 30s
`;

const skip = tmuxSkipReason();
describe.skipIf(!!skip)(`a runbook from the console in a real terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: TestLab;
  let rbDir: string;
  const tmux = new Tmux();
  beforeAll(async () => {
    lab = await startTestLab();
    rbDir = join(lab.dir, '..', 'my-runbooks');
    mkdirSync(rbDir, { recursive: true });
    writeFileSync(join(rbDir, 'e2e-mark.yaml'), RUNBOOK);
    const set = await lab.baie('config', 'set', 'runbookDirs', rbDir);
    expect(set.exitCode, set.stderr).toBe(0);
    await tmux.start(`node ${BAIE} --inventory ${lab.inventory}`, { ...lab.env, TERM: 'xterm-256color', BAIE_OPERATOR: 'e2e-root' }, 120, 40);
  }, 60_000);
  afterAll(async () => {
    await tmux.kill();
    await lab?.stop();
  });

  it('starts e2e-mark on fey, refuses a wrong name, runs to done and leaves a journal', async () => {
    await tmux.waitFor(/paris \/ A/, 20_000);
    await tmux.keys('4');
    await tmux.waitFor(/e2e-mark\s+5m\s+Mark the filer/);
    await tmux.type('/e2e');
    await tmux.keys('Enter', 'Enter');
    await tmux.waitFor(/fill the parameters/);
    // the host picker: only machines with role nfs
    await tmux.keys('Enter');
    let s = await tmux.waitFor(/pick:/);
    expect(s).toContain('fey');
    expect(s).not.toMatch(/^\s*│\s*emma\b/m);
    await tmux.type('fey');
    await tmux.keys('Enter');
    await tmux.waitFor(/host\*\s+fey/);
    await tmux.keys('Enter');
    s = await tmux.waitFor(/Plan: Mark the filer/);
    expect(s).toContain('fey$ echo marked-by-baie > /tmp/baie-mark');
    expect(s).toContain('DESTRUCTIVE');
    await tmux.keys('y');
    s = await tmux.waitFor(/DESTRUCTIVE: mark on fey/, 30_000);
    expect(s).toMatch(/✓ Look at the arrays/);
    expect(s).toContain('[RUN e2e-mark');
    await tmux.type('ella');
    await tmux.keys('Enter');
    s = await tmux.waitFor(/attempt 2 of 3/, 15_000);
    expect(s).toContain("typed 'ella', expected 'fey': refused");
    await tmux.type('fey');
    await tmux.keys('Enter');
    s = await tmux.waitFor(/\[done\]/, 30_000);
    expect(s).toMatch(/✓ Write the mark/);
    expect(s).toMatch(/00:00:\d\d \/ 5m00s/);

    const runs = join(lab.env.XDG_STATE_HOME, 'baie', 'runs');
    const files = readdirSync(runs).filter((f) => f.endsWith('.jsonl') && f.includes('e2e-mark'));
    expect(files).toHaveLength(1);
    const events = readFileSync(join(runs, files[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; [k: string]: unknown });
    expect(events[0]).toMatchObject({ t: 'run-start', runbook: 'e2e-mark', operator: 'e2e-root', params: { host: 'fey' } });
    expect(events.filter((e) => e.t === 'confirm').map((e) => [e.typed, e.ok])).toEqual([['ella', false], ['fey', true]]);
    expect(events.at(-1)).toMatchObject({ t: 'run-end', status: 'done' });
    // the machine really has the mark
    const m = await execa('ssh', ['-F', join(lab.dir, 'ssh_config'), 'fey', 'cat /tmp/baie-mark'], { reject: false });
    expect(m.stdout.trim()).toBe('marked-by-baie');

    // the journal view lists the run
    await tmux.keys('5');
    s = await tmux.waitFor(/Runs \(1\)/);
    expect(s).toMatch(/done\s+e2e-mark\s+e2e-root/);
    await tmux.keys('Enter');
    s = await tmux.waitFor(/start e2e-mark by e2e-root/);
    expect(s).toContain("e2e-root typed 'ella' for fey: refused");
  }, 60_000);

  it('quits with q once the run is over', async () => {
    await tmux.keys('Escape', 'q');
    const end = Date.now() + 10_000;
    while ((await tmux.alive()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(await tmux.alive()).toBe(false);
  }, 20_000);
});
