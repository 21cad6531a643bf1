/**
 * SshPool: one ssh2 connection per machine, reused by every command (several at once, up to the
 * server's MaxSessions, the rest queued), jump hosts through the pool's own connection to the jump
 * host (forwardOut + sock, chains a→b→c), keys and agent, keepalive, reconnect with backoff after a
 * drop, a connect timeout per host, and one shared connect when many commands start together.
 * `openChannel` gives a long-lived channel to a caller that talks to its command (probeShell.ts).
 */
import { callDeadline } from '../callDeadline.js';
import { SessionSlots } from './sessionSlots.js';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { SshEndpoint } from '../../model/fleet.js';
import {
  TransportError,
  type ExecOptions,
  type ExecResult,
  type PtyOptions,
  type PtySession,
  type Target,
  type Transport,
} from '../types.js';
import { connectClient } from './connect.js';
import { execOnClient, isChannelOpenError } from './exec.js';
import { openLongChannel, type OpenedChannel } from './longChannel.js';
import type { SshHostStats, SshPoolStats } from './poolStats.js';
import type { HostKeyPolicy } from './hostKeyPolicy.js';
import { chainOf, forwardOut, hopKey, type Hop } from './jumpChain.js';
import { untilAborted } from './untilAborted.js';
import { defaultIdentityFiles, KeyStore } from './keys.js';
import { openPtyOnClient } from './pty.js';

export type { OpenedChannel } from './longChannel.js';
export type { SshHostStats, SshPoolStats } from './poolStats.js';

export interface SshPoolOptions {
  /** Endpoint of a machine named in a ProxyJump list (inventory / ssh config lookup). */
  resolve(name: string): SshEndpoint | undefined;
  /** Read-only trusted known_hosts files besides the user's. Default: /etc/ssh/ssh_known_hosts. */
  knownHostsFiles?: string[];
  /** The user's known_hosts (read, and appended to on accept). Default: ~/.ssh/known_hosts. */
  userKnownHosts?: string;
  hostKeyPolicy: HostKeyPolicy;
  /** Per host (per hop), TCP + handshake + auth. Default 10 000. */
  connectTimeoutMs?: number;
  /** SSH-level keepalive interval; 3 unanswered → the connection is dropped. Default 15 000; 0 = off. */
  keepaliveMs?: number;
  /** ssh-agent socket. Default: $SSH_AUTH_SOCK. */
  agent?: string;
  /** Asked once per encrypted key file; undefined = skip that key. */
  passphrase?(keyFile: string): Promise<string | undefined>;
  /** After a drop: tries and backoff (baseMs, doubled each time, capped). Default 4 tries, 500 ms, 4 000 ms. */
  reconnect?: { tries?: number; baseMs?: number; capMs?: number };
  /** Concurrent sessions per connection (OpenSSH MaxSessions defaults to 10; one is kept for cancels). Default 9. */
  maxSessionsPerConnection?: number;
  /**
   * How a cancel (timeout/abort) stops the remote command. Always: the SSH `signal` request (TERM,
   * then KILL). 'marker': also, a command run with `timeoutMs` or `signal` gets a POSIX prefix line
   * reporting its pid, and a cancel kills its process group over a second channel (needed for root,
   * whom OpenSSH refuses `signal` requests). 'auto' (default): 'marker' when logged in as root on an
   * OpenSSH server, else 'signal' (non-POSIX shells such as a switch CLI, or the lab's fake hosts).
   */
  killVia?: 'auto' | 'marker' | 'signal';
  /** User for `host:port` jump specs without `user@`. Default: the local user name. */
  localUser?: string;
  /**
   * The server refused a session on `machine`'s connection (its MaxSessions is reached): a holder
   * of long-lived channels there (persistent shells) may give an idle one back before the retry.
   */
  onSessionRefused?(machine: string): void;
}

interface Conn {
  key: string;
  hop: Hop;
  via?: string;
  client?: Client;
  connecting?: Promise<Client>;
  connects: number;
  /** Connected at least once since the last explicit close: a new connect is a reconnect (with backoff). */
  everConnected: boolean;
  lastError?: string;
  slots: SessionSlots;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


export class SshPool {
  private readonly conns = new Map<string, Conn>();
  private readonly keys: KeyStore;
  private readonly o: Required<Omit<SshPoolOptions, 'passphrase' | 'agent' | 'reconnect' | 'onSessionRefused'>> & {
    agent?: string;
    onSessionRefused?(machine: string): void;
    reconnect: { tries: number; baseMs: number; capMs: number };
  };

