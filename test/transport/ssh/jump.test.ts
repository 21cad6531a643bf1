import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshEndpoint } from '../../../src/model/fleet.js';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import { TransportError } from '../../../src/transport/types.js';
import { descendants, freePort, sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';

const run = promisify(execFile);
const skip = sshdSkipReason();

/** Pid of the local process owning the TCP socket 127.0.0.1:`port` → anything (from `ss -tnp`). */
async function ownerOfSourcePort(port: number): Promise<number | undefined> {
  const { stdout } = await run('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`]);
  const m = /pid=(\d+)/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

describe.skipIf(skip)(`jump hosts through real sshds ${skip ?? ''}`, () => {
  let gw: SshdPeer; // 127.0.0.1
  let gw2: SshdPeer; // 127.0.0.2
  let inner: SshdPeer; // 127.0.0.3
  let work: string;
  let pool: SshPool;
  let machines: Record<string, SshEndpoint>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'baie-jump-'));
    gw = await startSshd();
    gw2 = await startSshd({ addresses: ['127.0.0.2'] });
    inner = await startSshd({ addresses: ['127.0.0.3'] });
    const kh = join(work, 'known_hosts');
    writeFileSync(kh, [gw, gw2, inner].map((p) => p.knownHostsLine()).join('\n') + '\n');
    machines = {
      gw: gw.endpoint(),
      gw2: gw2.endpoint({ jump: ['gw'] }),
      // One hop and two hops.
      elea: inner.endpoint({ jump: ['gw'] }),
      elsa: inner.endpoint({ jump: ['gw', 'gw2'] }),
    };
    pool = new SshPool({
      resolve: (name) => machines[name],
      userKnownHosts: kh,
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(),
      agent: '',
      connectTimeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await pool?.close();
    for (const p of [gw, gw2, inner]) await p?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reaches a machine through one jump host; the connection to it comes from the jump host’s sshd', async () => {
    const gwLogins = gw.acceptedLogins();
    const r = await pool.exec({ name: 'elea', ssh: machines.elea }, 'echo "$SSH_CONNECTION"; sleep 0.3');
    const [srcIp, srcPort, dstIp] = r.stdout.trim().split(' ');
    expect(dstIp).toBe('127.0.0.3');
    expect(srcIp).toBe('127.0.0.1');
    // The socket into the target belongs to a process under the jump sshd, not to this test process.
    // The pool keeps the tunnelled connection open, so its socket is still there to look at.
    const owner = await ownerOfSourcePort(Number(srcPort));
    expect(owner).toBeDefined();
    expect(owner).not.toBe(process.pid);
    expect(descendants(gw.pid()!)).toContain(owner);
    expect(gw.acceptedLogins() - gwLogins).toBe(1);
    expect(inner.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
  });

  it('uses the pool’s own connection to the jump host (no second login there)', async () => {
    const gwLogins = gw.acceptedLogins();
    const a = await pool.exec({ name: 'gw', ssh: machines.gw }, 'echo "$SSH_CONNECTION"');
    expect(a.stdout.split(' ')[2]).toBe('127.0.0.1');
    await pool.exec({ name: 'elea', ssh: machines.elea }, 'true');
    expect(gw.acceptedLogins() - gwLogins).toBe(0);
    const st = pool.stats();
    expect(st.hosts.find((h) => h.name === 'elea')).toMatchObject({ via: 'gw', state: 'ready' });
    expect(st.hosts.filter((h) => h.name === 'gw')).toHaveLength(1);
  });

  it('chains two jump hosts: gw → gw2 → target', async () => {
    const r = await pool.exec({ name: 'elsa', ssh: machines.elsa }, 'echo "$SSH_CONNECTION"; sleep 0.3');
    const [, srcPort, dstIp] = r.stdout.trim().split(' ');
    expect(dstIp).toBe('127.0.0.3');
    const owner = await ownerOfSourcePort(Number(srcPort));
    expect(descendants(gw2.pid()!)).toContain(owner);
    expect(pool.stats().hosts.find((h) => h.name === 'elsa')).toMatchObject({ via: 'gw2' });
    // gw2 itself was reached through gw.
    expect(gw2.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
  });

  it('accepts a user@host:port jump spec (logging in there with the target’s keys)', async () => {
    const spec = `${gw.user}@${gw.host}:${gw.port}`;
    const ssh = inner.endpoint({ jump: [spec], identityFiles: [inner.clientKey.file, gw.clientKey.file] });
    const r = await pool.exec({ name: 'emma', ssh }, 'echo "$SSH_CONNECTION"');
    expect(r.stdout.trim().split(' ')[2]).toBe('127.0.0.3');
    expect(pool.stats().hosts.find((h) => h.name === 'emma')).toMatchObject({ via: spec });
  });

  it('says which jump host could not reach the target', async () => {
    const port = await freePort('127.0.0.3');
    let err: unknown;
    try {
      await pool.exec({ name: 'fey', ssh: inner.endpoint({ port, jump: ['gw'] }) }, 'true');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('unreachable');
    expect((err as TransportError).message).toMatch(new RegExp(`^fey: cannot reach 127\\.0\\.0\\.3:${port} through jump host gw: `));
  });

  it('refuses a jump loop instead of recursing', async () => {
    machines.loopA = inner.endpoint({ jump: ['loopB'] });
    machines.loopB = inner.endpoint({ jump: ['loopA'] });
    await expect(pool.exec({ name: 'loopA', ssh: machines.loopA }, 'true')).rejects.toThrow(/jump host loop/);
  });
});
