import { describe, expect, it } from 'vitest';
import { LabClock } from '../../../src/lab/clock.js';
import { LAB_NOW, makeMachine, makeWorld, sh } from './factory.js';

/** procps uptime(1), as printed by real machines. */
const UPTIME_RE = /^ \d\d:\d\d:\d\d up (\d+ days?, )?(\s?\d{1,2}:\d\d|\d+ min), +\d+ users?, +load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/;
/** /proc/loadavg: three loads, running/total, last pid. */
const LOADAVG_RE = /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/;

const HOSTS = `127.0.0.1\tlocalhost
127.0.1.1\temma.example.org emma
192.0.2.11\temma-eth0
# The following lines are desirable for IPv6 capable hosts
::1     localhost ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
`;

function withHosts() {
  const m = makeMachine({ files: { '/etc/hosts': HOSTS } });
  return { machine: m, world: makeWorld(m) };
}

describe('uptime and /proc', () => {
  it('prints the real procps line, from the lab clock and bootedAt', async () => {
    const r = await sh('uptime');
    expect(r.out).toMatch(UPTIME_RE);
    expect(r.out).toBe(' 03:12:01 up 12 days,  3:04,  1 user,  load average: 0.08, 0.03, 0.01\n');
  });

  it('one day, and under an hour, print like procps', async () => {
    const oneDay = makeMachine({ bootedAt: LAB_NOW - (26 * 3600 + 3 * 60) * 1000, load: [0, 0.01, 0.05] });
    const r1 = await sh('uptime', { machine: oneDay });
    expect(r1.out).toBe(' 03:12:01 up 1 day,  2:03,  1 user,  load average: 0.00, 0.01, 0.05\n');
    const fresh = makeMachine({ bootedAt: LAB_NOW - 23 * 60 * 1000, load: [0.52, 0.58, 0.59] });
    const r2 = await sh('uptime', { machine: fresh });
    expect(r2.out).toBe(' 03:12:01 up 23 min,  1 user,  load average: 0.52, 0.58, 0.59\n');
    expect(r2.out).toMatch(UPTIME_RE);
    expect((await sh('uptime -p', { machine: fresh })).out).toBe('up 23 minutes\n');
  });

  it('uptime follows the clock', async () => {
    let real = 0;
    const m = makeMachine();
    const world = makeWorld(m, new LabClock(60, LAB_NOW, () => real));
    real = 60_000; // one real minute at speed 60 = one lab hour
    expect((await sh('uptime', { machine: m, world })).out).toContain(' 04:12:01 up 12 days,  4:04,');
  });

  it('/proc/loadavg and /proc/uptime have the kernel formats', async () => {
    const r = await sh('cat /proc/loadavg');
    expect(r.out).toMatch(LOADAVG_RE);
    expect(r.out.startsWith('0.08 0.03 0.01 ')).toBe(true);
    const up = await sh('cat /proc/uptime');
    expect(up.out).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
    expect(Number(up.out.split(' ')[0])).toBe((12 * 24 + 3) * 3600 + 4 * 60 + 10);
  });

  it('hostname and /etc/hostname follow m.hostname', async () => {
    const m = makeMachine({ hostname: 'debian' });
    expect((await sh('hostname; cat /etc/hostname', { machine: m })).out).toBe('debian\ndebian\n');
    expect((await sh('hostname -I')).out).toBe('192.0.2.11 \n');
  });
});

