/**
 * failover-director on the real lab (CLI children): the drill's fault, an unattended run, the
 * drill's goal over `baie probe --json`; refusal on a healthy lab; the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const drill = loadDrill('failover-director');
const skip = cliSkipReason();

describe.skipIf(skip)('failover-director on the lab', () => {
  let lab: Lab;
  beforeAll(async () => (lab = await startLab({ speed: drill.speed ?? 60 })), 40_000);
  afterAll(() => lab?.stop(), 20_000);

  it('prints the plan with the resolved commands, and a Markdown checklist', async () => {
    const r = await lab.plan(drill.runbook, drill.params);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('elsa$ ! curl -s -m 5 -o /dev/null http://192.0.2.100/');
    expect(r.stdout).toContain('apc$ olStatus estelle');
    expect(r.stdout).toMatch(/apc\$ olOff \S*capture\S*outlet\S* && olOn \S*outlet/);
    expect(r.stdout).toMatch(/DESTRUCTIVE: type the machine name/);
    expect(r.stdout).toContain('estelle$ systemctl start keepalived');
    expect(r.stdout).toContain("elsa$ curl -s -o /dev/null -m 10 -w '%{http_code}' http://192.0.2.100/");
    expect(r.stdout).toMatch(/of a 20m00s budget/);
    const md = await lab.plan(drill.runbook, drill.params, ['--markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Fail the service address over/m);
    expect(md.stdout).toMatch(/^## 7\. Power estelle on through outlet .* ⚠ destructive/m);
    expect(md.stdout).toContain('- [ ] done at');
  }, 30_000);

  it('refuses on a healthy lab: the service still answers', async () => {
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).toBe('failed');
    expect(r.steps['service-down']).toBe('failed');
    expect(r.reason).toMatch(/refusing: http:\/\/ 192\.0\.2\.100 still answers, nothing to fail over/);
    expect(r.steps['power-on-backup']).toBeUndefined(); // nothing was powered on
  }, 60_000);

  it('after director-crash, an unattended run moves the service to the backup (drill goal)', async () => {
    await injectFaults(lab, drill);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill))).length).toBeGreaterThan(0);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.matched).toBe('panic');
    expect(r.values.outlet).toBe('2');
    const after = await lab.probe(goalMachines(drill));
    expect(evaluateGoal(drill.goal, after)).toEqual([]);
    const eno1 = (after[0].addresses as { name: string; addrs: string[] }[]).find((a) => a.name === 'eno1');
    expect(eno1?.addrs).toContain('192.0.2.100/24');
  }, 150_000);
});
