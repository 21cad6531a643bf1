import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';

describe('lsblk', () => {
  it('default tree with MAJ:MIN, sizes and the md arrays under both members', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'lsblk');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^NAME +MAJ:MIN RM +SIZE RO TYPE +MOUNTPOINTS$/);
    expect(r.out).toMatch(/^sda {7}8:0 {4}0 447\.1G {2}0 disk$/m);
    expect(r.out).toMatch(/^├─sdb2 {4}8:18 {3}0 {5}1G {2}0 part$/m);
    expect(r.out).toMatch(/^│ └─md0 {3}9:0 {4}0 {2}1022M {2}0 raid1 \/boot$/m);
    expect(r.out).toMatch(/^ {2}└─md1 {3}9:1 {4}0 {3}446G {2}0 raid1 \/$/m);
    expect(r.out.match(/md1/g)).toHaveLength(2);
  });

  it('-d -n -o NAME,SIZE,TYPE,MOUNTPOINT,SERIAL,MODEL lists disks only, no header, and hides a pulled disk', async () => {
    const m = mdMachine();
    const l = lab(m);
    const r = await l.run(m, 'lsblk -d -n -o NAME,SIZE,TYPE,MOUNTPOINT,SERIAL,MODEL');
    expect(r.out).toBe('sda 447.1G disk  S45PNA0M500123 SAMSUNG MZ7LH480HAHQ-00005\nsdb 447.1G disk  S45PNA0M500456 SAMSUNG MZ7LH480HAHQ-00005\n');
    m.disks[1]!.gone = true;
    const gone = await l.run(m, 'lsblk -dn -o NAME,SERIAL');
    expect(gone.out).toBe('sda S45PNA0M500123\n');
    const missing = await l.run(m, 'lsblk /dev/sdb');
    expect(missing.code).toBe(32);
    expect(missing.err).toBe('lsblk: /dev/sdb: not a block device\n');
  });

  it('-J gives JSON with children and the requested columns', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'lsblk -J -o NAME,SIZE,TYPE,SERIAL');
    const doc = JSON.parse(r.out) as { blockdevices: { name: string; serial: string | null; type: string; children?: { name: string; children?: { name: string; type: string }[] }[] }[] };
    expect(doc.blockdevices.map((d) => d.name)).toEqual(['sda', 'sdb']);
    expect(doc.blockdevices[1]!.serial).toBe('S45PNA0M500456');
    const sdb3 = doc.blockdevices[1]!.children!.find((c) => c.name === 'sdb3')!;
    expect(sdb3.children).toEqual([{ name: 'md1', size: '446G', type: 'raid1', serial: null }]);
    expect(r.out).toMatch(/^\{\n {3}"blockdevices": \[\n {6}\{\n {9}"name": "sda",$/m);
  });
});