describe('grep', () => {
  it('prints matching lines; exit 1 when none; 2 for a missing file', async () => {
    const o = withHosts();
    expect(await sh('grep emma /etc/hosts', o)).toEqual({ status: 0, out: '127.0.1.1\temma.example.org emma\n192.0.2.11\temma-eth0\n', err: '' });
    expect(await sh('grep nobody /etc/hosts', o)).toEqual({ status: 1, out: '', err: '' });
    expect(await sh('grep emma /etc/nope', o)).toEqual({ status: 2, out: '', err: 'grep: /etc/nope: No such file or directory\n' });
    expect((await sh('grep -s emma /etc/nope', o)).err).toBe('');
  });

  it('-c -v -n -i -q', async () => {
    const o = withHosts();
    expect((await sh('grep -c localhost /etc/hosts', o)).out).toBe('2\n');
    expect((await sh('grep -vc localhost /etc/hosts', o)).out).toBe('5\n');
    expect((await sh('grep -n EMMA-ETH0 -i /etc/hosts', o)).out).toBe('3:192.0.2.11\temma-eth0\n');
    expect(await sh('grep -q ip6-allnodes /etc/hosts', o)).toEqual({ status: 0, out: '', err: '' });
    expect((await sh("grep -v '^#' /etc/hosts | grep -c ff02", o)).out).toBe('2\n');
  });

  it('-E -F -o and basic regular expressions', async () => {
    const o = withHosts();
    expect((await sh("grep -oE '[0-9]+(\\.[0-9]+){3}' /etc/hosts", o)).out).toBe('127.0.0.1\n127.0.1.1\n192.0.2.11\n');
    // In a BRE, + and {} are literal unless escaped.
    expect((await sh("grep -c '[0-9]+' /etc/hosts", o)).out).toBe('0\n');
    expect((await sh("grep -o '[0-9]\\{3\\}\\.[0-9]' /etc/hosts", o)).out).toBe('127.0\n127.0\n192.0\n');
    expect((await sh("grep -F '127.0.0.1' /etc/hosts", o)).out).toBe('127.0.0.1\tlocalhost\n');
    expect((await sh("grep -c '127.0.0.1' /etc/hosts", o)).out).toBe('1\n');
    expect((await sh("grep -cF '.' /etc/hosts", o)).out).toBe('3\n');
    expect((await sh("grep -o '[[:digit:]]*\\.1\\b' /etc/hosts", o)).out).toBe('0.1\n0.1\n.1\n'); // as GNU grep 3.8 prints it
  });

  it('-w -x, several patterns, several files', async () => {
    const o = withHosts();
    o.machine.files['/etc/hostname'] = 'emma\n';
    expect((await sh('grep -w emma /etc/hosts', o)).out).toBe('127.0.1.1\temma.example.org emma\n192.0.2.11\temma-eth0\n');
    expect((await sh('grep -x emma /etc/hosts /etc/hostname', o)).out).toBe('/etc/hostname:emma\n');
    expect((await sh('grep -c -e ff02 -e ::1 /etc/hosts', o)).out).toBe('3\n');
    expect((await sh('grep -l emma /etc/hosts /etc/hostname', o)).out).toBe('/etc/hosts\n/etc/hostname\n');
  });

  it('-A -B -C context with GNU separators (outputs taken from GNU grep 3.8)', async () => {
    const o = withHosts();
    o.machine.files['/etc/hosts2'] = HOSTS;
    expect((await sh('grep -B1 -n ff02 /etc/hosts', o)).out).toBe('5-::1     localhost ip6-localhost ip6-loopback\n6:ff02::1 ip6-allnodes\n7:ff02::2 ip6-allrouters\n');
    const both = await sh('cd /etc; grep -C1 -e 127.0.0 -e allrouters hosts hosts2', o);
    const group = (f: string): string => `${f}:127.0.0.1\tlocalhost\n${f}-127.0.1.1\temma.example.org emma\n--\n${f}-ff02::1 ip6-allnodes\n${f}:ff02::2 ip6-allrouters\n`;
    expect(both.out).toBe(`${group('hosts')}--\n${group('hosts2')}`);
  });

  it('a bad option or pattern is an error (2)', async () => {
    const r = await sh('grep -Z x /etc/hosts');
    expect(r.status).toBe(2);
    expect(r.err).toBe("grep: invalid option -- 'Z'\nTry 'grep --help' for more information.\n");
    expect((await sh("grep -E '(' /etc/hosts")).status).toBe(2);
  });
});

