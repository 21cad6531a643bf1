import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import type { Target } from '../../../src/transport/types.js';
import { sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';
import { alive, waitFor } from '../../helpers/process.js';

const skip = sshdSkipReason();



describe.skipIf(skip)(`ssh exec against a real sshd ${skip ?? ''}`, () => {
  let peer: SshdPeer;
  let pool: SshPool;
  let target: Target;
  let work: string;

  beforeAll(async () => {
    peer = await startSshd();
    work = mkdtempSync(join(tmpdir(), 'baie-exec-'));
    pool = new SshPool({
      resolve: () => undefined,
      userKnownHosts: peer.writeKnownHosts(join(work, 'known_hosts')),
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(),
      agent: '',
      connectTimeoutMs: 5000,
    });
    target = { name: 'ella', ssh: peer.endpoint() };
  });
  afterAll(async () => {
    await pool?.close();
    if (!process.env.KEEP_SSHD) await peer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('returns stdout, stderr and the exit code', async () => {
    const r = await pool.exec(target, 'echo hello; echo oops >&2; exit 3');
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('oops\n');
    expect(r.code).toBe(3);
    expect(r.timedOut).toBeUndefined();
    expect(r.aborted).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs in the clean HOME the helper sets, not root’s', async () => {
    const r = await pool.exec(target, 'echo "$HOME"');
    expect(r.stdout.trim()).toBe(join(peer.dir, 'home'));
  });

  it('reports a command killed by a signal', async () => {
    const r = await pool.exec(target, 'kill -KILL $$');
    expect(r.code).toBeNull();
    expect(r.signal).toBe('KILL');
  });

  it('streams output through the callbacks as it arrives', async () => {
    const seen: Array<{ t: number; s: string }> = [];
    const errs: string[] = [];
    const t0 = Date.now();
    const r = await pool.exec(target, 'echo one; sleep 0.6; echo two; echo warn >&2', {
      onStdout: (s) => seen.push({ t: Date.now() - t0, s }),
      onStderr: (s) => errs.push(s),
    });
    expect(r.code).toBe(0);
    expect(seen.map((x) => x.s).join('')).toBe('one\ntwo\n');
    expect(errs.join('')).toBe('warn\n');
    // "one" arrived before the sleep ended, i.e. streamed, not at the end.
    const one = seen.find((x) => x.s.includes('one'))!;
    const two = seen.find((x) => x.s.includes('two'))!;
    expect(two.t - one.t).toBeGreaterThanOrEqual(400);
  });

  it('passes stdin and closes it', async () => {
    const r = await pool.exec(target, 'tr a-z A-Z; echo done', { stdin: 'quiet please\n' });
    expect(r.stdout).toBe('QUIET PLEASE\ndone\n');
  });

  it('without stdin the command sees EOF at once', async () => {
    const r = await pool.exec(target, 'cat; echo eof', { timeoutMs: 5000 });
    expect(r.stdout).toBe('eof\n');
    expect(r.timedOut).toBeUndefined();
  });

  it('keeps only the last bytes of a large output', async () => {
    const r = await pool.exec(target, 'seq 1 20000', { maxOutputBytes: 1000 });
    expect(r.code).toBe(0);
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1000);
    expect(r.stdout.endsWith('19999\n20000\n')).toBe(true);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const chunks: string[] = [];
    const r = await pool.exec(target, "printf '\\303'; sleep 0.2; printf '\\251t\\303\\251\\n'", { onStdout: (s) => chunks.push(s) });
    expect(r.stdout).toBe('été\n');
    expect(chunks.join('')).toBe('été\n');
    expect(chunks.some((c) => c.includes('\uFFFD'))).toBe(false);
  });

  it('a timeout stops the remote command and says so', async () => {
    const pidFile = join(work, 'timeout.pid');
    const t0 = Date.now();
    const r = await pool.exec(target, `sh -c 'echo $$ > ${pidFile}; echo started; sleep 30; echo never'`, { timeoutMs: 800 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.stdout).toBe('started\n');
    expect(Date.now() - t0).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !alive(pid), 3000)).toBe(true);
  });

  it('an AbortSignal stops the remote command, children included', async () => {
    const pidFile = join(work, 'abort.pid');
    const ac = new AbortController();
    const p = pool.exec(target, `sleep 40 & echo $! > ${pidFile}; wait`, { signal: ac.signal });
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 5000)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    ac.abort();
    const r = await p;
    expect(r.aborted).toBe(true);
    expect(r.timedOut).toBeUndefined();
    expect(await waitFor(() => !alive(pid), 3000)).toBe(true);
  });

  it('an already-aborted signal runs nothing', async () => {
    const marker = join(work, 'never-made');
    const r = await pool.exec(target, `touch ${marker}`, { signal: AbortSignal.abort() });
    expect(r.aborted).toBe(true);
    await new Promise((res) => setTimeout(res, 200));
    expect(existsSync(marker)).toBe(false);
  });

  it('with a pty, stderr is merged into stdout and lines end with \\r\\n', async () => {
    const r = await pool.exec(target, 'echo out; echo err >&2; tty >/dev/null && echo is-a-tty', { pty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('out\r\nerr\r\nis-a-tty\r\n');
    expect(r.stderr).toBe('');
  });

  it('without a pty there is no tty', async () => {
    const r = await pool.exec(target, 'tty');
    expect(r.code).not.toBe(0);
    expect(r.stdout.trim()).toBe('not a tty');
  });
});
