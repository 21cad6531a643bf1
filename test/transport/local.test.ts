import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../src/transport/local.js';
import { alive, waitFor } from '../helpers/process.js';

const work = mkdtempSync(join(tmpdir(), 'baie-local-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('LocalTransport', () => {
  const t = new LocalTransport();

  it('returns stdout, stderr and the exit code of a shell command', async () => {
    const r = await t.exec('echo hello; echo oops >&2; exit 4');
    expect(r).toMatchObject({ code: 4, stdout: 'hello\n', stderr: 'oops\n' });
    expect(r.timedOut).toBeUndefined();
  });

  it('runs a program with arguments and no shell (no quoting surprises)', async () => {
    const r = await t.run('printf', ['%s|', 'a b', '$HOME', "it's"]);
    expect(r.stdout).toBe("a b|$HOME|it's|");
  });

  it('passes env (how secrets reach a program) and stdin', async () => {
    const r = await t.exec('printf "%s/" "$BAIE_SECRET"; tr a-z A-Z', { env: { BAIE_SECRET: 's3cret' }, stdin: 'abc' });
    expect(r.stdout).toBe('s3cret/ABC');
  });

  it('a missing program is exit 127 with a message, not a crash', async () => {
    const r = await t.run('/nonexistent/ipmitool', ['-V']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('/nonexistent/ipmitool: command not found');
  });

  it('streams output and keeps only the tail when asked', async () => {
    const chunks: string[] = [];
    const r = await t.exec('seq 1 5000', { onStdout: (s) => chunks.push(s), maxOutputBytes: 100 });
    expect(chunks.join('')).toBe(Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join(''));
    expect(r.truncated).toBe(true);
    expect(r.stdout.endsWith('4999\n5000\n')).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(100);
  });

  it('a timeout kills the whole process group', async () => {
    const pidFile = join(work, 'bg.pid');
    const r = await t.exec(`sleep 30 & echo $! > ${pidFile}; echo started; wait`, { timeoutMs: 500 });
    expect(r).toMatchObject({ timedOut: true, code: null, signal: 'TERM', stdout: 'started\n' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !alive(pid), 3000)).toBe(true);
  });

  it('an AbortSignal cancels; an already-aborted one runs nothing', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const r = await t.exec('sleep 20', { signal: ac.signal });
    expect(r.aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    const marker = join(work, 'never');
    const r2 = await t.exec(`touch ${marker}`, { signal: AbortSignal.abort() });
    expect(r2.aborted).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});
