import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHashedHost } from '../../../src/transport/ssh/knownHosts.js';
import { HostKeyPolicy, type HostKeyPolicyOptions } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool } from '../../../src/transport/ssh/pool.js';
import { TransportError, type Target } from '../../../src/transport/types.js';
import { makeKeyPair, sshdSkipReason, startSshd, type SshdPeer } from '../../helpers/sshd.js';

const run = promisify(execFile);
const skip = sshdSkipReason();

/** Fingerprint as OpenSSH's own ssh-keygen prints it (not ours), e.g. `SHA256:abc…`. */
async function sshKeygenFingerprint(pubFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', pubFile]);
  return stdout.split(' ')[1];
}

describe.skipIf(skip)(`host keys against a real sshd ${skip ?? ''}`, () => {
  let peer: SshdPeer;
  let peer22: SshdPeer;
  let work: string;
  let serverFp: string;
  let n = 0;

  beforeAll(async () => {
    peer = await startSshd();
    // Port 22 on another loopback address: known_hosts names it without brackets.
    peer22 = await startSshd({ addresses: ['127.0.0.9'], port: 22 });
    work = mkdtempSync(join(tmpdir(), 'baie-hostkeys-'));
    serverFp = await sshKeygenFingerprint(`${peer.hostKeyFile}.pub`);
  });
  afterAll(async () => {
    await peer?.stop();
    await peer22?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs `echo ok` on `target` with a fresh pool whose user known_hosts holds `lines`. */
  async function tryConnect(
    lines: string[],
    policyOpts: HostKeyPolicyOptions = {},
    target: Target = { name: 'ella', ssh: peer.endpoint() },
  ): Promise<{ out?: string; err?: TransportError; file: string }> {
    const file = join(work, `known_hosts.${++n}`);
    writeFileSync(file, lines.map((l) => l + '\n').join(''));
    const pool = new SshPool({
      resolve: () => undefined,
      userKnownHosts: file,
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(policyOpts),
      agent: '',
      connectTimeoutMs: 5000,
    });
    try {
      const r = await pool.exec(target, 'echo ok');
      return { out: r.stdout, file };
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      return { err: e, file };
    } finally {
      await pool.close();
    }
  }

  it('accepts a [host]:port line', async () => {
    expect((await tryConnect([peer.knownHostsLine()])).out).toBe('ok\n');
  });

  it('accepts a comma list and a hashed name', async () => {
    expect((await tryConnect([`ella.coop.example,[${peer.host}]:${peer.port} ${peer.hostKey}`])).out).toBe('ok\n');
    const hashed = `${formatHashedHost(`[${peer.host}]:${peer.port}`, Buffer.from('0123456789abcdefghij'))} ${peer.hostKey}`;
    expect((await tryConnect([hashed])).out).toBe('ok\n');
  });

  it('accepts a line hashed by ssh-keygen -H itself', async () => {
    const f = join(work, 'to-hash');
    writeFileSync(f, `${peer.knownHostsLine()}\n`);
    await run('ssh-keygen', ['-H', '-f', f]);
    const line = readFileSync(f, 'utf8').trim();
    expect(line.startsWith('|1|')).toBe(true);
    expect((await tryConnect([line])).out).toBe('ok\n');
  });

  it('accepts a plain host name on port 22', async () => {
    const target = { name: 'eva', ssh: peer22.endpoint() };
    expect(peer22.knownHostsLine().startsWith('127.0.0.9 ssh-ed25519 ')).toBe(true);
    expect((await tryConnect([peer22.knownHostsLine()], {}, target)).out).toBe('ok\n');
  });

  it('trusts keys from the endpoint’s own knownHosts files', async () => {
    const extra = peer.writeKnownHosts(join(work, 'lab_known_hosts'));
    const r = await tryConnect([], {}, { name: 'ella', ssh: peer.endpoint({ knownHosts: [extra] }) });
    expect(r.out).toBe('ok\n');
  });

  it('refuses a changed key, naming both fingerprints', async () => {
    const other = await makeKeyPair(join(work, 'other_host_key'));
    const oldFp = await sshKeygenFingerprint(`${other.file}.pub`);
    const r = await tryConnect([`[${peer.host}]:${peer.port} ${other.typeAndKey}`]);
    expect(r.err?.kind).toBe('hostkey-changed');
    expect(r.err?.message).toContain(`ssh-ed25519 ${oldFp}`);
    expect(r.err?.message).toContain(`ssh-ed25519 ${serverFp}`);
    expect(r.err?.message).toMatch(/^ella: host key for \[127\.0\.0\.1\]:\d+ has CHANGED/);
    expect(r.err?.message).not.toContain('\n');
  });

  it('refuses a changed key even with acceptNew and a callback that would accept', async () => {
    const other = await makeKeyPair(join(work, 'other_host_key2'));
    let asked = false;
    const r = await tryConnect([`[${peer.host}]:${peer.port} ${other.typeAndKey}`], {
      acceptNew: true,
      onUnknown: async () => {
        asked = true;
        return 'accept';
      },
    });
    expect(r.err?.kind).toBe('hostkey-changed');
    expect(asked).toBe(false);
    expect(readFileSync(r.file, 'utf8')).not.toContain(peer.hostKey);
  });

  it('refuses a revoked key even when also listed as known', async () => {
    const r = await tryConnect([peer.knownHostsLine(), `@revoked * ${peer.hostKey}`]);
    expect(r.err?.kind).toBe('hostkey-revoked');
    expect(r.err?.message).toContain(serverFp);
  });

  it('refuses an unknown key without a callback, and leaves known_hosts alone', async () => {
    const r = await tryConnect([]);
    expect(r.err?.kind).toBe('hostkey-unknown');
    expect(r.err?.message).toContain(`ssh-ed25519 ${serverFp}`);
    expect(readFileSync(r.file, 'utf8')).toBe('');
  });

  it('acceptNew appends a line that OpenSSH’s own ssh then trusts', async () => {
    const r = await tryConnect(['# mine'], { acceptNew: true });
    expect(r.out).toBe('ok\n');
    expect(readFileSync(r.file, 'utf8')).toBe(`# mine\n[${peer.host}]:${peer.port} ${peer.hostKey}\n`);
    // A new pool without acceptNew now connects.
    const again = await tryConnect(readFileSync(r.file, 'utf8').trim().split('\n'));
    expect(again.out).toBe('ok\n');
    const ssh = await run('ssh', [
      '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${r.file}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-i', peer.clientKey.file, '-p', String(peer.port), `${peer.user}@${peer.host}`, 'echo via-openssh',
    ]);
    expect(ssh.stdout).toBe('via-openssh\n');
  });

  it('asks onUnknown with the fingerprint; refuse, accept-once and accept do what they say', async () => {
    const asked: unknown[] = [];
    const ask = (answer: 'refuse' | 'accept-once' | 'accept'): HostKeyPolicyOptions => ({
      onUnknown: async (host, port, keyType, fp) => {
        asked.push([host, port, keyType, fp]);
        return answer;
      },
    });
    const refused = await tryConnect([], ask('refuse'));
    expect(refused.err?.kind).toBe('hostkey-unknown');
    expect(asked).toEqual([[peer.host, peer.port, 'ssh-ed25519', serverFp]]);
    const once = await tryConnect([], ask('accept-once'));
    expect(once.out).toBe('ok\n');
    expect(readFileSync(once.file, 'utf8')).toBe('');
    const saved = await tryConnect([], ask('accept'));
    expect(saved.out).toBe('ok\n');
    expect(readFileSync(saved.file, 'utf8')).toBe(`${peer.knownHostsLine()}\n`);
  });

  it('the connect timeout does not run while a person is deciding', async () => {
    const file = join(work, 'slow-answer');
    writeFileSync(file, '');
    const pool = new SshPool({
      resolve: () => undefined,
      userKnownHosts: file,
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy({ onUnknown: () => new Promise((r) => setTimeout(() => r('accept-once'), 1500)) }),
      agent: '',
      connectTimeoutMs: 1000,
    });
    try {
      const r = await pool.exec({ name: 'ella', ssh: peer.endpoint() }, 'echo ok');
      expect(r.stdout).toBe('ok\n');
    } finally {
      await pool.close();
    }
  });
});
