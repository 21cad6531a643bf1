import { describe, expect, it } from 'vitest';
import { FENCE_DELAY_MS, failHypervisor } from '../../../src/lab/commands/pve/index.js';
import { jump, makeWorld, powerOff, run } from './fixture.js';

const DATE = '[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}';

describe('pvecm', () => {
  it('reports a quorate two-node cluster in the corosync layout', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvecm status');
    expect(r.code).toBe(0);
    const blocks = r.out.split('\n\n').map((b) => b.split('\n')[0]);
    expect(blocks).toEqual(['Cluster information', 'Quorum information', 'Votequorum information', 'Membership information']);
    expect(r.out).toMatch(/^Name: {13}rouans$/m);
    expect(r.out).toMatch(/^Quorate: {10}Yes$/m);
    expect(r.out).toMatch(/^Expected votes: {3}2$/m);
    expect(r.out).toMatch(/^Total votes: {6}2$/m);
    expect(r.out).toMatch(/^Flags: {12}Quorate $/m);
    expect(r.out).toMatch(/^0x00000001 {10}1 192\.0\.2\.21 \(local\)$/m);
    expect(r.out).toMatch(/^0x00000002 {10}1 192\.0\.2\.22$/m);
    const n = await run(w, 'pve2', 'pvecm nodes');
    expect(n.out).toBe('\nMembership information\n----------------------\n    Nodeid      Votes Name\n         1          1 pve1\n         2          1 pve2 (local)\n');
  });

  it('loses quorum when a node is down; qm start refuses; pvecm expected 1 brings it back', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    const s = await run(w, 'pve1', 'pvecm status');
    expect(s.out).toMatch(/^Quorate: {10}No$/m);
    expect(s.out).toMatch(/^Total votes: {6}1$/m);
    expect(s.out).toMatch(/^Quorum: {11}2 Activity blocked$/m);
    expect(s.out).not.toMatch(/192\.0\.2\.22/);

    expect((await run(w, 'pve1', 'pct stop 200')).code).toBe(0); // stopping needs no quorum
    const start = await run(w, 'pve1', 'pct start 200');
    expect(start.code).toBe(255);
    expect(start.err).toBe('cluster not ready - no quorum?\n');

    const ha = await run(w, 'pve1', 'ha-manager status');
    expect(ha.out.split('\n')[0]).toBe("quorum No quorum on node 'pve1'!");
    expect(ha.out.split('\n')[1]).toMatch(new RegExp(`^master pve1 \\(active, ${DATE}\\)$`));
    jump(w, 5 * 60_000);
    expect((await run(w, 'pve1', 'ha-manager status')).out.split('\n')[1]).toBe('master pve1 (old timestamp - dead?, Sat Nov 21 03:12:01 2026)');

    const e = await run(w, 'pve1', 'pvecm expected 1');
    expect(e.code).toBe(0);
    const s2 = await run(w, 'pve1', 'pvecm status');
    expect(s2.out).toMatch(/^Quorate: {10}Yes$/m);
    expect(s2.out).toMatch(/^Expected votes: {3}1$/m);
    expect((await run(w, 'pve1', 'pct start 200')).code).toBe(0);
  });

  it('drops a node whose corosync is stopped from the membership', async () => {
    const w = makeWorld();
    w.machine('pve2')!.services.push({ name: 'corosync', active: false, enabled: true });
    const r = await run(w, 'pve1', 'pvecm status');
    expect(r.out).toMatch(/^Quorate: +No$/m);
    expect(r.out).toMatch(/^Nodes: +1$/m);
  });

  it('refuses to set expected votes below the votes present', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvecm expected 1');
    expect(r.code).toBe(255);
    expect(r.err).toMatch(/^Unable to set expected votes: CS_ERR_INVALID_PARAM$/m);
  });
});

describe('scenario contracts', () => {
  it('takes nodes listed in a cluster as joined when their machine does not name the cluster', async () => {
    const w = makeWorld();
    w.machine('pve1')!.cluster = undefined;
    w.machine('pve2')!.cluster = undefined;
    const r = await run(w, 'pve1', 'pvecm status');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Quorate: +Yes$/m);
    expect(w.clusters.get('rouans')!.guests.every((g) => g.status === 'running')).toBe(true);
  });
});

describe('ha-manager', () => {
  it('prints status lines like the real tool', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve2', 'ha-manager status');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('quorum OK');
    expect(lines[1]).toMatch(new RegExp(`^master pve1 \\(active, ${DATE}\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^lrm pve1 \\(active, ${DATE}\\)$`));
    expect(lines).toContain('service vm:100 (pve1, started)');
    expect(lines).toContain('service vm:101 (pve2, started)');
  });

  it('migrates a service over lab time and sets its state', async () => {
    const w = makeWorld();
    const g = w.clusters.get('rouans')!.guests.find((x) => x.vmid === 100)!;
    const r = await run(w, 'pve1', 'ha-manager migrate vm:100 pve2');
    expect(r.code).toBe(0);
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:100 \(pve1, migrate\)$/m);
    expect(g.node).toBe('pve1');
    jump(w, 10 * 60_000);
    const after = await run(w, 'pve1', 'ha-manager status');
    expect(after.out).toMatch(/^service vm:100 \(pve2, started\)$/m);
    expect(g.node).toBe('pve2');
    expect(g.status).toBe('running');

    expect((await run(w, 'pve1', 'ha-manager set vm:100 --state stopped')).code).toBe(0);
    expect(g.status).toBe('stopped');
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:100 \(pve2, stopped\)$/m);
    const bad = await run(w, 'pve1', 'ha-manager set vm:102 --state started');
    expect(bad.code).toBe(255);
    expect(bad.err).toBe("service 'vm:102' not defined\n");
  });

  it('fences the services of a dead node and recovers them once quorate (disk on local-zfs is missing)', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    failHypervisor(w, 'pve2');
    const st = await run(w, 'pve1', 'ha-manager status');
    expect(st.out).toMatch(/^service vm:101 \(pve2, fence\)$/m);
    jump(w, FENCE_DELAY_MS * 2);
    // still no quorum: nothing moves
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:101 \(pve2, fence\)$/m);
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(new RegExp(`^lrm pve2 \\(old timestamp - dead\\?, ${DATE}\\)$`, 'm'));
    await run(w, 'pve1', 'pvecm expected 1');
    const rec = await run(w, 'pve1', 'ha-manager status');
    // recovered to pve1, but its disk lives on pve2's rpool: the start fails
    expect(rec.out).toMatch(/^service vm:101 \(pve1, error\)$/m);
    expect((await run(w, 'pve1', 'qm list')).out).toMatch(/^ +101 mail +stopped /m);
    const start = await run(w, 'pve1', 'qm start 101');
    expect(start.out).toBe('Requesting HA start for VM 101\n');
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:101 \(pve1, error\)$/m);
  });

  it('restarts fenced services on their node when it comes back', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    failHypervisor(w, 'pve2');
    const m = w.machine('pve2')!;
    m.power = 'on';
    m.boot = 'up';
    const st = await run(w, 'pve1', 'ha-manager status');
    expect(st.out).toMatch(/^service vm:101 \(pve2, started\)$/m);
    const g = w.clusters.get('rouans')!.guests.find((x) => x.vmid === 101)!;
    expect(g.status).toBe('running');
    // a non-HA guest stays stopped after the crash
    expect(w.clusters.get('rouans')!.guests.find((x) => x.vmid === 102)!.status).toBe('stopped');
  });
});
