import { describe, expect, it } from 'vitest';
import { GiB, makeWorld, run } from './fixture.js';

// Real `qm list` (qemu-server printf "%10s %-20s %-10s %-10s %12s %-10s").
const QM_HEADER = /^ {6}VMID NAME {17}STATUS {5}MEM\(MB\) {4}BOOTDISK\(GB\) PID\s*$/;
const QM_ROW = /^ {7}(\d+) (\S+)\s+(running|stopped)\s+(\d+)\s+(\d+\.\d\d) (\d+)\s*$/;

describe('qm', () => {
  it('lists only the guests of this node in the real column layout', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'qm list');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(QM_HEADER);
    expect(lines).toHaveLength(2);
    const m = QM_ROW.exec(lines[1])!;
    expect(m).not.toBeNull();
    expect(m.slice(1, 6)).toEqual(['100', 'web', 'running', '4096', '32.00']);
    expect(Number(m[6])).toBeGreaterThan(0);
    // column positions as printf puts them: BOOTDISK right-aligned under its header
    expect(lines[1].indexOf('32.00') + 5).toBe(lines[0].indexOf('BOOTDISK(GB)') + 12);

    const r2 = await run(w, 'pve2', 'qm list');
    expect(r2.out.trimEnd().split('\n').slice(1).map((l) => QM_ROW.exec(l)?.[2])).toEqual(['mail', 'cloud']);
  });

  it('refuses a guest of another node with the real config-file error', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'qm start 101');
    expect(r.code).toBe(255);
    expect(r.err).toBe("Configuration file 'nodes/pve1/qemu-server/101.conf' does not exist\n");
    const s = await run(w, 'pve1', 'qm status 999');
    expect(s.code).toBe(255);
    expect(s.err).toContain("'nodes/pve1/qemu-server/999.conf' does not exist");
  });

  it('stops and starts a non-HA VM and the state persists in the cluster', async () => {
    const w = makeWorld();
    expect((await run(w, 'pve2', 'qm status 102')).out).toBe('status: running\n');
    const stop = await run(w, 'pve2', 'qm shutdown 102');
    expect(stop.code).toBe(0);
    expect(w.clusters.get('rouans')!.guests.find((g) => g.vmid === 102)!.status).toBe('stopped');
    expect((await run(w, 'pve2', 'qm status 102')).out).toBe('status: stopped\n');
    const again = await run(w, 'pve2', 'qm shutdown 102');
    expect(again.code).toBe(255);
    expect(again.err).toBe('VM 102 not running\n');
    expect((await run(w, 'pve2', 'qm start 102')).code).toBe(0);
    const dup = await run(w, 'pve2', 'qm start 102');
    expect(dup.err).toBe('VM 102 already running\n');
    expect(dup.code).toBe(255);
  });

  it('hands HA-managed VMs to the HA stack', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'qm stop 100');
    expect(r.out).toBe('Requesting HA stop for VM 100\n');
    const g = w.clusters.get('rouans')!.guests.find((x) => x.vmid === 100)!;
    expect(g.ha).toBe('stopped');
    expect(g.status).toBe('stopped');
    expect((await run(w, 'pve1', 'qm start 100')).out).toBe('Requesting HA start for VM 100\n');
    expect(g.status).toBe('running');
  });

  it('prints the config with the local-zfs disk line', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'qm config 100');
    expect(r.code).toBe(0);
    const keys = r.out.trimEnd().split('\n').map((l) => l.split(':')[0]);
    expect(keys).toEqual([...keys].sort());
    expect(r.out).toMatch(/^cores: 4$/m);
    expect(r.out).toMatch(/^memory: 4096$/m);
    expect(r.out).toMatch(/^name: web$/m);
    expect(r.out).toMatch(/^net0: virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1$/m);
    expect(r.out).toMatch(/^scsi0: local-zfs:vm-100-disk-0,size=32G$/m);
    expect(r.out).toMatch(/^ostype: l26$/m);
  });

  it('migrates offline with the local disk and refuses a live one without --with-local-disks', async () => {
    const w = makeWorld();
    const c = w.clusters.get('rouans')!;
    const t0 = w.now();
    const live = await run(w, 'pve2', 'qm migrate 102 pve1 --online');
    expect(live.code).toBe(255);
    expect(live.out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR: Problem found while scanning volumes - can't live migrate attached local disks without with-local-disks option$/m);
    expect(c.guests.find((g) => g.vmid === 102)!.node).toBe('pve2');

    const running = await run(w, 'pve2', 'qm migrate 102 pve1');
    expect(running.err).toBe("can't migrate running VM without --online\n");

    await run(w, 'pve2', 'qm shutdown 102');
    const off = await run(w, 'pve2', 'qm migrate 102 pve1');
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/starting migration of VM 102 to node 'pve1' \(192\.0\.2\.21\)/);
    expect(off.out).toMatch(/migration finished successfully \(duration 00:(\d\d):(\d\d)\)\n$/);
    const g = c.guests.find((x) => x.vmid === 102)!;
    expect(g.node).toBe('pve1');
    // 200 GiB at ~110 MB/s takes lab time: more than half an hour
    expect(w.now() - t0).toBeGreaterThan((200 * GiB) / 110e6 * 1000);
    expect((await run(w, 'pve1', 'qm list')).out).toMatch(/ 102 cloud /);
    expect((await run(w, 'pve1', 'qm start 102')).code).toBe(0);
  });

  it('live-migrates with --with-local-disks, streaming the drive mirror', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve2', 'qm migrate 102 pve1 --online --with-local-disks');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/drive-scsi0: transferred [\d.]+ GiB of 200\.0 GiB \(100\.00%\) in \d+s/);
    expect(r.out).toMatch(/migration status: completed/);
    const g = w.clusters.get('rouans')!.guests.find((x) => x.vmid === 102)!;
    expect(g.node).toBe('pve1');
    expect(g.status).toBe('running');
  });
});

