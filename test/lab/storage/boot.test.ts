import { describe, expect, it } from 'vitest';
import { lab, mdMachine, zfsMachine } from './fixture.js';
import { failDisk, hasBootloader, replaceDisk } from '../../../src/lab/commands/storage/index.js';

describe('ledctl', () => {
  it('locate= / locate_off= drive the bay LED; unknown disks fail', async () => {
    const m = mdMachine();
    const l = lab(m);
    expect((await l.run(m, 'ledctl locate=/dev/sdb')).code).toBe(0);
    expect(m.disks[1]!.locateLed).toBe(true);
    expect(m.disks[0]!.locateLed).toBeFalsy();
    expect((await l.run(m, 'ledctl locate_off=/dev/sdb')).code).toBe(0);
    expect(m.disks[1]!.locateLed).toBe(false);
    const bad = await l.run(m, 'ledctl locate=/dev/sdz');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/\/dev\/sdz/);
  });
});

describe('grub-install / update-initramfs', () => {
  it('grub-install needs a partitioned disk with a BIOS boot partition', async () => {
    const m = mdMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    replaceDisk(m, 'sdb', 'NEWSERIAL02');
    const blank = await l.run(m, 'grub-install /dev/sdb');
    expect(blank.code).toBe(1);
    expect(blank.err).toMatch(/^grub-install: error: unable to identify a filesystem in hostdisk\/\/dev\/sdb; safety check can't be performed\.$/m);
    await l.run(m, 'sgdisk /dev/sda -R /dev/sdb');
    expect(hasBootloader(m.disks[1]!)).toBe(false);
    const ok = await l.run(m, 'grub-install /dev/sdb');
    expect(ok.code).toBe(0);
    expect(ok.out).toBe('Installing for i386-pc platform.\nInstallation finished. No error reported.\n');
    expect(hasBootloader(m.disks[1]!)).toBe(true);
    const missing = await l.run(m, 'grub-install /dev/sdq');
    expect(missing.code).toBe(1);
  });

  it('update-initramfs -u names the running kernel', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'update-initramfs -u');
    expect(r.code).toBe(0);
    expect(r.out).toBe('update-initramfs: Generating /boot/initrd.img-6.1.0-27-amd64\n');
  });
});

describe('proxmox-boot-tool', () => {
  it('after a swap: status warns about the old ESP, format + init add the new one', async () => {
    const m = zfsMachine();
    const l = lab(m);
    const before = await l.run(m, 'proxmox-boot-tool status');
    expect(before.out).toMatch(/^System currently booted with legacy bios$/m);
    const configured = before.out.match(/^[0-9A-F]{4}-[0-9A-F]{4} is configured with: grub \(versions: 6\.8\.12-4-pve\)$/gm);
    expect(configured).toHaveLength(2);

    failDisk(l.world, m, 'sdb');
    replaceDisk(m, 'sdb', 'S6NEWZ0R88888');
    await l.run(m, 'sgdisk /dev/sda -R /dev/sdb');
    await l.run(m, 'sgdisk -G /dev/sdb');
    const warn = await l.run(m, 'proxmox-boot-tool status');
    expect(warn.out).toMatch(/^WARN: \/dev\/disk\/by-uuid\/[0-9A-F]{4}-[0-9A-F]{4} does not exist - clean '\/etc\/kernel\/proxmox-boot-uuids'! - skipping$/m);

    const initFirst = await l.run(m, 'proxmox-boot-tool init /dev/sdb2');
    expect(initFirst.code).toBe(1);
    expect(initFirst.err).toBe("E: '/dev/sdb2' has wrong filesystem (!= vfat).\n");
    const fmt = await l.run(m, 'proxmox-boot-tool format /dev/sdb2');
    expect(fmt.code).toBe(0);
    expect(fmt.out).toMatch(/^Formatting '\/dev\/sdb2' as vfat\.\.\nmkfs\.fat 4\.2 \(2021-01-31\)\nDone\.$/m);
    const again = await l.run(m, 'proxmox-boot-tool format /dev/sdb2');
    expect(again.err).toBe("E: '/dev/sdb2' contains a filesystem ('vfat') - exiting (use --force to override)\n");
    const wrongType = await l.run(m, 'proxmox-boot-tool format /dev/sdb3');
    expect(wrongType.code).toBe(1);
    const init = await l.run(m, 'proxmox-boot-tool init /dev/sdb2');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^Adding '\/dev\/sdb2' to list of synced ESPs\.\.$/m);
    expect(init.out).toMatch(/^Copying and configuring kernels on \/dev\/disk\/by-uuid\/[0-9A-F-]{9}\n\tCopying kernel and creating boot-entry for 6\.8\.12-4-pve$/m);
    await l.run(m, 'proxmox-boot-tool clean');
    const after = await l.run(m, 'proxmox-boot-tool status');
    expect(after.out).not.toMatch(/WARN/);
    expect(after.out.match(/is configured with: grub/g)).toHaveLength(2);
    expect(m.files['/etc/kernel/proxmox-boot-uuids']!.trim().split('\n')).toHaveLength(2);
  });
});
