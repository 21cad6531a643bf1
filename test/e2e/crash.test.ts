/**
 * The journal is the record of what was done: kill baie with SIGKILL at random points of a run,
 * resume it, and check the run always finishes, never re-runs a non-idempotent step behind the
 * operator's back, and the journal always parses. Then cut the SSH connection mid-step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAIE, startTestLab, type TestLab } from './lab.js';
import { readJournal, listRuns } from '../../src/runbook/journal.js';
import type { RunEvent } from '../../src/runbook/events.js';

const RB = `runbook: crashy
title: Steps that leave marks
params: {host: {type: host}, tag: {type: string}}
steps:
  - {id: s1, on: "{{host}}", idempotent: true, run: "sleep 12; echo s1 >> /root/{{tag}}"}
  - {id: s2, on: "{{host}}", run: "sleep 12; echo s2 >> /root/{{tag}}"}
  - {id: s3, on: "{{host}}", run: "sleep 12; echo s3 >> /root/{{tag}}", verify: {post: "grep -qx s3 /root/{{tag}}"}}
  - {id: s4, on: "{{host}}", run: "sleep 12; echo s4 >> /root/{{tag}}"}
  - {id: s5, on: "{{host}}", idempotent: true, run: "sleep 12; echo s5 >> /root/{{tag}}"}
`;

let lab: TestLab;
let rbFile: string;
beforeAll(async () => {
  lab = await startTestLab(60);
  rbFile = join(mkdtempSync(join(tmpdir(), 'baie-rb-')), 'crashy.yaml');
  writeFileSync(rbFile, RB);
}, 60_000);
afterAll(async () => lab?.stop());

const journalOf = (tag: string) => {
  const runs = listRuns(join(lab.env.XDG_STATE_HOME, 'baie', 'runs'));
  const run = runs.find((r) => readJournal(r.file).events.some((e) => e.t === 'run-start' && (e.params as Record<string, string>).tag === tag));
  return run ? readJournal(run.file) : undefined;
};

describe('crash and resume', () => {
  it('finishes 20 runs killed with SIGKILL at random points, never silently re-running a non-idempotent step', async () => {
    let resumed = 0;
    let doubted = 0;
    for (let i = 0; i < 20; i++) {
      const tag = `crash${i}`;
      const child = execa('node', [BAIE, 'run', rbFile, '--inventory', lab.inventory, '-p', 'host=ella', '-p', `tag=${tag}`, '--yes'], { env: lab.env, reject: false });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 1400));
      child.kill('SIGKILL');
      await child;
      const before = journalOf(tag);
      let status = 'unfinished';
      for (let k = 0; k < 5 && status !== 'done'; k++) {
        if (!journalOf(tag)) break; // killed before the run-start was written: nothing to resume
        const runId = (journalOf(tag)!.events[0] as Extract<RunEvent, { t: 'run-start' }>).run;
        const r = await execa('node', [BAIE, 'resume', runId, '--inventory', lab.inventory, '--yes', '--in-doubt', 'skip'], { env: lab.env, reject: false });
        expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // never a stack trace
        const end = [...journalOf(tag)!.events].reverse().find((e) => e.t === 'run-end');
        status = end && end.t === 'run-end' ? end.status : 'unfinished';
      }
      if (!before) continue;
      const j = journalOf(tag)!;
      expect(j.bad, `journal ${tag} has unparseable lines`).toBe(0);
      expect(status, `run ${tag}`).toBe('done');
      if (j.events.some((e) => e.t === 'resume')) resumed++;
      if (j.events.some((e) => e.t === 'decision' && /in doubt/.test(e.why))) doubted++;
      const marks = (await execa('ssh', ['-F', join(lab.dir, 'ssh_config'), 'ella', `cat /root/${tag}`], { reject: false })).stdout.split('\n');
      for (const s of ['s2', 's4']) {
        const reruns = j.events.filter((e) => e.t === 'decision' && e.step === s && (e.choice === 'retry' || e.choice === 'rerun')).length;
        expect(marks.filter((l) => l === s).length, `${tag}: ${s} ran more often than the journal says`).toBeLessThanOrEqual(1 + reruns);
        expect(reruns, `${tag}: ${s} re-run without the operator`).toBe(0);
      }
    }
    // the kills must really have landed mid-run, some of them inside a step
    expect(resumed).toBeGreaterThanOrEqual(10);
    expect(doubted).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('keeps the run when the lab cuts the connection mid-step, and goes on after reconnection', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baie-rb-')), 'cut.yaml');
    writeFileSync(file, `runbook: cut
title: Cut
params: {host: {type: host}}
steps:
  - {id: long, on: "{{host}}", idempotent: true, run: "sleep 240; echo long >> /root/cut"}
  - {id: after, on: "{{host}}", run: "echo after >> /root/cut"}
`);
    const run = execa('node', [BAIE, 'run', file, '--inventory', lab.inventory, '-p', 'host=emma', '--yes', '--json'], { env: lab.env, reject: false });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await lab.baie('lab', 'fault', 'network-down', 'emma', '--dir', lab.dir)).exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await lab.baie('lab', 'hands', 'replug-cable', 'emma', '--dir', lab.dir)).exitCode).toBe(0);
    const r = await run;
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
    expect(events.some((e) => e.t === 'note' && /connection to emma lost during long/.test(e.text))).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ t: 'decision', step: 'long', choice: 'rerun' }));
    expect(events.at(-1)).toMatchObject({ t: 'run-end', status: 'done' });
    const marks = await execa('ssh', ['-F', join(lab.dir, 'ssh_config'), 'emma', 'cat /root/cut'], { reject: false });
    expect(marks.stdout.split('\n')).toEqual(['long', 'after']);
  }, 120_000);
});
