import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handOff, openSession } from '../../../src/app/handoff.js';
import { AsciicastRecorder, recordingFile } from '../../../src/app/recorder.js';
import { listRecordings } from '../../../src/app/recordings.js';
import type { Reach } from '../../../src/app/reach.js';
import { TransportError, type PtySession } from '../../../src/transport/types.js';
import { FakePty } from './fakePty.js';
import { FakeStdin, FakeStdout, waitFor } from './streams.js';
import { readCast } from './castFile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baie-handoff-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BANNER = 'baie: shell on ella — ~. or Ctrl-] returns to baie';

function setup(tty = true) {
  const stdin = new FakeStdin(tty);
  const stdout = new FakeStdout();
  const calls: string[] = [];
  let pty: FakePty | undefined;
  let openedAt: { cols: number; rows: number } | undefined;
  const base = {
    stdin,
    stdout,
    banner: BANNER,
    open: async (size: { cols: number; rows: number }) => {
      calls.push('open');
      openedAt = size;
      return (pty = new FakePty('ella', size));
    },
    onSuspend: () => void calls.push('suspend'),
    onResume: () => void calls.push('resume'),
  };
  return { stdin, stdout, calls, base, pty: () => pty!, openedAt: () => openedAt };
}

describe('handOff', () => {
  it('pipes keys to the session and output to the terminal and the recorder; ~. returns and closes the session', async () => {
    const t = setup();
    const file = recordingFile('ella', 'shell', new Date(), dir);
    const rec = new AsciicastRecorder(file, { cols: 120, rows: 40, title: 'shell on ella', env: { TERM: 'xterm' }, machine: 'ella', operator: 'maelle', kind: 'shell' });
    const done = handOff({ ...t.base, recorder: rec });

    await waitFor(() => t.stdout.text.includes('root@ella:~# '), 'the prompt');
    expect(t.openedAt()).toEqual({ cols: 120, rows: 40 });
    expect(t.calls).toEqual(['open', 'suspend']);
    expect(t.stdin.isRaw).toBe(true);
    // alternate screen, cleared, banner on the first line, then the remote's output
    expect(t.stdout.text.startsWith('\x1b[?1049h\x1b[H\x1b[2J' + BANNER + '\r\n')).toBe(true);

    await t.stdin.type('hostname\r');
    await waitFor(() => /hostname\r\nella\r\n/.test(t.stdout.text), 'hostname output');
    expect(t.pty().received).toBe('hostname\r');

    await t.stdin.type('~.');
    const r = await done;
    expect(r).toEqual({ reason: 'escape', lastLine: 'root@ella:~#' });
    expect(t.pty().received).toBe('hostname\r'); // the escape keys never reach the remote
    expect(t.pty().closedBy).toBe('client');
    expect(t.calls).toEqual(['open', 'suspend', 'resume']);
    expect(t.stdin.rawCalls).toEqual([true, false]);
    expect(t.stdout.text.endsWith('\x1b[?1049l')).toBe(true);
    expect(t.stdin.listenerCount('data')).toBe(0);
    expect(t.stdout.listenerCount('resize')).toBe(0);

    rec.close();
    const { events } = readCast(file);
    const out = events.filter((e) => e[1] === 'o').map((e) => e[2]).join('');
    expect(out).toContain('root@ella:~# hostname\r\nella\r\n');
    expect(out).not.toContain(BANNER);
    expect(events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe('hostname\r');
  });

  it('resolves with closed and the exit code when the session ends by itself', async () => {
    const t = setup();
    const done = handOff(t.base);
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    await t.stdin.type('exit 3\r');
    expect(await done).toEqual({ reason: 'closed', code: 3, lastLine: 'logout' });
    expect(t.pty().closedBy).toBe('remote');
    expect(t.stdout.text).toContain('logout\r\n');
    expect(t.calls.at(-1)).toBe('resume');
    expect(t.stdin.isRaw).toBe(false);
  });

  it('Ctrl-] mid-line returns; the half-typed line was sent, the key was not', async () => {
    const t = setup();
    const done = handOff(t.base);
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    await t.stdin.type('echo a~.b\x1d');
    expect(await done).toMatchObject({ reason: 'escape' });
    expect(t.pty().received).toBe('echo a~.b');
  });

  it('forwards terminal resizes to the session and the recording', async () => {
    const t = setup();
    const file = recordingFile('ella', 'shell', new Date(), dir);
    const rec = new AsciicastRecorder(file, { cols: 120, rows: 40, title: 't', env: {}, machine: 'ella', operator: 'o', kind: 'shell' });
    const done = handOff({ ...t.base, recorder: rec });
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    t.stdout.resizeTo(100, 30);
    expect(t.pty().sizes).toEqual([[100, 30]]);
    await t.stdin.type('\x1d');
    await done;
    rec.close();
    expect(readCast(file).events.filter((e) => e[1] === 'r').map((e) => e[2])).toEqual(['100x30']);
  });

  it('masks a typed password in the recording, end to end', async () => {
    const t = setup();
    const file = recordingFile('ella', 'shell', new Date(), dir);
    const rec = new AsciicastRecorder(file, { cols: 120, rows: 40, title: 't', env: {}, machine: 'ella', operator: 'o', kind: 'shell' });
    const done = handOff({ ...t.base, recorder: rec });
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    await t.stdin.type('sudo -i\r');
    await waitFor(() => t.stdout.text.includes('password for root: '), 'the sudo prompt');
    await t.stdin.type('Tr0ub4dor&3\r');
    await waitFor(() => t.pty().received.endsWith('Tr0ub4dor&3\r'), 'the password to arrive');
    await t.stdin.type('~.');
    await done;
    rec.close();
    const inputs = readCast(file).events.filter((e) => e[1] === 'i').map((e) => e[2]).join('');
    expect(inputs).toBe('sudo -i\r***********\r');
  });

  it('works when stdin is not a TTY and with screen: clear (no alternate screen)', async () => {
    const t = setup(false);
    const done = handOff({ ...t.base, screen: 'clear' });
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    await t.stdin.type('~.');
    expect(await done).toMatchObject({ reason: 'escape' });
    expect(t.stdin.rawCalls).toEqual([]);
    expect(t.stdout.text).not.toContain('1049');
    expect(t.stdout.text.endsWith('\x1b[H\x1b[2J')).toBe(true);
  });

  it('a session that cannot open leaves the TUI alone and rejects', async () => {
    const t = setup();
    await expect(
      handOff({ ...t.base, open: () => Promise.reject(new TransportError('unreachable', 'ella', 'connection refused (127.0.0.1:2203)')) }),
    ).rejects.toThrow('ella: connection refused');
    expect(t.calls).toEqual([]);
    expect(t.stdout.text).toBe('');
    expect(t.stdin.rawCalls).toEqual([]);
  });

  it('stdin ending counts as leaving', async () => {
    const t = setup(false);
    const done = handOff(t.base);
    await waitFor(() => t.stdout.text.includes('# '), 'the prompt');
    t.stdin.end();
    expect(await done).toMatchObject({ reason: 'escape' });
    await waitFor(() => t.pty().isClosed, 'the session to close');
  });
});

describe('openSession', () => {
  function fakeReach(opts: { fail?: Error } = {}) {
    const opened: string[] = [];
    const reach = {
      pty: async (name: string, o: { cols: number; rows: number; term?: string }) => {
        if (opts.fail) throw opts.fail;
        opened.push(`pty ${name} ${o.cols}x${o.rows} ${o.term}`);
        return new FakePty(name, o);
      },
      console: async (name: string, size: { cols: number; rows: number }) => {
        if (opts.fail) throw opts.fail;
        opened.push(`console ${name} ${size.cols}x${size.rows}`);
        return new FakePty(name, size);
      },
    } as unknown as Reach;
    return { reach, opened };
  }

  it('records the shell and returns a notice naming the exit status and the file', async () => {
    const { reach, opened } = fakeReach();
    const stdin = new FakeStdin(true);
    const stdout = new FakeStdout();
    const p = openSession(reach, 'emma', 'shell', { stdin, stdout, onSuspend() {}, onResume() {}, recordingsDir: dir, operator: 'maelle' });
    await waitFor(() => stdout.text.includes('root@emma:~# '), 'the prompt');
    expect(stdout.text).toContain('baie: shell on emma — ~. or Ctrl-] returns to baie');
    await stdin.type('hostname\r');
    await waitFor(() => stdout.text.includes('emma\r\n'), 'hostname');
    await stdin.type('exit 0\r');
    const notice = await p;
    expect(opened[0]).toMatch(/^pty emma 120x40 \S+$/);
    const recs = listRecordings(dir);
    expect(recs).toHaveLength(1);
    expect(notice).toBe(`shell on emma closed (exit 0), recorded in ${recs[0]!.file}`);
    expect(recs[0]).toMatchObject({ machine: 'emma', kind: 'shell', operator: 'maelle' });
    const out = readCast(recs[0]!.file).events.filter((e) => e[1] === 'o').map((e) => e[2]).join('');
    expect(out).toContain('hostname\r\nemma\r\n');
  });

  it('a console left with ~. says so', async () => {
    const { reach, opened } = fakeReach();
    const stdin = new FakeStdin(false);
    const stdout = new FakeStdout();
    const p = openSession(reach, 'fey', 'console', { stdin, stdout, onSuspend() {}, onResume() {}, recordingsDir: dir, operator: 'o' });
    await waitFor(() => stdout.text.includes('# '), 'the prompt');
    await stdin.type('~.');
    const notice = await p;
    expect(opened).toEqual(['console fey 120x40']);
    expect(notice).toMatch(/^left the console on fey, recorded in .*-fey-console\.cast$/);
  });

  it('a session that ends at once explains why in the notice', async () => {
    const busy: PtySession = {
      write() {},
      resize() {},
      onData(cb) {
        setTimeout(() => cb('\x1b[1mconsole: elsa: line busy (attached by yann@laptop)\x1b[0m\r\n'), 1);
      },
      onClose(cb) {
        setTimeout(() => cb({ code: 1 }), 10);
      },
      close() {},
    };
    const reach = { console: async () => busy } as unknown as Reach;
    const stdout = new FakeStdout();
    const notice = await openSession(reach, 'elsa', 'console', { stdin: new FakeStdin(), stdout, onSuspend() {}, onResume() {}, recordingsDir: dir, operator: 'o' });
    expect(notice).toMatch(/^console on elsa closed \(exit 1\): console: elsa: line busy \(attached by yann@laptop\), recorded in \S+-elsa-console\.cast$/);
  });

  it('a connection error is one line, nothing suspended, nothing recorded', async () => {
    const { reach } = fakeReach({ fail: new TransportError('unreachable', 'ella', 'connection refused (127.0.0.1:2203)') });
    let suspended = false;
    const notice = await openSession(reach, 'ella', 'shell', { stdin: new FakeStdin(), stdout: new FakeStdout(), onSuspend: () => void (suspended = true), onResume() {}, recordingsDir: dir, operator: 'o' });
    expect(notice).toBe('cannot open a shell on ella: connection refused (127.0.0.1:2203)');
    expect(suspended).toBe(false);
    expect(listRecordings(dir)).toEqual([]);
  });

  it('still hands over the shell when the recording cannot be written', async () => {
    const { reach } = fakeReach();
    const stdin = new FakeStdin(false);
    const stdout = new FakeStdout();
    const blocked = join(dir, 'file-not-dir');
    (await import('node:fs')).writeFileSync(blocked, '');
    const p = openSession(reach, 'ella', 'shell', { stdin, stdout, onSuspend() {}, onResume() {}, recordingsDir: blocked, operator: 'o' });
    await waitFor(() => stdout.text.includes('# '), 'the prompt');
    await stdin.type('~.');
    expect(await p).toMatch(/^left the shell on ella; not recorded: .*(ENOTDIR|EEXIST)/);
  });
});
