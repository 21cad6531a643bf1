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
    expect(r.steps.check).toBe('refused');
    expect(r.status).toBe('refused');
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

describe.skipIf(skip)('disk-swap-zfs on the lab', () => {
  let lab: Lab;
  const drill = skip ? undefined! : loadDrill('disk-swap-zfs');
  beforeAll(async () => {
    lab = await startLab({ speed: 600 });
  });
  afterAll(async () => lab?.stop());

  it('refuses on a healthy node, saying why', async () => {
    const r = await lab.run('disk-swap-zfs', drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).not.toBe('done');
    expect(r.steps.check).toBe('refused');
    expect(r.status).toBe('refused');
    expect(r.reason).toMatch(/refusing: no device of the pool is FAULTED, UNAVAIL or REMOVED/);
    expect(Object.keys(r.steps)).toEqual(['check']);
  });

  it('plan shows the zpool and proxmox-boot-tool commands; --markdown a checklist', async () => {
    const p = await lab.plan('disk-swap-zfs', drill.params);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/run +pve1\$ zpool status rpool; echo ==real; zpool status -L rpool/);
    expect(p.stdout).toMatch(/zpool replace -f rpool /);
    expect(p.stdout).toMatch(/proxmox-boot-tool format \/dev\//);
    expect(p.stdout).toMatch(/until +pve1\$ zpool status -x rpool \| grep -q 'is healthy'/);
    const md = await lab.plan('disk-swap-zfs', drill.params, ['--markdown']);
    expect(md.stdout).toMatch(/^# Replace a failed disk in a Proxmox ZFS mirror/m);
    expect(md.stdout).toMatch(/⚠ destructive/);
  });

  it('the drill: a disk of rpool dies; after the runbook the pool is ONLINE and both ESPs are synced', async () => {
    await injectFaults(lab, drill);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.disk).toBe('sdb');
    expect(r.values.peer).toBe('sda');
    expect(r.values.old).toMatch(/^ata-.*-part3$/);
    expect(r.values.verdict).toMatch(/FAILED/);
    expect(r.values.esp).toBe('2');
    expect(r.steps['esp-init']).toBe('ok');
    const probes = await lab.probe(goalMachines(drill));
    expect(evaluateGoal(drill.goal, probes)).toEqual([]);
    const pool = (probes[0].pools as { name: string; state: string; devices: { name: string; state: string }[] }[]).find((p) => p.name === 'rpool')!;
    expect(pool.state).toBe('ONLINE');
    expect(pool.devices.filter((d) => d.state === 'ONLINE').length).toBe(4);
  }, 120_000);
});
