import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';
import { replaceDisk } from '../../../src/lab/commands/storage/index.js';

describe('sfdisk / sgdisk', () => {
  it('sfdisk -d prints the util-linux dump format', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'sfdisk -d /dev/sda');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^label: gpt\nlabel-id: [0-9A-F-]{36}\ndevice: \/dev\/sda\nunit: sectors\nfirst-lba: 34\nlast-lba: 937703054\nsector-size: 512\n\n/);
    expect(r.out).toMatch(/^\/dev\/sda3 : start= {5}2099200, size= {3}935603855, type=A19D880F-05FC-4D3B-A006-743F0F84911E, uuid=1A2B3C4D-0003-4000-8000-000000000003$/m);
  });

  it('errors for missing and blank disks', async () => {
    const m = mdMachine();
    const l = lab(m);
    const nd = await l.run(m, 'sfdisk -d /dev/sdc');
    expect(nd.code).toBe(1);
    expect(nd.err).toBe('sfdisk: cannot open /dev/sdc: No such file or directory\n');
    replaceDisk(m, 'sdb', 'NEWSERIAL01');
    const blank = await l.run(m, 'sfdisk -d /dev/sdb');
    expect(blank.code).toBe(1);
    expect(blank.err).toBe('sfdisk: /dev/sdb: does not contain a recognized partition table\n');
    const sg = await l.run(m, 'sgdisk /dev/sdc -R /dev/sdb');
    expect(sg.code).toBe(2);
    expect(sg.out).toBe('Problem opening /dev/sdc for reading! Error is 2.\nThe specified file does not exist!\n');
  });

  it('sgdisk -p prints the table; -R onto a disk in use warns about the kernel', async () => {
    const m = mdMachine();
    const l = lab(m);
    const p = await l.run(m, 'sgdisk -p /dev/sda');
    expect(p.out).toMatch(/^Disk \/dev\/sda: 937703088 sectors, 447\.1 GiB$/m);
    expect(p.out).toMatch(/^Number {2}Start \(sector\) {4}End \(sector\) {2}Size {7}Code {2}Name$/m);
    expect(p.out).toMatch(/^ {3}2 {12}2048 {9}2099199 {3}1024\.0 MiB {2}FD00 {2}$/m);
    const r = await l.run(m, 'sgdisk -R=/dev/sdb /dev/sda');
    expect(r.out).toMatch(/^Warning: The kernel is still using the old partition table\.$/m);
    expect(r.out).toMatch(/The operation has completed successfully\.\n$/);
  });
});
