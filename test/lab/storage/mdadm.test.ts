import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';

describe('mdadm --detail', () => {
  it('prints the real layout for a clean array and --test exits 0', async () => {
    const m = mdMachine();
    const l = lab(m);
    const r = await l.run(m, 'mdadm --detail --test /dev/md1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\/dev\/md1:\n {11}Version : 1\.2\n/);
    expect(r.out).toMatch(/^ {8}Array Size : 467669824 \(446\.00 GiB 478\.89 GB\)$/m);
    expect(r.out).toMatch(/^ {13}State : clean $/m);
    expect(r.out).toMatch(/^ {4}Active Devices : 2$/m);
    expect(r.out).toMatch(/^Consistency Policy : bitmap$/m);
    expect(r.out).toMatch(/^ {14}Name : emma:1 {2}\(local to host emma\)$/m);
    expect(r.out).toContain('    Number   Major   Minor   RaidDevice State\n');
    expect(r.out).toMatch(/^ {7}0 {7}8 {8}3 {8}0 {6}active sync {3}\/dev\/sda3$/m);
    expect(r.out).toMatch(/^ {7}1 {7}8 {7}19 {8}1 {6}active sync {3}\/dev\/sdb3$/m);
  });

  it('--test exits 1 when degraded, 2 when unusable, 4 on a missing array', async () => {
    const m = mdMachine();
    const l = lab(m);
    m.md[0]!.members[1]!.state = 'faulty';
    const deg = await l.run(m, 'mdadm --detail --test /dev/md0');
    expect(deg.code).toBe(1);
    expect(deg.out).toMatch(/State : clean, degraded $/m);
    expect(deg.out).toMatch(/^ {7}- {7}0 {8}0 {8}1 {6}removed$/m);
    expect(deg.out).toMatch(/\n\n {7}1 {7}8 {7}18 {8}- {6}faulty {3}\/dev\/sdb2\n$/);
    m.md[0]!.members[0]!.state = 'faulty';
    expect((await l.run(m, 'mdadm -D -t /dev/md0')).code).toBe(2);
    const missing = await l.run(m, 'mdadm --detail --test /dev/md7');
    expect(missing.code).toBe(4);
    expect(missing.err).toBe('mdadm: cannot open /dev/md7: No such file or directory\n');
    expect((await l.run(m, 'mdadm --detail /dev/md7')).code).toBe(1);
  });

  it('--detail --scan lists ARRAY lines', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'mdadm --detail --scan');
    expect(r.out).toBe('ARRAY /dev/md0 metadata=1.2 name=emma:0 UUID=3b0c0f9a:6e1d2c44:8f7a5b3e:1d2c3b4a\nARRAY /dev/md1 metadata=1.2 name=emma:1 UUID=a1b2c3d4:e5f60718:293a4b5c:6d7e8f90\n');
  });
});

