/**
 * The shipped disk-swap runbooks against a real lab: each drill's fault, an unattended run with the lab's hands,
 * the drill's goal over `baie probe --json`; refusal on a healthy machine; plan and Markdown checklist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const skip = cliSkipReason();
if (skip) console.log(`skipping disk-swap runbook tests: ${skip}`);

describe.skipIf(skip)('disk-swap-mdadm on the lab', () => {
  let lab: Lab;
  const drill = skip ? undefined! : loadDrill('disk-swap-mdadm');
  beforeAll(async () => {
    lab = await startLab({ speed: 600 });
  });
  afterAll(async () => lab?.stop());

  it('refuses on a healthy machine, saying why', async () => {
    const r = await lab.run('disk-swap-mdadm', drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).not.toBe('done');
    expect(r.steps.check).toBe('failed');
    expect(r.reason).toMatch(/refusing: no md array is degraded/);
    // nothing after the check ran
    expect(Object.keys(r.steps)).toEqual(['check']);
    const [fey] = await lab.probe(['fey']);
    expect(fey.health).toBe('ok');
  });

  it('plan shows the resolved commands and --markdown a checklist', async () => {
    const p = await lab.plan('disk-swap-mdadm', drill.params);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('ledctl locate=/dev/sdb');
    expect(p.stdout).toMatch(/sgdisk \/dev\/<capture:peer> -R \/dev\/sdb && sgdisk -G \/dev\/sdb|sgdisk \/dev\/\\<capture\\:peer\\> -R \/dev\/sdb/);
    expect(p.stdout).toContain('DESTRUCTIVE');
    expect(p.stdout).toMatch(/of a 2h00m budget/);
    const md = await lab.plan('disk-swap-mdadm', drill.params, ['--markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Replace a failed disk/m);
    expect(md.stdout).toMatch(/^- \[ \] The new disk is the same size or larger$/m);
    expect(md.stdout).toMatch(/^- serial: _+/m);
  });

  it('the drill: fey loses sdb; the runbook brings md0 back and fey is healthy', async () => {
    await injectFaults(lab, drill);
    const [before] = await lab.probe(['fey']);
    expect(evaluateGoal(drill.goal, [before]).length).toBeGreaterThan(0);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.peer).toBe('sda');
    expect(r.values.md_a).toBe('md0');
    expect(r.values.serial).toBe(r.values.seen_serial);
    expect(r.values.serial).not.toBe(r.values.old_serial);
    expect(r.steps['fail-a']).toBe('ok');
    expect(r.steps['fail-b']).toBe('skipped');
    expect(r.steps.resync).toBe('ok');
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
  }, 120_000);

  it('unattended, a destructive step is refused without --confirm', async () => {
    await lab.fault('disk-fail', 'fey', 'sdd');
    const r = await lab.run('disk-swap-mdadm', { host: 'fey', disk: 'sdd' }, { labHands: true });
    expect(r.status).toBe('refused');
    expect(r.values.peer).toBe('sdc');
    expect(r.values.md_a).toBe('md1');
    expect(r.steps['fail-a']).toBe('refused');
  });
});
