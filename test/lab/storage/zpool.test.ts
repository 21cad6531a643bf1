import { describe, expect, it } from 'vitest';
import { lab, zfsMachine } from './fixture.js';
import { failDisk, replaceDisk } from '../../../src/lab/commands/storage/index.js';

const A3 = 'ata-SAMSUNG_MZ7LH480HAHQ-00005_S45PNA0M600111-part3';
const B3 = 'ata-SAMSUNG_MZ7LH480HAHQ-00005_S45PNA0M600222-part3';

describe('zpool status / list', () => {
  it('prints a healthy mirror with the real column layout', async () => {
    const m = zfsMachine();
    const r = await lab(m).run(m, 'zpool status rpool');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}pool: rpool\n state: ONLINE\n {2}scan: scrub repaired 0B in \d\d:\d\d:\d\d with 0 errors on \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\nconfig:\n\n/);
    expect(r.out).toMatch(/^\tNAME {4,}STATE {5}READ WRITE CKSUM$/m);
    expect(r.out).toMatch(/^\trpool {4,}ONLINE {7}0 {5}0 {5}0$/m);
    expect(r.out).toMatch(/^\t {2}mirror-0 {4,}ONLINE {7}0 {5}0 {5}0$/m);
    expect(r.out).toContain(`\t    ${A3}  ONLINE       0     0     0\n`);
    expect(r.out.endsWith('\nerrors: No known data errors\n')).toBe(true);
    // all STATE columns line up
    const cols = r.out.split('\n').filter((l) => l.startsWith('\t') && /ONLINE/.test(l)).map((l) => l.indexOf('ONLINE'));
    expect(new Set(cols).size).toBe(1);
    expect((await lab(m).run(m, 'zpool status -x')).out).toBe('all pools are healthy\n');
    const none = await lab(m).run(m, 'zpool status tank');
    expect(none.code).toBe(1);
    expect(none.err).toBe("cannot open 'tank': no such pool\n");
  });

  it('zpool list with header, -H and -o', async () => {
    const m = zfsMachine();
    const l = lab(m);
    const r = await l.run(m, 'zpool list');
    const [head, row] = r.out.split('\n');
    expect(head).toMatch(/^NAME +SIZE +ALLOC +FREE +CKPOINT +EXPANDSZ +FRAG +CAP +DEDUP +HEALTH +ALTROOT$/);
    expect(row).toMatch(/^rpool +476G +412G +64G +- +- +\d+% +86% +1\.00x +ONLINE +-$/);
    expect((await l.run(m, 'zpool list -H -o name,health')).out).toBe('rpool\tONLINE\n');
  });

  it('a failed disk shows FAULTED, DEGRADED pool and the real status text', async () => {
    const m = zfsMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    const r = await l.run(m, 'zpool status');
    expect(r.out).toMatch(/^ state: DEGRADED$/m);
    expect(r.out).toMatch(/^status: One or more devices are faulted in response to persistent errors\.$/m);
    expect(r.out).toMatch(new RegExp(`^\\t {4}${B3} {2}FAULTED +\\d+ +\\d+ +0 {2}too many errors$`, 'm'));
    expect(r.out).toMatch(/^\t {2}mirror-0 +DEGRADED/m);
    expect((await l.run(m, 'zpool status -x')).out).toMatch(/pool: rpool/);
    expect((await l.run(m, 'zpool list -H -o health rpool')).out).toBe('DEGRADED\n');
  });
});