  constructor(opts: SshPoolOptions) {
    this.keys = new KeyStore(opts.passphrase);
    this.o = {
      resolve: opts.resolve,
      knownHostsFiles: opts.knownHostsFiles ?? ['/etc/ssh/ssh_known_hosts'],
      userKnownHosts: opts.userKnownHosts ?? join(homedir(), '.ssh', 'known_hosts'),
      hostKeyPolicy: opts.hostKeyPolicy,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      keepaliveMs: opts.keepaliveMs ?? 15_000,
      agent: opts.agent ?? process.env.SSH_AUTH_SOCK,
      reconnect: { tries: 4, baseMs: 500, capMs: 4_000, ...opts.reconnect },
      maxSessionsPerConnection: opts.maxSessionsPerConnection ?? 9,
      killVia: opts.killVia ?? 'auto',
      localUser: opts.localUser ?? safeUserName(),
      onSessionRefused: opts.onSessionRefused,
    };
  }

  /** A Transport bound to one machine. */
  transport(target: Target): Transport {
    return { exec: (command, opts) => this.exec(target, command, opts) };
  }

  async exec(target: Target, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const started = Date.now();
    const deadline = callDeadline(opts);
    const cancelled = (): ExecResult => ({
      code: null,
      stdout: '',
      stderr: '',
      durationMs: Date.now() - started,
      ...(deadline.reason() === 'timeout' ? { timedOut: true } : { aborted: true }),
    });
    try {
      const r = await this.withSession(target, deadline.signal, async (client, ep, release) => {
        try {
          const cancellable = opts.signal !== undefined || opts.timeoutMs !== undefined;
          const killVia = cancellable ? this.killViaFor(client, ep) : 'signal';
          return await execOnClient(client, target.name, command, opts, deadline, started, killVia);
        } finally {
          release();
        }
      });
      return r ?? cancelled();
    } finally {
      deadline.done();
    }
  }

  /**
   * Opens one exec channel that stays open (stdin not closed) on the machine's pooled connection,
   * connecting if needed, for a caller that talks to the command over stdin/stdout (a persistent
   * shell). `command` gets the kill mode so it can add the pid marker. The channel holds one session
   * slot until it closes. Resolves undefined when `signal` aborts first; rejects with a
   * TransportError when the machine cannot be reached or refuses the channel.
   */
  openChannel(target: Target, command: (killVia: 'marker' | 'signal') => string, signal: AbortSignal): Promise<OpenedChannel | undefined> {
    return this.withSession(target, signal, (client, ep, release) => openLongChannel(client, command, this.killViaFor(client, ep), signal, release));
  }

  /**
   * Connects (one shared connect), takes a session slot and calls `start`, which owns the slot from
   * then on (`release` is idempotent). When the channel could not be opened the command never
   * started, so trying again is safe: on a new connection if this one just dropped; on the same one
   * if sshd refused the session (it frees finished sessions a little after their channels close, so
   * a burst can briefly exceed MaxSessions). Undefined when `signal` aborts first.
   */
  private async withSession<T>(target: Target, signal: AbortSignal, start: (client: Client, ep: SshEndpoint, release: () => void) => Promise<T>): Promise<T | undefined> {
    const chain = this.chainOf(target.name, target.ssh);
    let drops = 0;
    let refusals = 0;
    for (;;) {
      const conn = this.connFor(chain);
      const client = await untilAborted(this.ensure(chain), signal);
      if (client === undefined) return undefined;
      if (!(await conn.slots.acquire(signal))) return undefined;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        conn.slots.release();
      };
      try {
        if (signal.aborted) {
          release();
          return undefined;
        }
        return await start(client, conn.hop.endpoint, release);
      } catch (e) {
        release();
        if (!isChannelOpenError(e)) throw e;
        await sleep(20);
        if (conn.client !== client) {
          if (drops++ < 1) continue;
        } else if (refusals++ < 5 && !signal.aborted) {
          if (refusals === 1) this.o.onSessionRefused?.(target.name);
          await sleep(50 * 2 ** refusals);
          continue;
        }
        if (signal.aborted) return undefined;
        throw new TransportError('closed', target.name, `cannot start a command: ${e.error.message}`, { cause: e.error });
      }
    }
  }

