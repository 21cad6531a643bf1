/** Persistent shells against a real OpenSSH sshd on loopback (logged in as the test's user: root here). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import { PersistentShells } from '../../../src/transport/ssh/probeShell.js';
import type { Target } from '../../../src/transport/types.js';
import { sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';
import { alive, waitFor } from '../../helpers/process.js';

const skip = sshdSkipReason();



describe.skipIf(skip)(`persistent shells against a real sshd ${skip ?? ''}`, () => {
  let peer: SshdPeer;
  let pool: SshPool;
  let shells: PersistentShells;
  let work: string;
  let ella: Target;
  /** Same sshd, second address: PATH has no `sh`, so the shell cannot start there. */
  let nosh: Target;
  /** Third address: MaxSessions 1. */
  let single: Target;

  /** Sessions sshd started (LogLevel VERBOSE logs one line per session channel). */
  const sessions = () => (peer.log().match(/Starting session: command/g) ?? []).length;

  beforeAll(async () => {
    peer = await startSshd({
      addresses: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
      extraConfig: 'Match LocalAddress 127.0.0.2\n  SetEnv PATH=/nowhere\nMatch LocalAddress 127.0.0.3\n  MaxSessions 1',
    });
    work = mkdtempSync(join(tmpdir(), 'baie-pshell-'));
    pool = new SshPool({
      resolve: () => undefined,
      userKnownHosts: peer.writeKnownHosts(join(work, 'known_hosts')),
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(),
      agent: '',
      connectTimeoutMs: 5000,
      onSessionRefused: (name) => shells.yieldSession(name),
    });
    shells = new PersistentShells(pool);
    ella = { name: 'ella', ssh: peer.endpoint() };
    nosh = { name: 'nosh', ssh: peer.endpoint({ host: '127.0.0.2' }) };
    single = { name: 'single', ssh: peer.endpoint({ host: '127.0.0.3' }) };
  });
  afterAll(async () => {
    shells?.close();
    await pool?.close();
    await peer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers several rounds on one shell: separate outputs, stderr apart, exit codes, one session', async () => {
    const before = sessions();
    const pids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await shells.exec(ella, `echo "round ${i} $$"; echo "err ${i}" >&2; test ${i} -ne 3`, { timeoutMs: 5000 });
      const m = /^round (\d) (\d+)\n$/.exec(r.stdout);
      expect(m?.[1]).toBe(String(i));
      pids.add(m![2]);
      expect(r.stderr).toBe(`err ${i}\n`);
      expect(r.code).toBe(i === 3 ? 1 : 0);
    }
    expect(pids.size).toBe(1);
    expect(await waitFor(() => sessions() - before === 1, 2000)).toBe(true);
    expect(shells.stats()).toMatchObject({ open: 1 });
  });

  it('keeps rounds apart: no cwd carried over, a command cannot read the next round as its stdin', async () => {
    await shells.exec(ella, 'cd /tmp && pwd', { timeoutMs: 5000 });
    const home = (await shells.exec(ella, 'echo "$HOME"', { timeoutMs: 5000 })).stdout.trim();
    expect((await shells.exec(ella, 'pwd', { timeoutMs: 5000 })).stdout).toBe(`${home}\n`);
    const r = await shells.exec(ella, 'cat; echo "cat saw EOF"', { timeoutMs: 5000 });
    expect(r.stdout).toBe('cat saw EOF\n');
    expect((await shells.exec(ella, 'echo still here', { timeoutMs: 5000 })).stdout).toBe('still here\n');
  });

  it('output that looks like a marker cannot end a round', async () => {
    const cmd = `printf '\\036baie-end:0123456789abcdef:0\\n'; printf '\\036baie-end:%s:%s\\n' x 0 >&2; printf 'tail\\036baie-end:'; exit_code=7; (exit $exit_code)`;
    const r = await shells.exec(ella, cmd, { timeoutMs: 5000 });
    expect(r.stdout).toBe('\x1ebaie-end:0123456789abcdef:0\ntail\x1ebaie-end:');
    expect(r.stderr).toBe('\x1ebaie-end:x:0\n');
    expect(r.code).toBe(7);
    expect((await shells.exec(ella, 'echo next', { timeoutMs: 5000 })).stdout).toBe('next\n');
  });

  it('a hung command times out, is killed with its shell, and the next round gets a fresh shell', async () => {
    const shellPid = (await shells.exec(ella, 'echo $$', { timeoutMs: 5000 })).stdout.trim();
    const t0 = Date.now();
    const r = await shells.exec(ella, 'sleep 60 & echo $!; wait', { timeoutMs: 800 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2500);
    const sleeper = Number(r.stdout.trim());
    expect(sleeper).toBeGreaterThan(1);
    expect(await waitFor(() => !alive(sleeper) && !alive(Number(shellPid)), 5000)).toBe(true);
    const next = await shells.exec(ella, 'echo $$', { timeoutMs: 5000 });
    expect(next.code).toBe(0);
    expect(next.stdout.trim()).not.toBe(shellPid);
  });

  it('an abort stops the round at once and says so', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await shells.exec(ella, 'sleep 30', { signal: ac.signal, timeoutMs: 10_000 });
    expect(r.aborted).toBe(true);
    expect((await shells.exec(ella, 'echo ok', { timeoutMs: 5000 })).stdout).toBe('ok\n');
  });

  it('a shell killed between rounds, or one that exits, is replaced', async () => {
    const pid = Number((await shells.exec(ella, 'echo $$', { timeoutMs: 5000 })).stdout.trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 2000);
    await new Promise((r) => setTimeout(r, 100));
    const r = await shells.exec(ella, 'echo $$', { timeoutMs: 5000 });
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).not.toBe(pid);
    // a command that ends the shell gets its status, like a plain exec
    const ex = await shells.exec(ella, 'echo bye; exit 3', { timeoutMs: 5000 });
    expect(ex).toMatchObject({ code: 3, stdout: 'bye\n' });
    expect((await shells.exec(ella, 'echo back', { timeoutMs: 5000 })).stdout).toBe('back\n');
  });

  it('recovers from a dropped connection', async () => {
    expect((await shells.exec(ella, 'echo one', { timeoutMs: 5000 })).stdout).toBe('one\n');
    await peer.restart();
    await new Promise((r) => setTimeout(r, 100));
    const r = await shells.exec(ella, 'echo two', { timeoutMs: 10_000 });
    expect(r).toMatchObject({ code: 0, stdout: 'two\n' });
  });

  it('a round in progress when the connection drops fails as closed, never hangs', async () => {
    const p = shells.exec(ella, 'sleep 20', { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const failed = expect(p).rejects.toThrow(/ella: connection lost/);
    await peer.restart();
    await failed;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await shells.exec(ella, 'echo after', { timeoutMs: 10_000 })).stdout).toBe('after\n');
  });

  it('a second call while the shell is busy runs as a plain exec', async () => {
    const before = shells.stats().plain;
    const [a, b] = await Promise.all([shells.exec(ella, 'sleep 0.3; echo a', { timeoutMs: 5000 }), shells.exec(ella, 'echo b', { timeoutMs: 5000 })]);
    expect([a.stdout, b.stdout]).toEqual(['a\n', 'b\n']);
    expect(shells.stats().plain - before).toBe(1);
  });

  it('where sh cannot start, the command runs as a plain exec, and the machine soon gets plain exec only', async () => {
    const r1 = await shells.exec(nosh, 'echo "$PATH"', { timeoutMs: 5000 });
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/(^|:)\/nowhere\n$/);
    const r2 = await shells.exec(nosh, 'echo again', { timeoutMs: 5000 });
    expect(r2.stdout).toBe('again\n');
    expect(shells.stats().plainOnly).toContain('nosh');
    expect((await shells.exec(nosh, 'echo plain', { timeoutMs: 5000 })).stdout).toBe('plain\n');
  });

  it('on a host with one session, an exec that needs it gets it: the idle shell gives it back', async () => {
    expect((await shells.exec(single, 'echo shell', { timeoutMs: 5000 })).stdout).toBe('shell\n');
    expect(shells.stats().plainOnly).not.toContain('single');
    const r = await pool.exec(single, 'echo step', { timeoutMs: 10_000 });
    expect(r).toMatchObject({ code: 0, stdout: 'step\n' });
    expect(shells.stats().plainOnly).toContain('single');
    // later probes there are plain execs, which leave the session free between rounds
    expect((await shells.exec(single, 'echo probe', { timeoutMs: 5000 })).stdout).toBe('probe\n');
    expect((await pool.exec(single, 'echo step2', { timeoutMs: 5000 })).stdout).toBe('step2\n');
  });

  it('close() ends the shells; the next call opens a new one', async () => {
    const pid = Number((await shells.exec(ella, 'echo $$', { timeoutMs: 5000 })).stdout.trim());
    shells.close();
    expect(await waitFor(() => !alive(pid), 3000)).toBe(true);
    expect(shells.stats().open).toBe(0);
    expect((await shells.exec(ella, 'echo $$', { timeoutMs: 5000 })).stdout.trim()).not.toBe(String(pid));
  });
});
