import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';
import { mdstatText, startRecovery } from '../../../src/lab/commands/storage/index.js';

describe('/proc/mdstat', () => {
  it('renders a healthy pair of RAID1 arrays like the kernel', () => {
    const m = mdMachine();
    const l = lab(m);
    const text = l.read(m, '/proc/mdstat');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Personalities : \[raid1\]( \[\w+\])* $/);
    expect(text).toContain('md1 : active raid1 sdb3[1] sda3[0]\n      467669824 blocks super 1.2 [2/2] [UU]\n');
    // md1 is > 100 GB: internal bitmap line; md0 is small: the 6-space line instead.
    expect(text).toMatch(/\n      bitmap: \d+\/\d+ pages \[\d+KB\], 65536KB chunk\n\n/);
    expect(text).toContain('md0 : active raid1 sdb2[1] sda2[0]\n      1046528 blocks super 1.2 [2/2] [UU]\n      \n');
    expect(text.indexOf('md1 :')).toBeLessThan(text.indexOf('md0 :'));
    expect(text.endsWith('unused devices: <none>\n')).toBe(true);
  });

  it('shows a failed member with (F) and [2/1] [U_]', () => {
    const m = mdMachine();
    m.md[0]!.members[1]!.state = 'faulty';
    const text = mdstatText(m, Date.now());
    expect(text).toMatch(/^md0 : active raid1 sdb2\[1\]\(F\) sda2\[0\]$/m);
    expect(text).toMatch(/^ {6}1046528 blocks super 1\.2 \[2\/1\] \[U_\]$/m);
  });

  it('computes the recovery line from the lab clock, in the real format', () => {
    const m = mdMachine();
    const a = m.md[1]!;
    a.members = [{ dev: 'sda3', slot: 0, state: 'active' }, { dev: 'sdb3', slot: 1, state: 'rebuilding' }];
    const t0 = 1_000_000;
    startRecovery(m, a, t0, 200_000);
    const quarter = t0 + a.recovery!.durationMs * 0.2145;
    const text = mdstatText(m, quarter);
    const re = /^ {6}\[(=*)>(\.*)\] {2}recovery = *(\d+\.\d)% \((\d+)\/(\d+)\) finish=(\d+\.\d)min speed=(\d+)K\/sec$/m;
    const got = re.exec(text);
    expect(got, text).not.toBeNull();
    expect(got![1]!.length + got![2]!.length).toBe(20);
    expect(got![1]).toBe('====');
    expect(got![3]).toBe('21.4');
    expect(Number(got![4]) / a.blocks).toBeCloseTo(0.2145, 3);
    expect(Number(got![5])).toBe(a.blocks);
    expect(Number(got![7])).toBe(200_000);
    // remaining = 78.6% of blocks at 200000 K/s
    const expectMin = ((a.blocks * (1 - 0.2145)) / 200_000) / 60;
    expect(Number(got![6])).toBeCloseTo(expectMin, 0);
    expect(text).toMatch(/^md1 : active raid1 sdb3\[1\] sda3\[0\]\n {6}\d+ blocks super 1\.2 \[2\/1\] \[U_\]$/m);
  });

  it('delays the second array on the same disks (resync=DELAYED)', () => {
    const m = mdMachine();
    for (const a of m.md) a.members[1]!.state = 'rebuilding';
    startRecovery(m, m.md[0]!, 0);
    startRecovery(m, m.md[1]!, 0);
    expect(m.md[1]!.recovery!.startedAt).toBe(m.md[0]!.recovery!.durationMs);
    const text = mdstatText(m, 1000);
    expect(text).toMatch(/md1 : [^\n]*\n[^\n]*\n {6}\tresync=DELAYED\n/);
    expect(text).toMatch(/md0 : [^\n]*\n[^\n]*\n {6}\[[=>.]{21}\] {2}recovery =/);
  });
});
