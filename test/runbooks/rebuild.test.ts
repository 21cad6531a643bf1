/**
 * rebuild-node: the planner's time estimate (pure and against the lab), refusal on a healthy
 * lab, and the drill end to end: PXE reinstall on lab time, new host key, cluster join,
 * restores by priority; the goal over `baie probe --json` and the lab time under 2 hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeEstimate, formatEstimate, sumBytes } from '../../src/runbook/estimate.js';
import type { Plan, PlanStep } from '../../src/runbook/plan.js';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const drill = loadDrill('rebuild-node');
const skip = cliSkipReason();

const step = (id: string, expectMs: number) => ({ id, expectMs }) as PlanStep;
const plan = (steps: PlanStep[], budgetMs?: number) => ({ steps, budgetMs }) as Plan;

describe('rebuild-node time estimate (pure)', () => {
  const pvesm = [
    'baloo:backup/vzdump-qemu-100-2026_11_22-01_00_02.vma.zst vma.zst  backup       25493066705 100',
    'baloo:backup/vzdump-qemu-102-2026_11_22-01_09_47.vma.zst vma.zst  backup      181646425303 102',
    'Volid                                                    Format   Type                Size VMID',
  ].join('\n');
  const re = '^\\S+:backup/\\S+\\s+\\S+\\s+backup\\s+(\\d+)\\s+\\d+$';

  it('sums every archive line, not the header', () => {
    expect(sumBytes(re, pvesm)).toBe(25493066705 + 181646425303);
  });

  it('replaces the restore steps by bytes over the link and compares with the budget', () => {
    const p = plan([step('install', 20 * 60_000), step('restore-vm-first', 20 * 60_000), step('join', 5 * 60_000)], 2 * 3600_000);
    const e = computeEstimate(p, 207e9, 1000);
    expect(e.rate).toBe(110e6);
    expect(Math.round(e.restoreMs / 1000)).toBe(1882);
    expect(e.otherMs).toBe(25 * 60_000);
    expect(e.fits).toBe(true);
    expect(formatEstimate(e)).toMatch(/207\.0 GB to restore over 1000 Mb\/s \(~110 MB\/s\).*fits the budget/s);
    const slow = computeEstimate(p, 207e9, 100);
    expect(slow.fits).toBe(false);
    expect(formatEstimate(slow)).toMatch(/the 2h00m budget CANNOT be met: 207\.0 GB at 11 MB\/s take 5h13m/);
    expect(slow.why).toMatch(/needs \d+ Mb\/s/);
  });
});

describe.skipIf(skip)('rebuild-node on the lab', () => {
  let lab: Lab;
  beforeAll(async () => (lab = await startLab({ speed: drill.speed ?? 60 })), 40_000);
  afterAll(() => lab?.stop(), 20_000);

  it('plans with the estimate from the backup sizes before anything runs', async () => {
    const r = await lab.plan(drill.runbook, drill.params);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ipmi pve1: bootdev pxe');
    expect(r.stdout).toContain('ipmi pve1: power cycle');
    expect(r.stdout).toContain('accept the new host key of pve1 (typed confirmation, fingerprint shown)');
    expect(r.stdout).toContain('pve1$ pvecm add pve2 --use_ssh');
    expect(r.stdout).toMatch(/pve1\$ qmrestore \S*first_archive\S* 100 --storage local-zfs --force/);
    expect(r.stdout).toMatch(/^estimate: [\d.]+ GB to restore over 1000 Mb\/s \(~110 MB\/s\) ≈ \S+; other steps \S+; total ≈ \S+ of a 2h00m budget$/m);
    expect(r.stdout).toMatch(/^estimate: fits the budget/m);
    const slow = await lab.plan(drill.runbook, { ...drill.params, link_mbps: 100 });
    expect(slow.stdout).toMatch(/^estimate: the 2h00m budget CANNOT be met: [\d.]+ GB at 11 MB\/s take \S+, but only \S+ is left/m);
    const json = await lab.plan(drill.runbook, drill.params, ['--json']);
    const est = (JSON.parse(json.stdout) as { estimate: { bytes: number; fits: boolean } }).estimate;
    expect(est.bytes).toBeGreaterThan(1e9);
    expect(est.fits).toBe(true);
  }, 30_000);

  it('refuses on a healthy lab: the node answers', async () => {
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/refusing: pve1 answers ping, it does not need a rebuild/);
    expect(r.steps['peer-quorum']).toBeUndefined();
  }, 60_000);

  it('after node-destroyed, an unattended run rebuilds pve1 in under 2 hours of lab time (drill goal)', async () => {
    await injectFaults(lab, drill);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill))).length).toBeGreaterThan(0);
    const clock = async () => Number((await lab.ssh('pve2', 'date +%s')).stdout.trim());
    const t0 = await clock();
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true, timeoutMs: 170_000 });
    const t1 = await clock();
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.matched).toBe('noboot');
    expect(r.steps.install).toBe('ok');
    expect(r.events.some((e) => e.t === 'hostkey' && e.accepted === true)).toBe(true);
    expect(r.steps.join).toBe('ok');
    const restores = r.events.filter((e) => e.t === 'step-done' && /^restore-/.test(String(e.step)) && e.status === 'ok').map((e) => e.step);
    expect(restores).toEqual(['restore-vm-first', 'restore-vm-second']);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
    // the lab clock (what the budget is about): the reinstall alone is 20 minutes
    expect(t1 - t0).toBeGreaterThan(20 * 60);
    expect(t1 - t0).toBeLessThan(2 * 3600);
    // and the journal itself records lab time: the run took more than the 20-minute reinstall, less than 2 hours
    const start = r.events.find((e) => e.t === 'run-start') as { at: number };
    const end = r.events.find((e) => e.t === 'run-end') as { at: number };
    expect(end.at - start.at).toBeGreaterThan(20 * 60_000);
    expect(end.at - start.at).toBeLessThan(2 * 3_600_000);
  }, 200_000);
});
