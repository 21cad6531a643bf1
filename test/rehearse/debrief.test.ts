import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDebrief, debriefLines, debriefMarkdown, type DebriefInput } from '../../src/app/debrief.js';
import { Journal, listRuns, readJournal } from '../../src/runbook/journal.js';
import type { RunEvent } from '../../src/runbook/events.js';

const T0 = Date.parse('2026-11-22T03:00:00Z');
const s = (sec: number) => T0 + sec * 1000;
const dir = mkdtempSync(join(tmpdir(), 'baie-debrief-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (at: number, run: string, runbook: string, title: string, params: Record<string, unknown>): RunEvent => ({ t: 'run-start', at, run, runbook, title, file: `/rb/${runbook}.yaml`, hash: 'ab'.repeat(32), params, operator: 'lou', host: 'laptop', budgetMs: 7_200_000, expectMs: 3_600_000, mode: 'rehearse', readOnly: false });

// The team swaps fey's disk: one confirmation mistyped, a step skipped, a step rolled back and re-done.
const swap: RunEvent[] = [
  start(s(60), '2026-11-22-0301-disk-swap-mdadm-a1b2', 'disk-swap-mdadm', 'Replace a failed RAID1 disk', { host: 'fey', disk: 'sdb' }),
  { t: 'step-start', at: s(61), step: 'check', target: 'fey', attempt: 1, kind: 'run', command: 'cat /proc/mdstat' },
  { t: 'step-end', at: s(62), step: 'check', target: 'fey', status: 'ok', code: 0, durationMs: 1000 },
  { t: 'step-done', at: s(62), step: 'check', status: 'ok' },
  { t: 'confirm', at: s(90), step: 'fail-remove', target: 'fey', operator: 'lou', typed: 'fye', ok: false, why: "typed 'fye', expected 'fey'" },
  { t: 'confirm', at: s(95), step: 'fail-remove', target: 'fey', operator: 'lou', typed: 'fey', ok: true },
  { t: 'step-start', at: s(96), step: 'fail-remove', target: 'fey', attempt: 1, kind: 'run', command: 'mdadm /dev/md0 --fail /dev/sdb2' },
  { t: 'step-end', at: s(97), step: 'fail-remove', target: 'fey', status: 'failed', code: 1, durationMs: 1000, error: 'verify.post failed' },
  { t: 'decision', at: s(100), step: 'fail-remove', choice: 'rollback', by: 'lou', why: 'verify.post failed' },
  { t: 'rollback', at: s(101), step: 'fail-remove', target: 'fey', status: 'ok', code: 0, command: 'mdadm /dev/md0 --add /dev/sdb2' },
  { t: 'step-start', at: s(110), step: 'fail-remove', target: 'fey', attempt: 2, kind: 'run' },
  { t: 'step-done', at: s(112), step: 'fail-remove', status: 'ok' },
  { t: 'step-done', at: s(113), step: 'label', status: 'skipped', reason: 'when: not on this machine' },
  { t: 'step-start', at: s(120), step: 'resync', target: 'fey', attempt: 1, kind: 'wait' },
  { t: 'step-done', at: s(800), step: 'resync', status: 'ok' },
  { t: 'run-end', at: s(801), status: 'done' },
];
// A surprise on ella, fixed with another runbook whose first step targets ella (no parameter names it).
const mail: RunEvent[] = [
  start(s(180), '2026-11-22-0303-restart-service-c3d4', 'restart-service', 'Start a failed service', { service: 'postfix' }),
  { t: 'step-start', at: s(182), step: 'start', target: 'ella', attempt: 1, kind: 'run', command: 'systemctl start postfix' },
  { t: 'step-done', at: s(183), step: 'start', status: 'ok' },
  { t: 'run-end', at: s(183), status: 'done' },
];

function journal(events: RunEvent[]): void {
  const start = events[0] as Extract<RunEvent, { t: 'run-start' }>;
  const j = new Journal(join(dir, `${start.run}.jsonl`));
  for (const e of events) j.append(e);
  j.close();
}
journal(swap);
journal(mail);
const runs = listRuns(dir).map((r) => ({ run: r.run, events: readJournal(r.file).events }));

const base: DebriefInput = {
  drill: { drill: 'disk-swap-mdadm', title: 'A boot SSD dies in the filer', runbook: 'disk-swap-mdadm', speed: 60, budget: '2h', budgetMs: 7_200_000 },
  startedAt: T0,
  endedAt: s(840),
  goalAt: s(840),
  faults: [
    { fault: 'disk-fail', machine: 'fey', arg: 'sdb', injectedAt: T0 },
    { fault: 'service-down', machine: 'ella', arg: 'postfix', at: '10m', injectedAt: s(10) },
    { fault: 'hypervisor-fail', machine: 'pve2', at: '20h' },
  ],
  health: [
    { at: s(-5), machine: 'fey', level: 'ok' },
    { at: s(8), machine: 'fey', level: 'critical', reasons: ['md0 degraded [U_]'] },
    { at: s(8), machine: 'ella', level: 'ok' },
    { at: s(18), machine: 'fey', level: 'critical', reasons: ['md0 degraded [U_]'] },
    { at: s(18), machine: 'ella', level: 'critical', reasons: ['postfix failed'] },
    { at: s(830), machine: 'fey', level: 'ok' },
    { at: s(830), machine: 'ella', level: 'ok' },
  ],
  // opened fey before any probe showed it: browsing, not detection
  actions: [
    { at: s(3), machine: 'fey', what: 'opened' },
    { at: s(45), machine: 'fey', what: 'opened' },
  ],
  runs,
};

describe('debrief', () => {
  it('computes time to detect per fault, time to recover against the budget', () => {
    const d = buildDebrief(base);
    expect(d.finished).toBe(true);
    expect(d.recoverMs).toBe(840_000);
    expect(d.withinBudget).toBe(true);
    expect(d.detectMs).toBe(45_000);
    expect(d.faults[0]).toMatchObject({ seenAt: s(8), actedAt: s(45), actedHow: 'opened it in the console', detectMs: 45_000 });
    // ella: seen at 18 s, the restart-service run's first step on ella at 182 s; detect from its injection at 10 s
    expect(d.faults[1]).toMatchObject({ seenAt: s(18), actedAt: s(182), actedHow: 'started runbook restart-service', detectMs: 172_000 });
    expect(d.faults[2].detectMs).toBeUndefined();
  });

  it('without the console action, starting the runbook on the machine is the detection', () => {
    const d = buildDebrief({ ...base, actions: [] });
    expect(d.faults[0]).toMatchObject({ actedAt: s(60), actedHow: 'started runbook disk-swap-mdadm', detectMs: 60_000 });
  });

  it('counts runbooks, steps, refusals, skips and rollbacks from the journals', () => {
    const d = buildDebrief(base);
    expect(d.runs.map((r) => [r.runbook, r.status, r.mode])).toEqual([['disk-swap-mdadm', 'done', 'rehearse'], ['restart-service', 'done', 'rehearse']]);
    expect(d.usedExpectedRunbook).toBe(true);
    expect(d.stepCounts).toEqual({ ok: 4, skipped: 1 });
    expect(d.refused).toEqual([{ at: s(90), run: '2026-11-22-0301-disk-swap-mdadm-a1b2', step: 'fail-remove', target: 'fey', typed: 'fye', why: "typed 'fye', expected 'fey'" }]);
    expect(d.skipped).toEqual([{ run: '2026-11-22-0301-disk-swap-mdadm-a1b2', step: 'label', reason: 'when: not on this machine' }]);
    expect(d.rolledBack).toEqual([{ run: '2026-11-22-0301-disk-swap-mdadm-a1b2', step: 'fail-remove', target: 'fey', status: 'ok' }]);
  });

  it('the timeline merges faults, probe changes, actions and run events in order', () => {
    const d = buildDebrief(base);
    const lines = d.timeline.map((t) => `+${Math.round((t.at - T0) / 1000)} ${t.text}`);
    expect(lines[0]).toBe('+0 drill disk-swap-mdadm started');
    expect(lines[1]).toBe('+0 fault injected: disk-fail on fey (sdb)');
    expect(lines).toContain('+10 fault injected: service-down on ella (postfix) (surprise at 10m of lab time)');
    expect(lines).toContain('+8 probe: fey critical (md0 degraded [U_])');
    // unchanged probes are not repeated
    expect(lines.filter((l) => l.includes('probe: fey critical'))).toHaveLength(1);
    expect(lines).toContain('+45 team opened fey');
    expect(lines).toContain("+90 [disk-swap-mdadm] lou typed 'fye' for fey: refused (typed 'fye', expected 'fey')");
    expect(lines).toContain('+101 [disk-swap-mdadm] undo fail-remove on fey: ok');
    expect(lines.at(-1)).toBe('+840 goal holds: clock stopped');
    const ats = d.timeline.map((t) => t.at);
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
  });

  it('the view lines and the Markdown show the numbers and say how they are computed', () => {
    const d = buildDebrief(base);
    const text = debriefLines(d).join('\n');
    expect(text).toMatch(/Time to recover\s+14m00s against a budget of 2h00m \(within\)/);
    expect(text).toMatch(/Time to detect disk-fail on fey\s+45s \(probe showed it at \+00:00:08, team opened it in the console at \+00:00:45\)/);
    expect(text).toMatch(/Time to detect hypervisor-fail on pve2\s+not injected \(the drill ended before 20h\)/);
    expect(text).toMatch(/Confirmations refused\s+1/);
    expect(text).toMatch(/Rolled back\s+fail-remove on fey: ok/);
    expect(text).toContain('Time to detect: from the fault\'s injection');
    const md = debriefMarkdown(d);
    expect(md).toMatch(/^# Drill debrief: A boot SSD dies in the filer\n/);
    expect(md).toContain('- Outcome: **goal reached**');
    expect(md).toContain('- Time to recover: 14m00s against a budget of 2h00m (within)');
    expect(md).toContain('| fail-remove | ok | 16s |  |');
    expect(md).toContain('## Confirmations refused');
    expect(md).toMatch(/## Timeline\n\n```\n\+00:00:00  drill disk-swap-mdadm started\n/);
    expect(md).toContain('## How these are computed');
  });

  it('an unfinished drill says so, with the conditions still failing, and never claims a recovery', () => {
    const d = buildDebrief({ ...base, goalAt: undefined, endedAt: s(300), goalMissing: ['fey.arrays has an element with {"degraded":true}: {"name":"md0"}'] });
    expect(d.finished).toBe(false);
    expect(d.recoverMs).toBeUndefined();
    expect(d.withinBudget).toBeUndefined();
    // the swap run started at 60 s is counted; nothing after the end (300 s) is in the timeline
    expect(d.timeline.at(-1)?.text).toBe('drill ended before the goal held');
    const md = debriefMarkdown(d);
    expect(md).toContain('- Outcome: **UNFINISHED: the drill ended before the goal held**');
    expect(md).toContain('- Time to recover: not reached after 5m00s (budget 2h00m)');
    expect(md).toContain('## Goal conditions not holding\n\n- fey.arrays has an element with {"degraded":true}');
  });

  it('over budget is called OVER; a team that never acted has no detection time', () => {
    const d = buildDebrief({ ...base, drill: { ...base.drill, budgetMs: 600_000 }, actions: [], runs: [] });
    expect(d.withinBudget).toBe(false);
    expect(debriefLines(d).join('\n')).toMatch(/against a budget of 10m00s \(OVER\)/);
    expect(d.faults[0].detectMs).toBeUndefined();
    expect(debriefLines(d).join('\n')).toContain('not detected: probes showed it at +00:00:08, nobody acted on fey');
    expect(d.usedExpectedRunbook).toBe(false);
  });
});
