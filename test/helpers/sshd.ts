/**
 * A real OpenSSH sshd as a test peer on loopback (see FIELD-NOTES "OpenSSH sshd as a test peer").
 *
 *   import { sshdSkipReason, startSshd, makeKeyPair } from '../helpers/sshd.js';
 *   const skip = sshdSkipReason();                    // string when sshd cannot run here
 *   describe.skipIf(skip)(`ssh ${skip ?? ''}`, () => {
 *     let peer: SshdPeer;
 *     beforeAll(async () => { peer = await startSshd(); });
 *     afterAll(() => peer?.stop());
 *     it('...', async () => { peer.endpoint(); peer.knownHostsLine(); peer.clientKey; ... });
 *   });
 *
 * Each peer gets its own directory (config, ed25519 host key, client key pair, authorized_keys,
 * a clean HOME so the account's ~/.bashrc is not sourced, log at LogLevel VERBOSE), listens on
 * 127.0.0.1 (or the given loopback addresses) on a free port, runs in the foreground (-D) as a
 * child of the test, and is killed by stop(). Logins are as the current user (root here).
 *
 * System change: with `UsePAM no`, sshd refuses an account whose password is locked (shadow field
 * starting with '!'; note `passwd -S` shows L for '*' too). When running as root and the account is
 * locked, startSshd() runs `usermod -p '*' USER` once (no password can match '*', so password
 * logins stay impossible) and says so on stderr.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SshEndpoint } from '../../src/model/fleet.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export interface KeyPair {
  /** Private key file path. */
  file: string;
  /** Public key line: `ssh-ed25519 AAAA… comment`. */
  pub: string;
  /** Just `type base64`. */
  typeAndKey: string;
}

/** Generates a key pair with ssh-keygen (passphrase through argv is fine for throwaway test keys). */
export async function makeKeyPair(file: string, opts: { type?: 'ed25519' | 'rsa' | 'ecdsa'; passphrase?: string } = {}): Promise<KeyPair> {
  const type = opts.type ?? 'ed25519';
  const args = ['-q', '-t', type, '-N', opts.passphrase ?? '', '-C', 'baie-test', '-f', file];
  if (type === 'rsa') args.splice(2, 0, '-b', '2048');
  await run(SSH_KEYGEN, args);
  const pub = readFileSync(`${file}.pub`, 'utf8').trim();
  return { file, pub, typeAndKey: pub.split(/\s+/).slice(0, 2).join(' ') };
}

/** Why sshd-based tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (!existsSync(SSHD)) return `(skipped: ${SSHD} is missing; apt-get install openssh-server)`;
  if (!existsSync(SSH_KEYGEN)) return `(skipped: ${SSH_KEYGEN} is missing)`;
  if (process.platform !== 'linux') return '(skipped: the sshd helper is written for Linux)';
  return undefined;
}

let accountChecked = false;
/**
 * With UsePAM no, sshd refuses an account whose password field starts with '!' (locked). `passwd -S`
 * shows L for both '!…' and '*', so the shadow field itself is checked; a locked account (as root)
 * gets '*' (still no password can match), and that is said on stderr.
 */
async function ensureAccountUsable(user: string): Promise<void> {
  if (accountChecked) return;
  accountChecked = true;
  let field: string | undefined;
  try {
    const { stdout } = await run('getent', ['shadow', user]);
    field = stdout.split(':')[1];
  } catch {
    return; // no shadow entry readable (not root): sshd will tell if it refuses
  }
  if (field === undefined || !field.startsWith('!')) return;
  if (process.getuid?.() !== 0) throw new Error(`account ${user} has a locked password and sshd (UsePAM no) will refuse it`);
  await run('usermod', ['-p', '*', user]);
  process.stderr.write(`test/helpers/sshd: ${user}'s password was locked ('!'); set it to '*' with usermod so sshd accepts key logins\n`);
}