describe('mdadm manage mode', () => {
  it('refuses to remove an active member', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'mdadm /dev/md0 --remove /dev/sdb2');
    expect(r.code).toBe(1);
    expect(r.err).toBe('mdadm: hot remove failed for /dev/sdb2: Device or resource busy\n');
    expect(m.md[0]!.members).toHaveLength(2);
  });

  it('fails then removes in one line, and accepts --fail before the array', async () => {
    const m = mdMachine();
    const l = lab(m);
    const r = await l.run(m, 'mdadm /dev/md0 --fail /dev/sdb2 --remove /dev/sdb2');
    expect(r.code).toBe(0);
    expect(r.err).toBe('mdadm: set /dev/sdb2 faulty in /dev/md0\nmdadm: hot removed /dev/sdb2 from /dev/md0\n');
    expect(l.read(m, '/proc/mdstat')).toMatch(/^md0 : active raid1 sda2\[0\]\n {6}1046528 blocks super 1\.2 \[2\/1\] \[U_\]$/m);
    const r2 = await l.run(m, 'mdadm --fail /dev/md1 /dev/sdb3');
    expect(r2.code).toBe(0);
    expect(l.read(m, '/proc/mdstat')).toMatch(/^md1 : active raid1 sdb3\[1\]\(F\) sda3\[0\]$/m);
    const r3 = await l.run(m, 'mdadm --manage /dev/md1 --remove failed');
    expect(r3.code).toBe(0);
    expect(m.md[1]!.members.map((x) => x.dev)).toEqual(['sda3']);
  });

  it('will not fail the last in-sync member, nor touch non-members', async () => {
    const m = mdMachine();
    const l = lab(m);
    await l.run(m, 'mdadm /dev/md0 -f /dev/sdb2');
    const last = await l.run(m, 'mdadm /dev/md0 -f /dev/sda2');
    expect(last.code).toBe(2);
    expect(last.err).toBe('mdadm: set device faulty failed for /dev/sda2:  Device or resource busy\n');
    const nm = await l.run(m, 'mdadm /dev/md0 --remove /dev/sda3');
    expect(nm.err).toBe('mdadm: hot remove failed for /dev/sda3: No such device or address\n');
    expect(nm.code).toBe(1);
    const nd = await l.run(m, 'mdadm /dev/md9 --fail /dev/sdb2');
    expect(nd.code).toBe(1);
    expect(nd.err).toMatch(/^mdadm: error opening \/dev\/md9: No such file or directory$/m);
  });

  it('--add of a missing partition and of an in-use one fail like the real tool', async () => {
    const m = mdMachine();
    const l = lab(m);
    const missing = await l.run(m, 'mdadm /dev/md0 --add /dev/sdc2');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('mdadm: stat failed for /dev/sdc2: No such file or directory\n');
    const busy = await l.run(m, 'mdadm /dev/md0 --add /dev/sda3');
    expect(busy.err).toBe('mdadm: Cannot open /dev/sda3: Device or resource busy\n');
  });

  it('--examine shows the superblock of a member and refuses a blank partition', async () => {
    const m = mdMachine();
    const l = lab(m);
    const r = await l.run(m, 'mdadm --examine /dev/sdb3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {10}Magic : a92b4efc$/m);
    expect(r.out).toMatch(/^ {5}Array UUID : a1b2c3d4:e5f60718:293a4b5c:6d7e8f90$/m);
    expect(r.out).toMatch(/^ {4}Device Role : Active device 1$/m);
    expect(r.out).toMatch(/^ {4}Array State : AA /m);
    const none = await l.run(m, 'mdadm -E /dev/sda1');
    expect(none.code).toBe(1);
    expect(none.err).toBe('mdadm: No md superblock detected on /dev/sda1.\n');
  });

  it('--replace with a spare copies onto it, then the old member is marked faulty', async () => {
    const m = mdMachine();
    const l = lab(m);
    // a third disk sdc with the same layout, partition 2 added as spare
    const sdc = structuredClone(m.disks[1]!);
    sdc.dev = 'sdc';
    sdc.serial = 'S45PNA0M500789';
    sdc.bay = 2;
    m.disks.push(sdc);
    expect((await l.run(m, 'mdadm /dev/md0 --add /dev/sdc2')).code).toBe(0);
    expect(l.read(m, '/proc/mdstat')).toMatch(/^md0 : active raid1 sdc2\[2\]\(S\) sdb2\[1\] sda2\[0\]$/m);
    const r = await l.run(m, 'mdadm /dev/md0 --replace /dev/sdb2');
    expect(r.err).toBe('mdadm: Marked /dev/sdb2 (device 1 in /dev/md0) for replacement\n');
    expect(l.read(m, '/proc/mdstat')).toMatch(/^md0 : active raid1 sdc2\[2\]\(R\) sdb2\[1\] sda2\[0\]\n {6}1046528 blocks super 1\.2 \[2\/2\] \[UU\]\n {6}\[/m);
    l.advance(m.md[0]!.recovery!.durationMs + 1);
    expect(l.read(m, '/proc/mdstat')).toMatch(/^md0 : active raid1 sdc2\[2\] sdb2\[1\]\(F\) sda2\[0\]$/m);
  });
});
