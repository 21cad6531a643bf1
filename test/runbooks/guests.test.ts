/**
 * relocate-guests on the real lab: hypervisor-fail, an unattended relocation (quorum, HA,
 * room, restores from the backup box in priority order), the drill goal; refusal while the
 * node answers; the plan. Also the lab's `pvesm list` (added for this runbook).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const drill = loadDrill('relocate-guests');
const skip = cliSkipReason();
/** helpers.ts's sshSkipReason calls execa.sync, which execa 9 no longer has: check here. */
const noSsh = (() => {
  try {
    return execaSync('ssh', ['-V'], { reject: false }).exitCode !== 0;
  } catch {
    return true;
  }
})();

describe.skipIf(skip)('relocate-guests on the lab', () => {
  let lab: Lab;
  beforeAll(async () => (lab = await startLab({ speed: drill.speed ?? 60 })), 40_000);
  afterAll(() => lab?.stop(), 20_000);

  it('plans quorum, room, and per guest: archive, HA off, restore, start', async () => {
    const r = await lab.plan(drill.runbook, drill.params);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('pve1$ ! ping -c 3 pve2');
    expect(r.stdout).toContain('pve1$ pvecm expected 1');
    expect(r.stdout).toContain('pve1$ pvesh get /nodes/pve1/status --output-format json');
    expect(r.stdout).toContain('pve1$ pvesm list baloo --content backup --vmid 200');
    expect(r.stdout).toContain('pve1$ ha-manager set 200 --state disabled');
    expect(r.stdout).toMatch(/pve1\$ qmrestore \S*second_archive\S* 101 --storage local-zfs --force/);
    expect(r.stdout).toMatch(/pve1\$ pct restore 200 \S*first_archive\S* --storage local-zfs --force/);
    expect(r.stdout).toContain('pve1$ ha-manager set 101 --state started');
    // priority order: the first guest's steps come before the second's
    expect(r.stdout.indexOf('--vmid 200')).toBeLessThan(r.stdout.indexOf('--vmid 101'));
    const md = await lab.plan(drill.runbook, drill.params, ['--markdown']);
    expect(md.stdout).toMatch(/^## \d+\. Let pve1 run alone \(pvecm expected 1\) ⚠ destructive/m);
  }, 30_000);

  it.skipIf(noSsh)('the lab answers pvesm list like Proxmox (volids sorted, newest last)', async () => {
    const r = await lab.ssh('pve1', 'pvesm list baloo --content backup --vmid 101');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Volid\s+Format\s+Type\s+Size\s+VMID$/);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l).toMatch(/^baloo:backup\/vzdump-qemu-101-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst\s+vma\.zst\s+backup\s+\d+ 101$/);
    const volids = lines.slice(1).map((l) => l.split(/\s+/)[0]);
    expect([...volids].sort()).toEqual(volids);
    expect((await lab.ssh('pve1', 'pvesm list nosuch')).stderr).toContain("storage 'nosuch' does not exist");
  }, 30_000);

  it('refuses while the node answers', async () => {
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/refusing: pve2 answers ping, it is not down, its guests must not run twice/);
    expect(r.steps['expected-votes']).toBeUndefined();
  }, 60_000);

  it('after hypervisor-fail, an unattended run restores DNS then mail on pve1 (drill goal)', async () => {
    await injectFaults(lab, drill);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill))).length).toBeGreaterThan(0);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.steps['expected-votes']).toBe('ok');
    expect(r.steps.room).toBe('ok');
    expect(r.values.first_kind).toBe('lxc');
    expect(r.values.second_kind).toBe('qemu');
    expect(r.values.second_archive).toMatch(/^baloo:backup\/vzdump-qemu-101-/);
    expect(r.steps['restore-ct-first']).toBe('ok');
    expect(r.steps['restore-vm-second']).toBe('ok');
    expect(r.steps['archive-third']).toBe('skipped');
    const order = r.events.filter((e) => e.t === 'step-done' && /^restore-/.test(String(e.step)) && e.status === 'ok').map((e) => e.step);
    expect(order).toEqual(['restore-ct-first', 'restore-vm-second']);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
  }, 120_000);
});
