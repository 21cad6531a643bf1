/**
 * The pve commands in the shipped default scenario, through the lab shell: a hypervisor dies,
 * quorum is forced, HA recovers the service without its disk, the VM is restored from baloo.
 */
import { describe, expect, it } from 'vitest';
import { injectFault } from '../../../src/lab/faults.js';
import { loadScenario } from '../../../src/lab/scenario.js';
import { runCommandLine } from '../../../src/lab/shell/interpreter.js';
import type { LabWorld } from '../../../src/lab/world.js';

async function sh(world: LabWorld, on: string, line: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCommandLine(line, {
    machine: world.machine(on)!,
    world,
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: {},
  });
  return { code, out, err };
}

const realWait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('default scenario: lose pve2, recover mail from baloo', () => {
  it('runs the rebuild path with the real tools', async () => {
    const { world } = loadScenario(undefined, { speed: 100_000, scheduleFaults: false });
    const list = await sh(world, 'pve1', 'qm list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ +100 web +running +8192 +64\.00 \d+/m);
    expect((await sh(world, 'pve2', 'pct list')).out).toMatch(/^200 +running +dns/m);

    injectFault(world, 'hypervisor-fail', 'pve2');
    world.advance();
    expect((await sh(world, 'pve1', 'pvecm status')).out).toMatch(/^Quorate: +No$/m);
    const res = JSON.parse((await sh(world, 'pve1', 'pvesh get /cluster/resources --output-format json')).out) as { id: string; status: string }[];
    expect(res.find((r) => r.id === 'qemu/101')!.status).toBe('unknown');
    expect(res.find((r) => r.id === 'node/pve2')!.status).toBe('offline');

    expect((await sh(world, 'pve1', 'pvecm expected 1')).code).toBe(0);
    await realWait(30); // > 2 lab minutes at 100000x: fence delay over
    const ha = await sh(world, 'pve1', 'ha-manager status');
    expect(ha.out).toMatch(/^service vm:101 \(pve1, error\)$/m);

    const archives = (world.backups.get('baloo') ?? []).filter((b) => b.vmid === 101).sort((a, b) => a.at - b.at);
    expect(archives.length).toBeGreaterThan(0);
    const latest = archives[archives.length - 1].path.split('/').pop()!;
    expect((await sh(world, 'pve1', 'ha-manager set vm:101 --state disabled')).code).toBe(0);
    const restore = await sh(world, 'pve1', `qmrestore /mnt/pve/baloo/dump/${latest} 101 --storage local-zfs --force`);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/^progress 100% \(read \d+ bytes, duration \d+ sec\)$/m);
    expect((await sh(world, 'pve1', 'ha-manager set vm:101 --state started')).code).toBe(0);
    expect((await sh(world, 'pve1', 'qm status 101')).out).toBe('status: running\n');
    expect((await sh(world, 'pve1', 'qm list')).out).toMatch(/^ +101 mail +running /m);
  });
});
