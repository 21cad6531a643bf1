import { describe, expect, it } from 'vitest';
import { failHypervisor } from '../../../src/lab/commands/pve/index.js';
import { GiB, makeWorld, powerOff, run } from './fixture.js';

type Rec = Record<string, unknown>;

async function resources(w: ReturnType<typeof makeWorld>, on = 'pve1', extra = ''): Promise<Rec[]> {
  const r = await run(w, on, `pvesh get /cluster/resources --output-format json ${extra}`);
  expect(r.code).toBe(0);
  expect(r.out.endsWith('\n')).toBe(true);
  return JSON.parse(r.out) as Rec[];
}

describe('pvesh get /cluster/resources', () => {
  it('returns node, guest and storage records with the real fields', async () => {
    const w = makeWorld();
    const recs = await resources(w);
    const ids = recs.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['node/pve1', 'node/pve2', 'qemu/100', 'qemu/101', 'qemu/102', 'lxc/200', 'storage/pve1/local-zfs', 'storage/pve2/baloo']));
    const web = recs.find((r) => r.id === 'qemu/100')!;
    expect(web).toMatchObject({ type: 'qemu', vmid: 100, name: 'web', node: 'pve1', status: 'running', maxcpu: 4, maxmem: 4096 * 1024 ** 2, maxdisk: 32 * GiB, hastate: 'started', template: 0 });
    expect(typeof web.cpu).toBe('number');
    expect(web.cpu as number).toBeGreaterThanOrEqual(0);
    expect(web.cpu as number).toBeLessThan(1);
    expect(web.mem as number).toBeGreaterThan(0);
    expect(web.mem as number).toBeLessThanOrEqual(web.maxmem as number);
    expect(web.uptime).toBe(3600);
    expect(web).toHaveProperty('tags');
    expect(recs.find((r) => r.id === 'qemu/102')).not.toHaveProperty('hastate');
    expect(recs.find((r) => r.id === 'lxc/200')).toMatchObject({ type: 'lxc', name: 'dns', status: 'running' });
    const node = recs.find((r) => r.id === 'node/pve1')!;
    expect(node).toMatchObject({ type: 'node', node: 'pve1', status: 'online', maxcpu: 16, maxmem: 128 * GiB });
    expect(node.mem as number).toBeLessThan(node.maxmem as number);
    const st = recs.find((r) => r.id === 'storage/pve1/local-zfs')!;
    expect(st).toMatchObject({ type: 'storage', storage: 'local-zfs', node: 'pve1', status: 'available', plugintype: 'zfspool', shared: 0 });
    expect(st.disk as number).toBeLessThan(st.maxdisk as number);
    // canonical JSON: keys sorted
    expect(Object.keys(web)).toEqual([...Object.keys(web)].sort());
  });

  it('filters by --type and rejects an unknown type', async () => {
    const w = makeWorld();
    const vms = await resources(w, 'pve1', '--type vm');
    expect(new Set(vms.map((r) => r.type))).toEqual(new Set(['qemu', 'lxc']));
    const bad = await run(w, 'pve1', 'pvesh get /cluster/resources --type disk --output-format json');
    expect(bad.code).toBe(255);
    expect(bad.err).toMatch(/type: value 'disk' does not have a value in the enumeration/);
  });

  it('shows a node that is down as offline and its guests as unknown', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    failHypervisor(w, 'pve2');
    const recs = await resources(w);
    expect(recs.find((r) => r.id === 'node/pve2')).toMatchObject({ status: 'offline' });
    for (const id of ['qemu/101', 'qemu/102']) {
      const r = recs.find((x) => x.id === id)!;
      expect(r.status).toBe('unknown');
      expect(r).not.toHaveProperty('cpu');
    }
    expect(recs.find((r) => r.id === 'qemu/101')!.hastate).toBe('fence');
    expect(recs.find((r) => r.id === 'qemu/100')!.status).toBe('running');
    expect(recs.find((r) => r.id === 'storage/pve2/local-zfs')!.status).toBe('unknown');
  });

  it('marks the backup storage unavailable when the backup box is down', async () => {
    const w = makeWorld();
    powerOff(w, 'baloo');
    const recs = await resources(w);
    expect(recs.find((r) => r.id === 'storage/pve1/baloo')!.status).toBe('unknown');
    const sm = await run(w, 'pve1', 'pvesm status');
    expect(sm.err).toBe("storage 'baloo' is not online\n");
    expect(sm.out).toMatch(/^baloo +nfs +inactive +0 +0 +0 +0\.00%$/m);
    expect(sm.out.split('\n')[0]).toMatch(/^Name +Type +Status +Total +Used +Available +%$/);
  });
});

describe('pvesh get /nodes/NODE/status and HA status', () => {
  it('gives memory and cpuinfo of a node', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvesh get /nodes/pve2/status --output-format json');
    const s = JSON.parse(r.out) as { memory: { total: number; used: number; free: number }; cpuinfo: { cpus: number; model: string }; uptime: number; loadavg: string[] };
    expect(s.memory.total).toBe(128 * GiB);
    expect(s.memory.used + s.memory.free).toBe(s.memory.total);
    // pve2 runs mail (8 GiB) and cloud (16 GiB): it uses more than pve1
    const s1 = JSON.parse((await run(w, 'pve1', 'pvesh get /nodes/pve1/status --output-format json')).out) as typeof s;
    expect(s.memory.used).toBeGreaterThan(s1.memory.used);
    expect(s.cpuinfo.cpus).toBe(16);
    expect(s.loadavg).toEqual(['0.42', '0.37', '0.30']);
    expect(s.uptime).toBe(86400);
  });

  it('cannot reach a node that is down', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    const r = await run(w, 'pve1', 'pvesh get /nodes/pve2/status --output-format json');
    expect(r.code).toBe(255);
    expect(r.err).toMatch(/^proxy handler failed: 595 /);
  });

  it('returns /cluster/ha/status/current records', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvesh get /cluster/ha/status/current --output-format json');
    const recs = JSON.parse(r.out) as Rec[];
    expect(recs[0]).toMatchObject({ id: 'quorum', type: 'quorum', status: 'OK', quorate: 1 });
    expect(recs.find((x) => x.id === 'master')!.status).toBe('pve1 (active, Sat Nov 21 03:12:01 2026)');
    expect(recs.find((x) => x.id === 'service:vm:100')).toMatchObject({ type: 'service', sid: 'vm:100', node: 'pve1', state: 'started' });
  });

  it('prints a bordered text table by default and refuses unknown paths', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvesh get /nodes/pve1/qemu');
    expect(r.out.split('\n')[0]).toMatch(/^┌─+┬/);
    expect(r.out).toMatch(/│ web +│/);
    const bad = await run(w, 'pve1', 'pvesh get /nope');
    expect(bad.code).toBe(255);
    expect(bad.err).toBe("No 'get' handler defined for '/nope'\n");
  });
});
