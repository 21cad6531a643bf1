/** The whole RAID1 disk swap as the runbook does it, against the lab state and a fake clock. */
import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';
import { failDisk, replaceDisk } from '../../../src/lab/commands/storage/index.js';

describe('disk swap on an mdadm RAID1 machine', () => {
  it('fail → remove → new disk → sgdisk -R / -G → add → recovery → [UU]', async () => {
    const m = mdMachine();
    const l = lab(m);

    failDisk(l.world, m, 'sdb');
    let mdstat = l.read(m, '/proc/mdstat');
    expect(mdstat).toMatch(/^md0 : active raid1 sdb2\[1\]\(F\) sda2\[0\]$/m);
    expect(mdstat).toMatch(/^md1 : active raid1 sdb3\[1\]\(F\) sda3\[0\]$/m);
    expect(mdstat.match(/\[2\/1\] \[U_\]/g)).toHaveLength(2);
    expect(m.consoleLog.join('\n')).toMatch(/md\/raid1:md1: Disk failure on sdb3, disabling device\./);

    const health = await l.run(m, 'smartctl -H /dev/sdb');
    expect(health.out).toMatch(/^SMART overall-health self-assessment test result: FAILED!$/m);
    expect(health.code & 8).toBe(8);
    expect((await l.run(m, 'mdadm --detail --test /dev/md1')).code).toBe(1);

    for (const md of ['md0', 'md1']) {
      const p = md === 'md0' ? 2 : 3;
      const r = await l.run(m, `mdadm /dev/${md} --fail /dev/sdb${p} --remove /dev/sdb${p}`);
      expect(r.code, r.err).toBe(0);
    }
    expect(l.read(m, '/proc/mdstat')).not.toMatch(/sdb/);
    expect((await l.run(m, 'ledctl locate=/dev/sdb')).code).toBe(0);
    expect(m.disks[1]!.locateLed).toBe(true);

    // hands in the datacentre
    replaceDisk(m, 'sdb', 'S6NEW0R123456');
    expect(m.disks[1]!.label).toBeUndefined();
    const blank = await l.run(m, 'mdadm /dev/md1 --add /dev/sdb3');
    expect(blank.code).toBe(1);
    expect(blank.err).toBe('mdadm: stat failed for /dev/sdb3: No such file or directory\n');

    expect((await l.run(m, 'sgdisk /dev/sda -R /dev/sdb')).out).toBe('The operation has completed successfully.\n');
    expect(m.disks[1]!.label!.partitions.map((p) => p.uuid)).toEqual(m.disks[0]!.label!.partitions.map((p) => p.uuid));
    expect((await l.run(m, 'sgdisk -G /dev/sdb')).code).toBe(0);
    const a = m.disks[0]!.label!;
    const b = m.disks[1]!.label!;
    expect(b.id).not.toBe(a.id);
    for (let i = 0; i < a.partitions.length; i++) {
      expect(b.partitions[i]!.uuid).not.toBe(a.partitions[i]!.uuid);
      expect(b.partitions[i]!.startSector).toBe(a.partitions[i]!.startSector);
      expect(b.partitions[i]!.sizeSectors).toBe(a.partitions[i]!.sizeSectors);
    }

    const add0 = await l.run(m, 'mdadm /dev/md0 --add /dev/sdb2');
    const add1 = await l.run(m, 'mdadm /dev/md1 --add /dev/sdb3');
    expect(add0.err).toBe('mdadm: added /dev/sdb2\n');
    expect(add1.err).toBe('mdadm: added /dev/sdb3\n');

    // md0 (1 GiB) recovers first; md1 waits for it (same disks).
    mdstat = l.read(m, '/proc/mdstat');
    expect(mdstat).toMatch(/md1 : active raid1 sdb3\[2\] sda3\[0\]\n[^\n]*\[2\/1\] \[U_\]\n {6}\tresync=DELAYED/);
    l.advance(m.md[0]!.recovery!.durationMs + 1000);
    mdstat = l.read(m, '/proc/mdstat');
    expect(mdstat).toMatch(/md0 : active raid1 sdb2\[2\] sda2\[0\]\n {6}1046528 blocks super 1\.2 \[2\/2\] \[UU\]/);

    const pct = (t: string) => Number(/recovery = *([\d.]+)%/.exec(t)?.[1]);
    l.advance(60_000);
    const p1 = pct(l.read(m, '/proc/mdstat'));
    const d1 = await l.run(m, 'mdadm --detail /dev/md1');
    expect(d1.out).toMatch(/State : clean, degraded, recovering $/m);
    expect(d1.out).toMatch(/^ {4}Rebuild Status : \d+% complete$/m);
    expect(d1.out).toMatch(/^ {7}2 {7}8 {7}19 {8}1 {6}spare rebuilding {3}\/dev\/sdb3$/m);
    l.advance(600_000);
    const p2 = pct(l.read(m, '/proc/mdstat'));
    expect(p1).toBeGreaterThan(0);
    expect(p2).toBeGreaterThan(p1);
    // ~150000 K/s in lab time: 10 minutes more moves by about 600*150000 blocks.
    expect(p2 - p1).toBeCloseTo((600 * 150_000 * 100) / m.md[1]!.blocks, 0);

    l.advance(m.md[1]!.recovery!.durationMs);
    mdstat = l.read(m, '/proc/mdstat');
    expect(mdstat.match(/\[2\/2\] \[UU\]/g)).toHaveLength(2);
    expect(mdstat).not.toMatch(/recovery|DELAYED/);
    expect(m.md[1]!.members.find((x) => x.dev === 'sdb3')!.state).toBe('active');
    expect((await l.run(m, 'mdadm --detail --test /dev/md1')).code).toBe(0);

    const grub = await l.run(m, 'grub-install /dev/sdb');
    expect(grub.out).toBe('Installing for i386-pc platform.\nInstallation finished. No error reported.\n');
    expect((await l.run(m, 'ledctl locate_off=/dev/sdb')).code).toBe(0);
    expect(m.disks[1]!.locateLed).toBe(false);
    expect((await l.run(m, 'smartctl -H /dev/sdb')).code).toBe(0);
  });

  it('sfdisk -d | sfdisk copies label-id and partition UUIDs verbatim', async () => {
    const m = mdMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    for (const [md, p] of [['md0', 2], ['md1', 3]] as const) await l.run(m, `mdadm /dev/${md} --fail /dev/sdb${p} --remove /dev/sdb${p}`);
    replaceDisk(m, 'sdb', 'S6NEW0R999999');
    const dump = await l.run(m, 'sfdisk -d /dev/sda');
    const w = await l.run(m, 'sfdisk /dev/sdb', dump.out);
    expect(w.code, w.err).toBe(0);
    expect(w.out).toMatch(/^Checking that no-one is using this disk right now \.\.\. OK$/m);
    expect(w.out).toMatch(/^>>> Created a new GPT disklabel \(GUID: 3F1E2D4C-5B6A-4789-8A9B-0C1D2E3F4A5B\)\.$/m);
    expect(w.out).toMatch(/^\/dev\/sdb3: Created a new partition 3 of type 'Linux RAID' and of size 446\.1 GiB\.$/m);
    expect(w.out).toMatch(/The partition table has been altered\.\n/);
    expect(m.disks[1]!.label!.id).toBe(m.disks[0]!.label!.id);
    expect(m.disks[1]!.label!.partitions.map((p) => p.uuid)).toEqual(m.disks[0]!.label!.partitions.map((p) => p.uuid));
    // The dump of the copy is the same except for the device names.
    const dump2 = await l.run(m, 'sfdisk -d /dev/sdb');
    expect(dump2.out.replace(/sdb/g, 'sda')).toBe(dump.out);
  });

  it('sfdisk refuses to repartition a disk in use', async () => {
    const m = mdMachine();
    const l = lab(m);
    const dump = await l.run(m, 'sfdisk -d /dev/sdb');
    const w = await l.run(m, 'sfdisk /dev/sda', dump.out);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(/\.\.\. FAILED\n\nThis disk is currently in use - repartitioning is probably a bad idea\./);
    expect(w.err).toBe('sfdisk: Use the --force flag to overrule all checks.\n');
    expect(m.disks[0]!.label!.id).toBe('3F1E2D4C-5B6A-4789-8A9B-0C1D2E3F4A5B');
  });
});
