import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import type { PtySession, Target } from '../../../src/transport/types.js';
import { sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';

const skip = sshdSkipReason();

/** Collects a session's output and waits (bounded) until it matches. */
function screen(s: PtySession): { text(): string; waitFor(re: RegExp, ms?: number): Promise<string> } {
  let buf = '';
  s.onData((d) => (buf += d));
  return {
    text: () => buf,
    async waitFor(re, ms = 5000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const m = re.exec(buf);
        if (m) return m[0];
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${re} in ${JSON.stringify(buf.slice(-300))}`);
    },
  };
}

describe.skipIf(skip)(`interactive pty against a real sshd ${skip ?? ''}`, () => {
  let peer: SshdPeer;
  let pool: SshPool;
  let target: Target;
  let work: string;

  beforeAll(async () => {
    peer = await startSshd();
    work = mkdtempSync(join(tmpdir(), 'baie-pty-'));
    pool = new SshPool({
      resolve: () => undefined,
      userKnownHosts: peer.writeKnownHosts(join(work, 'known_hosts')),
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(),
      agent: '',
    });
    target = { name: 'ella', ssh: peer.endpoint() };
  });
  afterAll(async () => {
    await pool?.close();
    await peer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens a login shell with the asked size and TERM; resize is seen by stty', async () => {
    const s = await pool.pty(target, { cols: 100, rows: 30, term: 'vt100' });
    const sc = screen(s);
    const closed = new Promise<{ code: number | null }>((r) => s.onClose(r));
    s.write('stty size; echo "term=$TERM"\n');
    await sc.waitFor(/^30 100\r$/m);
    await sc.waitFor(/term=vt100/);
    s.resize(132, 43);
    s.write('stty size\n');
    await sc.waitFor(/^43 132\r$/m);
    s.write('exit 7\n');
    expect((await closed).code).toBe(7);
  });

  it('runs a command in a pty and reports its exit; close() ends a running one', async () => {
    const s = await pool.pty(target, { cols: 80, rows: 24, command: 'echo hi; tty' });
    const sc = screen(s);
    const info = await new Promise<{ code: number | null }>((r) => s.onClose(r));
    expect(info.code).toBe(0);
    expect(sc.text()).toMatch(/^hi\r\n\/dev\/pts\/\d+\r\n$/);

    const long = await pool.pty(target, { cols: 80, rows: 24, command: 'cat' });
    const lsc = screen(long);
    long.write('typed\n');
    await lsc.waitFor(/typed\r\ntyped\r\n/); // echo by the tty, then cat's copy
    const ended = new Promise((r) => long.onClose(r));
    long.close();
    await Promise.race([ended, new Promise((_, rej) => setTimeout(() => rej(new Error('pty did not close')), 5000))]);
  });

  it('a pty holds a session slot until it closes', async () => {
    const s = await pool.pty(target, { cols: 80, rows: 24 });
    const host = () => pool.stats().hosts.find((h) => h.name === 'ella')!;
    expect(host().active).toBe(1);
    const closed = new Promise((r) => s.onClose(r));
    s.write('exit\n');
    await closed;
    expect(host().active).toBe(0);
  });
});