  async pty(target: Target, opts: PtyOptions): Promise<PtySession> {
    const chain = this.chainOf(target.name, target.ssh);
    const conn = this.connFor(chain);
    const client = await this.ensure(chain);
    await conn.slots.acquire();
    try {
      return await openPtyOnClient(client, opts, () => conn.slots.release());
    } catch (e) {
      conn.slots.release();
      throw new TransportError('closed', target.name, `cannot open a terminal: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Closes the connection(s) to `name` (every chain ending at it), or all connections. Connections
   * through a closed jump host drop with it. The pool stays usable: later commands connect again.
   */
  async close(name?: string): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const c of this.conns.values()) {
      if (name !== undefined && c.hop.name !== name) continue;
      c.everConnected = false;
      const client = c.client;
      c.client = undefined;
      if (client) {
        waits.push(
          new Promise<void>((r) => {
            const t = setTimeout(r, 2000);
            client.once('close', () => {
              clearTimeout(t);
              r();
            });
          }),
        );
        client.end();
      }
    }
    await Promise.all(waits);
  }

  stats(): SshPoolStats {
    const hosts: SshHostStats[] = [];
    let connections = 0;
    let connects = 0;
    for (const c of this.conns.values()) {
      if (c.client) connections++;
      connects += c.connects;
      const h: SshHostStats = {
        key: c.key,
        name: c.hop.name,
        state: c.client ? 'ready' : c.connecting ? 'connecting' : 'down',
        connects: c.connects,
        active: c.slots.active,
        queued: c.slots.queued,
      };
      if (c.via) h.via = c.via;
      if (c.lastError) h.lastError = c.lastError;
      hosts.push(h);
    }
    return { connections, connects, hosts };
  }

  private killViaFor(client: Client, ep: SshEndpoint): 'marker' | 'signal' {
    if (this.o.killVia !== 'auto') return this.o.killVia;
    const software = (client as unknown as { _remoteVer?: string })._remoteVer ?? '';
    return ep.user === 'root' && /^OpenSSH/i.test(software) ? 'marker' : 'signal';
  }

  // --- chains -----------------------------------------------------------------------------

  /** The hops to reach `name`, outermost first, ending with the machine itself. */
  private chainOf(name: string, ep: SshEndpoint): Hop[] {
    return chainOf({ resolve: this.o.resolve, localUser: this.o.localUser }, name, ep);
  }

  private connFor(chain: Hop[]): Conn {
    const key = chain.map(hopKey).join('>');
    let c = this.conns.get(key);
    if (!c) {
      c = {
        key,
        hop: chain[chain.length - 1],
        via: chain.length > 1 ? chain[chain.length - 2].name : undefined,
        connects: 0,
        everConnected: false,
        slots: new SessionSlots(this.o.maxSessionsPerConnection),
      };
      this.conns.set(key, c);
    }
    return c;
  }

  // --- connecting -------------------------------------------------------------------------

  /** The live client for this chain, connecting (once, shared) if needed. */
  private ensure(chain: Hop[]): Promise<Client> {
    const c = this.connFor(chain);
    if (c.client) return Promise.resolve(c.client);
    if (c.connecting) return c.connecting;
    const p = this.connectWithRetry(c, chain).finally(() => {
      if (c.connecting === p) c.connecting = undefined;
    });
    c.connecting = p;
    return p;
  }

  private async connectWithRetry(c: Conn, chain: Hop[]): Promise<Client> {
    const { tries, baseMs, capMs } = this.o.reconnect;
    const max = c.everConnected ? Math.max(1, tries) : 1;
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await this.connectOnce(c, chain);
        c.lastError = undefined;
        return client;
      } catch (e) {
        const te =
          e instanceof TransportError ? e : new TransportError('unreachable', c.hop.name, (e as Error).message, { cause: e });
        c.lastError = te.message;
        const transient = te.kind === 'unreachable' || te.kind === 'closed';
        if (!transient || attempt + 1 >= max) throw te;
        await sleep(Math.min(capMs, baseMs * 2 ** attempt));
      }
    }
  }

  private async connectOnce(c: Conn, chain: Hop[]): Promise<Client> {
    const hop = chain[chain.length - 1];
    const ep = hop.endpoint;
    let sock: Duplex | undefined;
    if (chain.length > 1) {
      const parentChain = chain.slice(0, -1);
      const parent = await this.ensure(parentChain);
      sock = await forwardOut(parent, hop, c.via!);
    }
    const files = ep.identityFiles.length ? ep.identityFiles : defaultIdentityFiles();
    const { keys, problems } = await this.keys.load(files);
    const client = await connectClient({
      name: hop.name,
      endpoint: ep,
      sock,
      via: c.via,
      keys,
      keyProblems: problems,
      agent: this.o.agent,
      policy: this.o.hostKeyPolicy,
      userKnownHosts: this.o.userKnownHosts,
      knownHostsFiles: [...this.o.knownHostsFiles, ...ep.knownHosts],
      timeoutMs: this.o.connectTimeoutMs,
      keepaliveMs: this.o.keepaliveMs,
    });
    c.client = client;
    c.connects++;
    c.everConnected = true;
    client.on('error', (e: Error) => {
      c.lastError = `${hop.name}: ${e.message}`;
    });
    client.on('close', () => {
      if (c.client === client) c.client = undefined;
    });
    return client;
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