describe('text tools', () => {
  it('head and tail', async () => {
    const o = withHosts();
    expect((await sh('head -n 2 /etc/hosts', o)).out).toBe('127.0.0.1\tlocalhost\n127.0.1.1\temma.example.org emma\n');
    expect((await sh('head -1 /etc/hosts', o)).out).toBe('127.0.0.1\tlocalhost\n');
    expect((await sh('tail -n 1 /etc/hosts', o)).out).toBe('ff02::2 ip6-allrouters\n');
    expect((await sh('tail -2 /etc/hosts | head -n1', o)).out).toBe('ff02::1 ip6-allnodes\n');
    expect((await sh('tail -n +7 /etc/hosts', o)).out).toBe('ff02::2 ip6-allrouters\n');
    expect(await sh('head /nope', o)).toEqual({ status: 1, out: '', err: "head: cannot open '/nope' for reading: No such file or directory\n" });
  });

  it('wc like GNU', async () => {
    const o = withHosts();
    expect((await sh('wc -l /etc/hosts', o)).out).toBe('7 /etc/hosts\n');
    expect((await sh('wc -l < /etc/hosts', o)).out).toBe('7\n');
    expect((await sh('echo hello world | wc -w', o)).out).toBe('2\n');
    expect((await sh('printf abc | wc -c', o)).out).toBe('3\n');
    expect((await sh('echo a b | wc', o)).out).toBe('      1       2       4\n');
  });

  it('cat: -, several files, missing file', async () => {
    expect((await sh('echo in | cat /etc/hostname - /etc/hostname')).out).toBe('emma\nin\nemma\n');
    expect(await sh('cat /nope')).toEqual({ status: 1, out: '', err: 'cat: /nope: No such file or directory\n' });
    expect(await sh('cat /etc')).toEqual({ status: 1, out: '', err: 'cat: /etc: Is a directory\n' });
  });

  it('echo -n -e and printf', async () => {
    expect((await sh('echo -n a; echo b')).out).toBe('ab\n');
    expect((await sh("echo -e 'a\\tb\\nc'")).out).toBe('a\tb\nc\n');
    expect((await sh("echo 'a\\tb'")).out).toBe('a\\tb\n');
    expect((await sh("printf '%s=%d\\n' disks 2 md 3")).out).toBe('disks=2\nmd=3\n');
    expect((await sh("printf '%-6s|%5.1f|%03d\\n' sda 97.25 7")).out).toBe('sda   | 97.2|007\n');
    expect((await sh("printf '%.1f %.1f %.0f %.2f\\n' 0.35 2.5 2.5 -1.005")).out).toBe('0.3 2.5 2 -1.00\n');
    expect(await sh("printf '%d\\n' abc")).toEqual({ status: 1, out: '0\n', err: 'bash: printf: abc: invalid number\n' });
  });
});

describe('test and [', () => {
  it('files, strings, integers, negation', async () => {
    const lines = [
      '[ -f /etc/hosts ]', '[ -d /etc ]', '[ -e /proc/loadavg ]', '! [ -f /etc ]', '! [ -d /etc/hosts ]',
      '[ -z "" ]', '[ -n x ]', '[ a = a ]', '[ a != b ]', '[ 3 -eq 3 ]', '[ 2 -ne 3 ]', '[ 2 -lt 3 ]',
      '[ 3 -gt 2 ]', '[ 3 -le 3 ]', '[ 3 -ge 3 ]', '[ ! -e /nope ]', 'test -f /etc/hosts -a 1 -eq 1', 'test x',
      '[ 1 -eq 2 -o a = a ]',
    ];
    for (const l of lines) expect({ l, status: (await sh(l)).status }).toEqual({ l, status: 0 });
    for (const l of ['[ -f /nope ]', '[ -z x ]', '[ a = b ]', '[ 2 -gt 3 ]', 'test', '[ ]', '[ -d /etc/hosts ]']) {
      expect({ l, status: (await sh(l)).status }).toEqual({ l, status: 1 });
    }
  });

  it('errors answer 2', async () => {
    expect(await sh('[ a -eq 1 ]')).toEqual({ status: 2, out: '', err: 'bash: [: a: integer expression expected\n' });
    expect(await sh('[ 1 = 1')).toEqual({ status: 2, out: '', err: "bash: [: missing `]'\n" });
  });
});

