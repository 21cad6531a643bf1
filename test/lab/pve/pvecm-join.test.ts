import { describe, expect, it } from 'vitest';
import { failHypervisor } from '../../../src/lab/commands/pve/index.js';
import { makeWorld, run } from './fixture.js';

describe('pvecm add: rejoining a reinstalled node', () => {
  it('walks the rebuild: no quorum, existing name, delnode, join', async () => {
    const w = makeWorld();
    const pve2 = w.machine('pve2')!;
    // reinstalled: Proxmox is on it again but it is not in the cluster any more
    failHypervisor(w, 'pve2');
    pve2.cluster = undefined;
    pve2.services = [{ name: 'corosync', active: false, enabled: true }];

    const st = await run(w, 'pve2', 'pvecm status');
    expect(st.code).toBe(2);
    expect(st.err).toBe("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?\n");
    expect((await run(w, 'pve2', 'qm list')).out).toBe('');

    // pve1 alone holds 1 of 2 votes
    expect((await run(w, 'pve1', 'pvecm status')).out).toMatch(/^Quorate: +No$/m);
    const noq = await run(w, 'pve2', 'pvecm add 192.0.2.21 --use_ssh');
    expect(noq.code).toBe(255);
    expect(noq.err).toBe('An error occurred on the cluster node: cluster not ready - no quorum?\nCluster join aborted!\n');

    await run(w, 'pve1', 'pvecm expected 1');
    const exists = await run(w, 'pve2', 'pvecm add 192.0.2.21 --use_ssh');
    expect(exists.err).toBe("An error occurred on the cluster node: can't add existing node 'pve2'\nCluster join aborted!\n");

    const self = await run(w, 'pve1', 'pvecm delnode pve1');
    expect(self.err).toBe('Cannot delete myself from cluster!\n');
    const del = await run(w, 'pve1', 'pvecm delnode pve2');
    expect(del.code).toBe(0);
    expect(del.out).toBe('Killing node 2\n');
    expect(w.clusters.get('rouans')!.nodes).toEqual(['pve1']);

    const join = await run(w, 'pve2', 'pvecm add 192.0.2.21 --use_ssh');
    expect(join.code).toBe(0);
    expect(join.out).toMatch(/^Request addition of this node$/m);
    expect(join.out).toMatch(/^successfully added node 'pve2' to cluster\.\n$/m);
    expect(pve2.cluster).toBe('rouans');
    expect(pve2.services.find((x) => x.name === 'corosync')?.active).toBe(true);

    const s = await run(w, 'pve1', 'pvecm status');
    expect(s.out).toMatch(/^Quorate: +Yes$/m);
    expect(s.out).toMatch(/^Expected votes: +2$/m);
    expect(s.out).toMatch(/^Total votes: +2$/m);
    expect(s.out).toMatch(/192\.0\.2\.22$/m);

    // the guests that lived on the old install lost their local-zfs disks
    const start = await run(w, 'pve2', 'qm start 102');
    expect(start.code).toBe(255);
    expect(start.err).toMatch(/dataset does not exist/);
  });

  it('refuses to join from a node that is already in a cluster', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve2', 'pvecm add 192.0.2.21');
    expect(r.code).toBe(255);
    expect(r.err).toMatch(/^detected the following error\(s\):\n\* authentication key/);
    expect(r.err).toMatch(/Check if node may join a cluster failed!\n$/);
  });

  it('cannot reach a cluster that is not there', async () => {
    const w = makeWorld();
    failHypervisor(w, 'pve2');
    w.machine('pve2')!.cluster = undefined;
    const r = await run(w, 'pve2', 'pvecm add 198.51.100.99 --use_ssh');
    expect(r.code).toBe(255);
    expect(r.err).toBe("500 Can't connect to 198.51.100.99:8006 (No route to host)\n");
  });
});