describe('destroy', () => {
  it('refuses running or HA-managed guests and removes a stopped one', async () => {
    const w = makeWorld();
    const running = await run(w, 'pve2', 'qm destroy 102');
    expect(running.code).toBe(255);
    expect(running.err).toBe('VM 102 is running - destroy failed\n');
    await run(w, 'pve2', 'qm stop 102');
    expect((await run(w, 'pve2', 'qm destroy 102')).code).toBe(0);
    expect(w.clusters.get('rouans')!.guests.some((g) => g.vmid === 102)).toBe(false);
    await run(w, 'pve1', 'qm stop 100');
    const ha = await run(w, 'pve1', 'qm destroy 100');
    expect(ha.err).toBe('unable to remove VM 100 - used in HA resources and purge parameter not set.\n');
    expect((await run(w, 'pve1', 'qm destroy 100 --purge')).code).toBe(0);
    expect((await run(w, 'pve1', 'ha-manager status')).out).not.toMatch(/vm:100/);
  });

  it('returns a guest config through pvesh', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pvesh get /nodes/pve1/qemu/100/config --output-format json');
    const c = JSON.parse(r.out) as Record<string, unknown>;
    expect(c).toMatchObject({ name: 'web', cores: 4, memory: 4096, scsi0: 'local-zfs:vm-100-disk-0,size=32G' });
  });
});

describe('pct', () => {
  it('lists containers with an empty Lock column', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'pct list');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^VMID {7}Status {5}Lock {9}Name\s*$/);
    expect(lines[1]).toMatch(/^200 {8}running {4}[ ]{12} dns\s*$/);
    expect(r.out.endsWith('\n')).toBe(true);
    expect((await run(w, 'pve2', 'pct list')).out).toBe('');
  });

  it('stops, reports and configures a container', async () => {
    const w = makeWorld();
    expect((await run(w, 'pve1', 'pct stop 200')).code).toBe(0);
    expect((await run(w, 'pve1', 'pct status 200')).out).toBe('status: stopped\n');
    const cfg = await run(w, 'pve1', 'pct config 200');
    expect(cfg.out).toMatch(/^hostname: dns$/m);
    expect(cfg.out).toMatch(/^rootfs: local-zfs:subvol-200-disk-0,size=8G$/m);
    expect(cfg.out).toMatch(/^net0: name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:[0-9A-F:]{8},ip=192\.0\.2\.150\/24,type=veth$/m);
    const other = await run(w, 'pve2', 'pct start 200');
    expect(other.err).toBe("Configuration file 'nodes/pve2/lxc/200.conf' does not exist\n");
  });
});

describe('pve tools on other machines and bad input', () => {
  it('answers command not found on a machine that is not a PVE host', async () => {
    const w = makeWorld();
    const r = await run(w, 'eva', 'qm list');
    expect(r.code).toBe(127);
    expect(r.err).toMatch(/qm: command not found/);
  });

  it('rejects a bad VMID and unknown options in one or two lines', async () => {
    const w = makeWorld();
    const r = await run(w, 'pve1', 'qm start abc');
    expect(r.code).toBe(255);
    expect(r.err).toMatch(/vmid: invalid format/);
    const o = await run(w, 'pve1', 'qm migrate 100 pve2 --bogus');
    expect(o.code).toBe(255);
    expect(o.err).toMatch(/^Unknown option: bogus\n400 unable to parse option\n$/);
  });
});