describe('files from the shell', () => {
  it('mkdir: exists, -p, missing parent', async () => {
    const m = makeMachine();
    const world = makeWorld(m);
    expect(await sh('mkdir /x', { machine: m, world })).toEqual({ status: 0, out: '', err: '' });
    expect(await sh('mkdir /x', { machine: m, world })).toEqual({ status: 1, out: '', err: "mkdir: cannot create directory '/x': File exists\n" });
    expect((await sh('mkdir -p /x', { machine: m, world })).status).toBe(0);
    expect((await sh('mkdir /a/b', { machine: m, world })).err).toBe("mkdir: cannot create directory '/a/b': No such file or directory\n");
    expect((await sh('mkdir -p /a/b && ls /a', { machine: m, world })).out).toBe('b\n');
  });

  it('rm, rm -f, rm -r, rmdir, touch, ls', async () => {
    const m = makeMachine({ files: { '/srv/www/index.html': 'hi\n', '/srv/www/img/logo.png': 'PNG' } });
    const world = makeWorld(m);
    const o = { machine: m, world };
    expect(await sh('rm /srv/www', o)).toEqual({ status: 1, out: '', err: "rm: cannot remove '/srv/www': Is a directory\n" });
    expect(await sh('rm /srv/nope', o)).toEqual({ status: 1, out: '', err: "rm: cannot remove '/srv/nope': No such file or directory\n" });
    expect(await sh('rm -f /srv/nope', o)).toEqual({ status: 0, out: '', err: '' });
    expect((await sh('ls /srv/www', o)).out).toBe('img\nindex.html\n');
    expect((await sh('rmdir /srv/www', o)).err).toBe("rmdir: failed to remove '/srv/www': Directory not empty\n");
    expect((await sh('rm -r /srv/www/img && touch /srv/www/.keep && ls /srv/www; ls -a /srv/www', o)).out).toBe('index.html\n.\n..\n.keep\nindex.html\n');
    expect((await sh('rm -rf /', o)).err).toBe("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
    expect(m.files['/srv/www/index.html']).toBe('hi\n');
    expect(await sh('ls /nope', o)).toEqual({ status: 2, out: '', err: "ls: cannot access '/nope': No such file or directory\n" });
  });
});

describe('system facts', () => {
  it('date: default format, +%s, -u, -d @', async () => {
    expect((await sh('date')).out).toBe('Sat Nov 21 03:12:01 UTC 2026\n');
    expect((await sh('date +%s')).out).toBe(`${LAB_NOW / 1000}\n`);
    expect((await sh("date -u '+%Y-%m-%d %H:%M:%S'")).out).toBe('2026-11-21 03:12:01\n');
    expect((await sh('date -d @0 +%F')).out).toBe('1970-01-01\n');
    expect((await sh('date -d tomato')).err).toBe("date: invalid date 'tomato'\n");
  });

  it('uname, whoami, id, sync, true, false', async () => {
    expect((await sh('uname')).out).toBe('Linux\n');
    expect((await sh('uname -n')).out).toBe('emma\n');
    expect((await sh('uname -r')).out).toMatch(/^\d+\.\d+\.\d+-\d+-amd64\n$/);
    expect((await sh('uname -a')).out).toMatch(/^Linux emma \d+\.\d+\.\d+-\S+ #1 SMP PREEMPT_DYNAMIC .+ x86_64 GNU\/Linux\n$/);
    const pve = makeMachine({ name: 'pve1', hostname: 'pve1', cluster: 'site2' });
    expect((await sh('uname -r', { machine: pve })).out).toMatch(/-pve\n$/);
    expect((await sh('whoami; id; id -u')).out).toBe('root\nuid=0(root) gid=0(root) groups=0(root)\n0\n');
    expect((await sh('sync && true && ! false')).status).toBe(0);
  });

  it('seq', async () => {
    expect((await sh('seq 3')).out).toBe('1\n2\n3\n');
    expect((await sh('seq -w 8 11')).out).toBe('08\n09\n10\n11\n');
    expect((await sh('seq -s, 1 2 9')).out).toBe('1,3,5,7,9\n');
  });

  it('sleep rejects a bad interval', async () => {
    expect(await sh('sleep x')).toEqual({ status: 1, out: '', err: "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n" });
  });
});
