import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import type { Target } from '../../../src/transport/types.js';
import { sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';

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
    await peer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('returns stdout, stderr and the exit code', async () => {
    const r = await pool.exec(target, 'echo hello; echo oops >&2; exit 3');
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr).toBe('oops\n');
    expect(r.code).toBe(3);
    expect(r.timedOut).toBeUndefined();
  });
});
