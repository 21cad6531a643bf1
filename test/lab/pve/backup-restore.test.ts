import { describe, expect, it } from 'vitest';
import { FENCE_DELAY_MS, failHypervisor, RESTORE_BPS } from '../../../src/lab/commands/pve/index.js';
import { GiB, jump, makeWorld, MiB, powerOff, run } from './fixture.js';

const ARCHIVE_100 = '/mnt/pve/baloo/dump/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst';
const ARCHIVE_101 = '/mnt/pve/baloo/dump/vzdump-qemu-101-2026_11_21-01_04_40.vma.zst';
const PROGRESS = /^progress (\d+)% \(read (\d+) bytes, duration (\d+) sec\)$/;

describe('vzdump', () => {
  it('writes the real task log and adds the archive to the backup box', async () => {
    const w = makeWorld();
    const before = w.backups.get('baloo')!.length;
    const r = await run(w, 'pve1', 'vzdump 100 --storage baloo --mode snapshot --compress zstd');
    expect(r.code).toBe(0);
    const log = r.err.trimEnd().split('\n');
    expect(log[0]).toBe('INFO: starting new backup job: vzdump 100 --storage baloo --mode snapshot --compress zstd');
    expect(log).toContain('INFO: Starting Backup of VM 100 (qemu)');
    expect(r.err).toMatch(/^INFO: creating vzdump archive '\/mnt\/pve\/baloo\/dump\/vzdump-qemu-100-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst'$/m);
    expect(r.err).toMatch(/^INFO: 100% \(32\.0 GiB of 32\.0 GiB\) in .*s, read: .*\/s, write: .*\/s$/m);
    expect(r.err).toMatch(/^INFO: Finished Backup of VM 100 \(\d\d:\d\d:\d\d\)$/m);
    expect(log[log.length - 1]).toBe('INFO: Backup job finished successfully');
    const list = w.backups.get('baloo')!;
    expect(list).toHaveLength(before + 1);
    const b = list[list.length - 1];
    expect(b).toMatchObject({ vmid: 100, type: 'qemu' });
    expect(b.path).toMatch(/\/vzdump-qemu-100-.*\.vma\.zst$/);
    expect(b.sizeBytes).toBeGreaterThan(0);
    expect(b.sizeBytes).toBeLessThan(32 * GiB);
    expect(w.clusters.get('rouans')!.guests.find((g) => g.vmid === 100)!.lock).toBeUndefined();
  });

  it('skips guests of other nodes and fails when the backup box is down', async () => {
    const w = makeWorld();
    const skip = await run(w, 'pve1', 'vzdump 101 200 --storage baloo --compress zstd');
    expect(skip.err).toMatch(/^INFO: skip external VMs: 101$/m);
    expect(skip.err).toMatch(/^INFO: CT Name: dns$/m);
    expect(skip.err).toMatch(/\.tar\.zst'$/m);
    powerOff(w, 'baloo');
    const down = await run(w, 'pve1', 'vzdump 100 --storage baloo --compress zstd');
    expect(down.code).toBe(255);
    expect(down.err).toMatch(/^ERROR: Backup of VM 100 failed - storage 'baloo' is not online$/m);
    expect(down.err).toMatch(/^INFO: Backup job finished with errors$/m);
  });
});

describe('qmrestore', () => {
  it('refuses an existing VMID on another node even with --force', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve2', `qmrestore ${ARCHIVE_100} 100 --storage local-zfs --force`);
    expect(r.code).toBe(255);
    expect(r.err).toBe("unable to restore VM 100 - VM 100 already exists on node 'pve1'\n");
    const local = await run(w, 'pve1', `qmrestore ${ARCHIVE_100} 100`);
    expect(local.err).toBe("unable to restore VM 100 - VM 100 already exists on node 'pve1'\n");
  });

  it('streams progress over lab time at ~110 MB/s and leaves a stopped guest on this node', async () => {
    const w = makeWorld();
    const t0 = w.now();
    const r = await run(w, 'pve1', `qmrestore ${ARCHIVE_101} 9101 --storage local-zfs`);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^restore vma archive: zstd -q -d -c \/mnt\/pve\/baloo\/dump\/vzdump-qemu-101-2026_11_21-01_04_40\.vma\.zst \| vma extract -v -r \/var\/tmp\/vzdumptmp\d+\.fifo - \/var\/tmp\/vzdumptmp\d+$/);
    expect(r.out).toMatch(/^new volume ID is 'local-zfs:vm-9101-disk-0'$/m);
    const prog = lines.filter((l) => l.startsWith('progress ')).map((l) => PROGRESS.exec(l)!);
    expect(prog).toHaveLength(100);
    const size = 22 * GiB;
    prog.forEach((m, i) => {
      expect(Number(m[1])).toBe(i + 1);
      expect(Number(m[2])).toBe(Math.floor((size * (i + 1)) / 100));
    });
    const secs = prog.map((m) => Number(m[3]));
    expect(secs).toEqual([...secs].sort((a, b) => a - b));
    const expected = size / 110e6; // 1 GbE from the backup box
    expect(RESTORE_BPS).toBe(110e6);
    expect(secs[99]).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    expect(secs[99]).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    expect(w.now() - t0).toBeGreaterThanOrEqual(expected * 1000 - 10);
    expect(lines[lines.length - 1]).toBe('rescan volumes...');
    const g = w.clusters.get('rouans')!.guests.find((x) => x.vmid === 9101)!;
    expect(g).toMatchObject({ node: 'pve1', type: 'qemu', status: 'stopped', name: 'mail', memBytes: 8192 * MiB });
    expect(g.lock).toBeUndefined();
    expect((await run(w, 'pve1', 'qm start 9101')).code).toBe(0);
  });

  it('runs on a real fast clock too (LabClock speed high)', async () => {
    const w = makeWorld({ speed: 200_000, virtual: false });
    const started = Date.now();
    const r = await run(w, 'pve1', `qmrestore baloo:backup/vzdump-qemu-101-2026_11_21-01_04_40.vma.zst 9102`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^progress 100% \(read 23622320128 bytes, duration \d+ sec\)$/m);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('replaces a local VM with --force (the rebuild path after an HA recovery)', async () => {
    const w = makeWorld();
    powerOff(w, 'pve2');
    failHypervisor(w, 'pve2');
    await run(w, 'pve1', 'pvecm expected 1');
    jump(w, FENCE_DELAY_MS + 1000);
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:101 \(pve1, error\)$/m);
    expect((await run(w, 'pve1', 'ha-manager set vm:101 --state disabled')).code).toBe(0);
    const r = await run(w, 'pve1', `qmrestore ${ARCHIVE_101} 101 --storage local-zfs --force`);
    expect(r.code).toBe(0);
    expect((await run(w, 'pve1', 'ha-manager set vm:101 --state started')).code).toBe(0);
    expect((await run(w, 'pve1', 'ha-manager status')).out).toMatch(/^service vm:101 \(pve1, started\)$/m);
    expect((await run(w, 'pve1', 'qm status 101')).out).toBe('status: running\n');
  });

  it('leaves no half-restored guest behind when interrupted', async () => {
    const w = makeWorld();
    const ac = new AbortController();
    const pending = run(w, 'pve1', `qmrestore ${ARCHIVE_101} 9103`, '', ac);
    await new Promise((r) => setImmediate(r));
    // while it runs the VMID is taken and locked
    expect(w.clusters.get('rouans')!.guests.find((g) => g.vmid === 9103)?.lock).toBe('create');
    ac.abort();
    const r = await pending;
    expect(r.code).toBe(255);
    expect(r.err).toBe('interrupted by signal\n');
    expect(w.clusters.get('rouans')!.guests.find((g) => g.vmid === 9103)).toBeUndefined();
  });

  it('refuses a missing archive and an offline backup storage', async () => {
    const w = makeWorld();
    const miss = await run(w, 'pve1', 'qmrestore /mnt/pve/baloo/dump/vzdump-qemu-100-2020_01_01-00_00_00.vma.zst 9100');
    expect(miss.code).toBe(255);
    expect(miss.err).toMatch(/No such file or directory/);
    powerOff(w, 'baloo');
    const off = await run(w, 'pve1', `qmrestore ${ARCHIVE_100} 9100`);
    expect(off.err).toBe("storage 'baloo' is not online\n");
  });
});

describe('pct restore', () => {
  it('restores a container from its archive over lab time', async () => {
    const w = makeWorld();
    const t0 = w.now();
    const r = await run(w, 'pve2', 'pct restore 9200 /mnt/pve/baloo/dump/vzdump-lxc-200-2026_11_21-01_09_13.tar.zst --storage local-zfs');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^recovering backed-up configuration from 'baloo:backup\/vzdump-lxc-200-2026_11_21-01_09_13\.tar\.zst'$/m);
    expect(r.out).toMatch(/^Total bytes read: 943718400 \(900MiB, \d+MiB\/s\)$/m);
    expect(w.now() - t0).toBeGreaterThanOrEqual((900 * MiB / RESTORE_BPS) * 1000 - 10);
    expect((await run(w, 'pve2', 'pct list')).out).toMatch(/^9200 +stopped +dns/m);
    const dup = await run(w, 'pve2', 'pct restore 200 /mnt/pve/baloo/dump/vzdump-lxc-200-2026_11_21-01_09_13.tar.zst');
    expect(dup.err).toBe("unable to restore CT 200 - CT 200 already exists on node 'pve1'\n");
  });
});