/** A port nobody listens on right now on `address` (race-prone but fine on a test machine). */
export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `host:port` sends an SSH banner (bounded by `ms`). */
async function waitForBanner(host: string, port: number, ms: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect({ host, port });
      const t = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 500);
      s.once('data', (d) => {
        clearTimeout(t);
        s.destroy();
        resolve(d.toString().startsWith('SSH-'));
      });
      s.once('error', () => {
        clearTimeout(t);
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not answer on ${host}:${port} within ${ms} ms`);
}

export interface SshdOptions {
  /** Addresses to listen on (loopback only). Default ['127.0.0.1']. All share one port. */
  addresses?: string[];
  /** Port; default a free one. */
  port?: number;
  /** Extra sshd_config lines, appended (a `Match` block must come last). */
  extraConfig?: string;
  /** Extra public key lines to authorize besides the generated client key. */
  authorizedKeys?: string[];
  /** Working directory to use instead of a new temp dir (files are created inside). */
  dir?: string;
}

export interface SshdPeer {
  /** First listen address and the port. */
  host: string;
  port: number;
  user: string;
  dir: string;
  /** `ssh-ed25519 AAAA…` of the server's host key. */
  hostKey: string;
  hostKeyFile: string;
  /** Client key pair authorized on this server (unencrypted). */
  clientKey: KeyPair;
  /** sshd's log (LogLevel VERBOSE). */
  logFile: string;
  /** The sshd master's pid (per-connection children are its descendants). */
  pid(): number | undefined;
  /** `[host]:port ssh-ed25519 AAAA…` for a known_hosts file. */
  knownHostsLine(host?: string): string;
  /** Writes a known_hosts file with this server's key and returns its path. */
  writeKnownHosts(file?: string): string;
  /** An SshEndpoint for this server, logging in with clientKey. */
  endpoint(over?: Partial<SshEndpoint>): SshEndpoint;
  log(): string;
  /** Lines `Accepted publickey for …` in the log: one per successful login. */
  acceptedLogins(): number;
  /** Kill sshd and start it again on the same port with the same keys (open connections drop). */
  restart(): Promise<void>;
  /** Kill sshd only (for outage tests); start() brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Kill sshd and its connection children; remove the directory (unless `dir` was given). */
  stop(): Promise<void>;
}

export async function startSshd(opts: SshdOptions = {}): Promise<SshdPeer> {
  const user = userInfo().username;
  await ensureAccountUsable(user);
  mkdirSync('/run/sshd', { recursive: true });
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'baie-sshd-'));
  mkdirSync(dir, { recursive: true });
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const addresses = opts.addresses ?? ['127.0.0.1'];
  const port = opts.port ?? (await freePort(addresses[0]));
  const hostKeyFile = join(dir, 'ssh_host_ed25519_key');
  if (!existsSync(hostKeyFile)) await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'baie-test-host', '-f', hostKeyFile]);
  const hostKey = readFileSync(`${hostKeyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const clientKeyFile = join(dir, 'client_ed25519');
  const clientKey = existsSync(clientKeyFile)
    ? (() => {
        const pub = readFileSync(`${clientKeyFile}.pub`, 'utf8').trim();
        return { file: clientKeyFile, pub, typeAndKey: pub.split(/\s+/).slice(0, 2).join(' ') };
      })()
    : await makeKeyPair(clientKeyFile);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, [clientKey.pub, ...(opts.authorizedKeys ?? [])].join('\n') + '\n', { mode: 0o600 });
  const logFile = join(dir, 'sshd.log');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      ...addresses.map((a) => `ListenAddress ${a}:${port}`),
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'LogLevel VERBOSE',
      'MaxStartups 100',
      'AllowTcpForwarding yes',
      'PrintMotd no',
      'PrintLastLog no',
      // A clean HOME: the account's ~/.bashrc (pyenv init here) is not sourced for every command.
      `SetEnv HOME=${home}`,
      opts.extraConfig ?? '',
    ].join('\n') + '\n',
  );

  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const c = spawn(SSHD, ['-D', '-f', config, '-E', logFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (d) => (stderr += d.toString()));
    child = c;
    try {
      await waitForBanner(addresses[0], port, 5000, c);
    } catch (e) {
      c.kill('SIGKILL');
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
      throw new Error(`${(e as Error).message}\n${stderr}${log}`);
    }
  };

  /** Kills the master and every descendant (per-connection sshd processes). */
  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const pids = descendants(c.pid);
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (c.exitCode === null) c.kill('SIGKILL');
  };

  await start();

  const peer: SshdPeer = {
    host: addresses[0],
    port,
    user,
    dir,
    hostKey,
    hostKeyFile,
    clientKey,
    logFile,
    pid: () => child?.pid,
    knownHostsLine: (host = addresses[0]) => `${port === 22 ? host : `[${host}]:${port}`} ${hostKey}`,
    writeKnownHosts: (file = join(dir, 'known_hosts')) => {
      writeFileSync(file, addresses.map((a) => peer.knownHostsLine(a)).join('\n') + '\n');
      return file;
    },
    endpoint: (over = {}) => ({
      host: addresses[0],
      port,
      user,
      identityFiles: [clientKey.file],
      jump: [],
      knownHosts: [],
      ...over,
    }),
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    acceptedLogins: () => (peer.log().match(/Accepted publickey for /g) ?? []).length,
    restart: async () => {
      await kill();
      await start();
    },
    kill,
    start,
    stop: async () => {
      await kill();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return peer;
}

/** Pids of all descendants of `pid` (from /proc), deepest last. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const ent of safeReaddir('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const stat = readFileSync(`/proc/${ent}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(ent));
      children.set(ppid, list);
    } catch {
      /* process gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number, depth: number): void => {
    if (depth > 16) return;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c, depth + 1);
    }
  };
  walk(pid, 0);
  return out;
}

function safeReaddir(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}