describe('zpool replace and resilver', () => {
  it('replaces the failed disk, shows resilver progress on the lab clock, then finishes', async () => {
    const m = zfsMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    replaceDisk(m, 'sdb', 'S6NEWZ0R77777');
    expect((await l.run(m, 'zpool status rpool')).out).toMatch(new RegExp(`${B3} +UNAVAIL +\\d+ +\\d+ +0 {2}cannot open`));
    expect((await l.run(m, 'sgdisk /dev/sda -R /dev/sdb')).code).toBe(0);
    expect((await l.run(m, 'sgdisk -G /dev/sdb')).code).toBe(0);
    const NEW3 = '/dev/disk/by-id/ata-SAMSUNG_MZ7LH480HAHQ-00005_S6NEWZ0R77777-part3';

    // wrong: the healthy disk's partition is refused
    const wrong = await l.run(m, `zpool replace -f rpool ${B3} /dev/sda3`);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe("invalid vdev specification\nthe following errors must be manually repaired:\n/dev/sda3 is part of active pool 'rpool'\n");
    const nodev = await l.run(m, `zpool replace -f rpool ${B3} /dev/sdc3`);
    expect(nodev.err).toMatch(/^cannot open '\/dev\/sdc3': no such device in \/dev$/m);

    const r = await l.run(m, `zpool replace -f rpool ${B3} ${NEW3}`);
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toBe('');

    l.advance(60_000);
    const s1 = (await l.run(m, 'zpool status rpool')).out;
    expect(s1).toMatch(/^status: One or more devices is currently being resilvered\. {2}The pool will$/m);
    expect(s1).toMatch(/^action: Wait for the resilver to complete\.$/m);
    expect(s1).toMatch(/^ {2}scan: resilver in progress since \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/m);
    expect(s1).toMatch(/^\t[\d.]+[KMGT]? \/ 412G scanned at [\d.]+[KMGT]\/s, [\d.]+[KMGT]? \/ 412G issued at [\d.]+[KMGT]\/s$/m);
    const done = /^\t([\d.]+[KMGT]) resilvered, (\d+\.\d\d)% done, (\d\d):(\d\d):(\d\d) to go$/m.exec(s1);
    expect(done, s1).not.toBeNull();
    const pct1 = Number(done![2]);
    expect(pct1).toBeGreaterThan(0);
    expect(s1).toMatch(/^\t {4}replacing-1 +DEGRADED/m);
    expect(s1).toMatch(new RegExp(`^\\t {6}${B3} +UNAVAIL`, 'm'));
    expect(s1).toMatch(/^\t {6}ata-SAMSUNG_MZ7LH480HAHQ-00005_S6NEWZ0R77777-part3 +ONLINE +0 +0 +0 {2}\(resilvering\)$/m);

    l.advance(120_000);
    const s2 = (await l.run(m, 'zpool status rpool')).out;
    const pct2 = Number(/(\d+\.\d\d)% done/.exec(s2)![1]);
    expect(pct2).toBeGreaterThan(pct1);
    // issued rate is what the lab promises: % done grows linearly with lab time
    expect(pct2 / pct1).toBeCloseTo(3, 1);

    l.advance(3_600_000);
    const s3 = (await l.run(m, 'zpool status rpool')).out;
    expect(s3).toMatch(/^ state: ONLINE$/m);
    expect(s3).toMatch(/^ {2}scan: resilvered 412G in \d\d:\d\d:\d\d with 0 errors on /m);
    expect(s3).not.toMatch(/replacing|S45PNA0M600222|resilvering/);
    expect(m.zpools[0]!.vdevs[0]!.disks.map((d) => d.name)).toEqual([A3, 'ata-SAMSUNG_MZ7LH480HAHQ-00005_S6NEWZ0R77777-part3']);
  });

  it('offline / online a healthy member, and refuses to offline the last one', async () => {
    const m = zfsMachine();
    const l = lab(m);
    expect((await l.run(m, `zpool offline rpool ${B3}`)).code).toBe(0);
    expect((await l.run(m, 'zpool status')).out).toMatch(new RegExp(`${B3} +OFFLINE`));
    const last = await l.run(m, `zpool offline rpool ${A3}`);
    expect(last.code).toBe(1);
    expect(last.err).toBe(`cannot offline ${A3}: no valid replicas\n`);
    expect((await l.run(m, `zpool online rpool ${B3}`)).code).toBe(0);
    l.advance(10_000);
    expect((await l.run(m, 'zpool list -H -o health')).out).toBe('ONLINE\n');
  });

  it('online of a failed disk warns that it stays faulted', async () => {
    const m = zfsMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    const r = await l.run(m, `zpool online rpool ${B3}`);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`warning: device '${B3}' onlined, but remains in faulted state\nuse 'zpool replace' to replace devices that are no longer present\n`);
  });
});
