import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsciicastRecorder, endsWithPasswordPrompt, recordingFile } from '../../../src/app/recorder.js';
import { asciinemaCat, noAsciinema, readCast } from './castFile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baie-rec-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const opts = { cols: 120, rows: 40, title: 'shell on ella', env: { TERM: 'xterm-256color', SHELL: '/bin/bash' }, machine: 'ella', operator: 'maelle', kind: 'shell' as const };

describe('recordingFile', () => {
  it('names files DIR/YYYY-MM-DD/HHMMSS-MACHINE-KIND.cast and never reuses one', () => {
    const when = new Date(2025, 0, 31, 3, 15, 2);
    const f1 = recordingFile('ella', 'shell', when, dir);
    expect(f1).toBe(join(dir, '2025-01-31', '031502-ella-shell.cast'));
    new AsciicastRecorder(f1, opts).close();
    const f2 = recordingFile('ella', 'shell', when, dir);
    expect(basename(f2)).toBe('031502-ella-shell-2.cast');
    expect(basename(recordingFile('../etc/x y', 'console', when, dir))).toBe('031502-.._etc_x_y-console.cast');
  });
});

describe('AsciicastRecorder', () => {
  it('writes a header and o/i/r events with monotonic times, mode 600, as it goes', async () => {
    const file = recordingFile('ella', 'shell', new Date(), dir);
    const before = Math.floor(Date.now() / 1000);
    const rec = new AsciicastRecorder(file, opts);
    rec.output('root@ella:~# ');
    await sleep(20);
    rec.input('h');
    rec.output('h');
    rec.input('ostname\r');
    rec.output('ostname\r\nella\r\nroot@ella:~# ');
    rec.resize(100, 30);
    rec.output('ünïcode ✓\r\n');

    // not closed yet: a crash now keeps all of it
    const { header, events } = readCast(file);
    expect(header).toMatchObject({ version: 2, width: 120, height: 40, title: 'shell on ella', env: { TERM: 'xterm-256color', SHELL: '/bin/bash' } });
    expect(header.baie).toEqual({ machine: 'ella', operator: 'maelle', kind: 'shell' });
    expect(header.timestamp).toBeGreaterThanOrEqual(before);
    expect(header.timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(events.map((e) => e[1])).toEqual(['o', 'i', 'o', 'i', 'o', 'r', 'o']);
    expect(events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe('hostname\r');
    expect(events.find((e) => e[1] === 'r')![2]).toBe('100x30');
    expect(events.at(-1)![2]).toBe('ünïcode ✓\r\n');
    const times = events.map((e) => e[0]);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(0.015);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o077).toBe(0);

    rec.close();
    rec.output('after close');
    expect(readCast(file).events).toHaveLength(7);
  });

  it('records typed input as * while the remote asks for a password, in clear otherwise', () => {
    const file = recordingFile('elea', 'shell', new Date(), dir);
    const rec = new AsciicastRecorder(file, { ...opts, machine: 'elea' });
    rec.output('root@elea:~# ');
    rec.input('sudo -k mysql\r');
    rec.output('sudo -k mysql\r\n[sudo] password for root: ');
    rec.input('s3');
    rec.input('cret\r');
    rec.output('\r\n');
    rec.output('Enter password: ');
    rec.input('hunter2\r');
    rec.output('\r\nMariaDB [(none)]> ');
    rec.input('select 1;\r');
    rec.output("Enter passphrase for key '/root/.ssh/id_ed25519': \x1b[0m");
    rec.input('pass phrase\r');
    rec.close();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3');
    expect(text).not.toContain('cret');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('pass phrase');
    const inputs = readCast(file).events.filter((e) => e[1] === 'i').map((e) => e[2]);
    expect(inputs).toEqual(['sudo -k mysql\r', '**', '****\r', '*******\r', 'select 1;\r', '***********\r']);
  });

  it('spots password prompts but not lines that merely mention a password', () => {
    expect(endsWithPasswordPrompt('[sudo] password for root: ')).toBe(true);
    expect(endsWithPasswordPrompt('root@127.0.0.1\'s password: ')).toBe(true);
    expect(endsWithPasswordPrompt('New password:')).toBe(true);
    expect(endsWithPasswordPrompt('\x1b[1mPassword:\x1b[0m ')).toBe(true);
    expect(endsWithPasswordPrompt('passwd: password updated successfully\r\nroot@ella:~# ')).toBe(false);
    expect(endsWithPasswordPrompt('password: ok\r\n')).toBe(false);
    expect(endsWithPasswordPrompt('root@ella:~# ')).toBe(false);
  });

  it.skipIf(!!noAsciinema)(`asciinema cat prints the recorded output${noAsciinema ? ` (skipped: ${noAsciinema})` : ''}`, async () => {
    const file = recordingFile('ella', 'console', new Date(), dir);
    const rec = new AsciicastRecorder(file, { ...opts, kind: 'console', title: 'console on ella' });
    rec.output('ella login: ');
    rec.input('root\r');
    rec.output('root\r\nPassword: ');
    rec.input('toor\r');
    rec.resize(90, 20);
    rec.output('\r\nLast login: Fri Jan 31 03:15:02 CET 2025 on ttyS0\r\nroot@ella:~# ');
    rec.close();
    const { code, out } = await asciinemaCat(file);
    expect(code).toBe(0);
    expect(out).toContain('ella login: root');
    expect(out).toContain('Last login: Fri Jan 31');
    expect(out).not.toContain('toor');
  });
});
