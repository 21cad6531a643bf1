/** The lab fixes the shipped runbooks needed, each as the real tool behaves. */
import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from '../lab/storage/fixture.js';
import { handLab } from '../lab/world/helpers.js';
import { isBlockDevice, isCharDevice } from '../../src/lab/devnodes.js';
import { doHands } from '../../src/lab/hands.js';

describe('lsblk option clusters (getopt)', () => {
  it('-dno SERIAL takes the next argument as the column list', async () => {
    const m = mdMachine();
    const l = lab(m);
    const r = await l.run(m, 'lsblk -dno SERIAL /dev/sdb');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('S45PNA0M500456\n');
    const glued = await l.run(m, 'lsblk -dnoNAME,SERIAL');
    expect(glued.out).toMatch(/^sda +S45PNA0M500123$/m);
    expect(glued.out).not.toMatch(/MAJ:MIN/);
  });
});

describe('device nodes for test -b / -c', () => {
  it('disks, partitions and md arrays are block devices; pulled or absent ones are not', () => {
    const m = mdMachine();
    expect(isBlockDevice(m, '/dev/sdb')).toBe(true);
    expect(isBlockDevice(m, '/dev/sdb3')).toBe(true);
    expect(isBlockDevice(m, '/dev/md1')).toBe(true);
    expect(isBlockDevice(m, '/dev/sdb9')).toBe(false);
    expect(isBlockDevice(m, '/dev/')).toBe(false);
    expect(isBlockDevice(m, '/etc/hosts')).toBe(false);
    m.disks[1]!.gone = true;
    expect(isBlockDevice(m, '/dev/sdb')).toBe(false);
  });
  it('/dev/ipmi0 exists only on a machine with a BMC', () => {
    const m = mdMachine();
    expect(isCharDevice(m, '/dev/ipmi0')).toBe(false);
    m.bmc = { address: '192.0.2.200', user: 'ADMIN', password: 'x', sel: [], sensors: [] };
    expect(isCharDevice(m, '/dev/ipmi0')).toBe(true);
    expect(isCharDevice(m, '/dev/null')).toBe(true);
    expect(isCharDevice(m, '/dev/sda')).toBe(false);
  });
});

describe('hands swap-disk', () => {
  it('ends with a `serial: NEW` line the runbook reads as the answer', () => {
    const h = handLab();
    const fey = h.world.machines.get('fey')!;
    const before = fey.disks.find((d) => d.dev === 'sdd')!.serial;
    const report = doHands(h.world, 'swap-disk', 'fey', ['sdd']);
    const after = fey.disks.find((d) => d.dev === 'sdd')!.serial;
    expect(after).not.toBe(before);
    expect(report.split('\n').pop()).toBe(`serial: ${after}`);
    expect(report).toContain(`serial ${before}`);
  });
});
