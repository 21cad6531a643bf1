import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyPolicy } from '../../../src/transport/ssh/hostKeyPolicy.js';
import { SshPool, type SshPoolOptions } from '../../../src/transport/ssh/pool.js';
import { TransportError, type Target } from '../../../src/transport/types.js';
import { descendants, freePort, makeKeyPair, sshdSkipReason, startSshd, type KeyPair, type SshdPeer } from '../../helpers/sshd.js';

const run = promisify(execFile);
const skip = sshdSkipReason();

async function expectTransportError(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error('expected a TransportError');
}

describe.skipIf(skip)(`ssh pool against a real sshd ${skip ?? ''}`, () => {
  let peer: SshdPeer;
  let work: string;
  let knownHosts: string;
  let encKey: KeyPair;
  let agentKey: KeyPair;
  const pools: SshPool[] = [];

  const newPool = (over: Partial<SshPoolOptions> = {}): SshPool => {
    const p = new SshPool({
      resolve: () => undefined,
      userKnownHosts: knownHosts,
      knownHostsFiles: [],
      hostKeyPolicy: new HostKeyPolicy(),
      agent: '',
      connectTimeoutMs: 5000,
      ...over,
    });
    pools.push(p);
    return p;
  };
  const ella = (): Target => ({ name: 'ella', ssh: peer.endpoint() });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'baie-pool-'));
    encKey = await makeKeyPair(join(work, 'enc_key'), { passphrase: 'correct horse' });
    agentKey = await makeKeyPair(join(work, 'agent_key'));
    peer = await startSshd({ authorizedKeys: [encKey.pub, agentKey.pub] });
    knownHosts = peer.writeKnownHosts(join(work, 'known_hosts'));
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
    await peer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reuses one connection for many commands (pool stats and sshd log agree)', async () => {
    const pool = newPool();
    const before = peer.acceptedLogins();
    for (let i = 0; i < 10; i++) expect((await pool.exec(ella(), `echo ${i}`)).stdout).toBe(`${i}\n`);
    const st = pool.stats();
    expect(st.connections).toBe(1);
    expect(st.connects).toBe(1);
    expect(st.hosts).toMatchObject([{ name: 'ella', state: 'ready', connects: 1, active: 0, queued: 0 }]);
    expect(peer.acceptedLogins() - before).toBe(1);
  });

  it('runs commands at once on one connection, queueing past MaxSessions, one shared first connect', async () => {
    const pool = newPool();
    const before = peer.acceptedLogins();
    const t0 = Date.now();
    // 14 parallel `sleep 1`: more than OpenSSH's MaxSessions (10) on one connection.
    const rs = await Promise.all(Array.from({ length: 14 }, (_, i) => pool.exec(ella(), `sleep 1; echo ${i}`)));
    const took = Date.now() - t0;
    expect(rs.map((r) => r.stdout)).toEqual(Array.from({ length: 14 }, (_, i) => `${i}\n`));
    expect(rs.every((r) => r.code === 0)).toBe(true);
    expect(took).toBeLessThan(6000); // parallel (2 waves), not 14 s in a row
    expect(took).toBeGreaterThanOrEqual(2000); // 9 at a time: a second wave was queued
    expect(pool.stats().connects).toBe(1);
    expect(peer.acceptedLogins() - before).toBe(1);
  });

  it('reconnects on the next exec after the connection was dropped', async () => {
    const pool = newPool();
    expect((await pool.exec(ella(), 'echo first')).stdout).toBe('first\n');
    // Kill the sshd processes serving our connection (the listener stays).
    const children = descendants(peer.pid()!);
    expect(children.length).toBeGreaterThan(0);
    for (const pid of children) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.stats().connections).toBe(0);
    expect((await pool.exec(ella(), 'echo second')).stdout).toBe('second\n');
    expect(pool.stats().hosts[0].connects).toBe(2);
  });

  it('a command running when the connection drops fails as closed', async () => {
    const pool = newPool();
    const p = pool.exec(ella(), 'sleep 5');
    await new Promise((r) => setTimeout(r, 500));
    for (const pid of descendants(peer.pid()!)) process.kill(pid, 'SIGKILL');
    const err = await expectTransportError(p);
    expect(err.kind).toBe('closed');
    expect(err.message).toBe('ella: connection lost while running a command');
  });

  it('after a drop, retries with backoff while sshd restarts', async () => {
    const pool = newPool({ reconnect: { tries: 5, baseMs: 300, capMs: 1000 } });
    expect((await pool.exec(ella(), 'echo up')).stdout).toBe('up\n');
    await peer.kill();
    const back = new Promise((r) => setTimeout(r, 800)).then(() => peer.start());
    const t0 = Date.now();
    const r = await pool.exec(ella(), 'echo back');
    await back;
    expect(r.stdout).toBe('back\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    expect(pool.stats().hosts[0].connects).toBe(2);
  });

  it('keepalive notices a server that stopped answering, and the next exec reconnects', async () => {
    const pool = newPool({ keepaliveMs: 300 });
    await pool.exec(ella(), 'true');
    const serving = descendants(peer.pid()!);
    for (const pid of serving) process.kill(pid, 'SIGSTOP');
    try {
      const t0 = Date.now();
      while (pool.stats().connections > 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      expect(pool.stats().connections).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
      expect(pool.stats().hosts[0].lastError).toMatch(/keepalive/i);
    } finally {
      for (const pid of serving) process.kill(pid, 'SIGKILL');
    }
    expect((await pool.exec(ella(), 'echo again')).stdout).toBe('again\n');
  });

  it('a first connect to a closed port fails at once as unreachable, naming the machine and address', async () => {
    const port = await freePort();
    const pool = newPool();
    const t0 = Date.now();
    const err = await expectTransportError(pool.exec({ name: 'estelle', ssh: peer.endpoint({ port }) }, 'true'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`estelle: connection refused (127.0.0.1:${port})`);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('times out connecting to a port that accepts and never speaks', async () => {
    const held: Socket[] = [];
    const server: Server = createServer((s) => held.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const pool = newPool({ connectTimeoutMs: 1000 });
      const t0 = Date.now();
      const err = await expectTransportError(pool.exec({ name: 'ella', ssh: peer.endpoint({ port }) }, 'true'));
      const took = Date.now() - t0;
      expect(err.kind).toBe('timeout');
      expect(err.message).toBe(`ella: connection timed out after 1 s (127.0.0.1:${port})`);
      expect(took).toBeGreaterThanOrEqual(950);
      expect(took).toBeLessThan(3000);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
    }
  });

  it('fails authentication with a key the server does not know', async () => {
    const stranger = await makeKeyPair(join(work, 'stranger'));
    const pool = newPool();
    const err = await expectTransportError(pool.exec({ name: 'ella', ssh: peer.endpoint({ identityFiles: [stranger.file] }) }, 'true'));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/^ella: authentication failed as root@127\.0\.0\.1:\d+ \(tried key .*stranger\)$/);
  });

  it('asks for the passphrase of an encrypted key once, and not again on reconnect', async () => {
    const asked: string[] = [];
    const pool = newPool({ passphrase: async (f) => (asked.push(f), 'correct horse') });
    const t: Target = { name: 'ella', ssh: peer.endpoint({ identityFiles: [encKey.file] }) };
    expect((await pool.exec(t, 'echo unlocked')).stdout).toBe('unlocked\n');
    await pool.close();
    expect((await pool.exec(t, 'echo again')).stdout).toBe('again\n');
    expect(asked).toEqual([encKey.file]);
  });

  it('a wrong or missing passphrase is an auth error that says why', async () => {
    const t: Target = { name: 'ella', ssh: peer.endpoint({ identityFiles: [encKey.file] }) };
    const wrong = await expectTransportError(newPool({ passphrase: async () => 'wrong' }).exec(t, 'true'));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toContain(`${encKey.file}: wrong passphrase for key`);
    const none = await expectTransportError(newPool().exec(t, 'true'));
    expect(none.kind).toBe('auth');
    expect(none.message).toContain('key is encrypted and no passphrase was given');
  });

  it('logs in with a key held by ssh-agent', async () => {
    const sock = join(work, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
      await run('ssh-add', [agentKey.file], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const pool = newPool({ agent: sock });
      // No IdentityFile and no default key under this HOME: only the agent can log in.
      const r = await pool.exec({ name: 'ella', ssh: peer.endpoint({ identityFiles: [join(work, 'missing_key')] }) }, 'echo agent');
      expect(r.stdout).toBe('agent\n');
    } finally {
      agent.kill();
    }
  });

  it('close(name) drops that machine’s connection; the next exec connects again', async () => {
    const pool = newPool();
    await pool.exec(ella(), 'true');
    await pool.close('ella');
    expect(pool.stats().connections).toBe(0);
    await pool.exec(ella(), 'true');
    expect(pool.stats()).toMatchObject({ connections: 1, connects: 2 });
  });

  it('transport(target) is a Transport for that machine', async () => {
    const t = newPool().transport(ella());
    const r = await t.exec('echo $((6*7))');
    expect(r).toMatchObject({ code: 0, stdout: '42\n' });
  });
});
