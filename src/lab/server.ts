/**
 * One SSH server per lab machine on 127.0.0.1. A plain TCP listener decides per connection:
 * a reachable machine hands the socket to its ssh2 Server; a machine that is off, booting,
 * panicked, hung or cut from the network accepts the TCP connection and says nothing (the
 * client times out), and the socket is dropped after a bounded time.
 */
import { createServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, Server as SshServer } from 'ssh2';
import type { LabMachine } from './state.js';
import type { LabWorld } from './world.js';
import type { RunLine } from './runLine.js';
import { generateEd25519, publicKeyAccepted, validPrivateKey } from './keys.js';
import { handleSession } from './sessions.js';
import { sshReachable } from './power.js';


export interface MachineServerOptions {
  world: LabWorld;
  name: string;
  /** The lab client key: the only key accepted. */
  clientKey: ParsedKey;
  runLine: RunLine;
  /** Silent sockets of an unreachable machine are closed after this long (ms). */
  blackholeMs?: number;
  /** How often open sessions are checked against the machine's state (ms). */
  pollMs?: number;
  stdinGraceMs?: number;
}

const DEFAULT_BLACKHOLE_MS = 60_000;
const DEFAULT_POLL_MS = 500;
const AUTH_TIMEOUT_MS = 30_000;

export class MachineServer {
  private readonly tcp: NetServer;
  private ssh: SshServer;
  private readonly live = new Set<Socket>();
  private readonly silent = new Set<Socket>();
  private readonly poll: NodeJS.Timeout;
  private readonly onPower: (name: string, on: boolean) => void;
  private readonly onHostKey: (name: string) => void;
  port = 0;

  constructor(private readonly o: MachineServerOptions) {
    this.ssh = this.makeSsh();
    this.tcp = createServer({ keepAlive: true, noDelay: true }, (s) => this.accept(s));
    this.tcp.on('error', () => undefined);
    this.onPower = (name) => {
      if (name === o.name) this.checkLive();
    };
    this.onHostKey = (name) => {
      if (name === o.name) this.rekey();
    };
    o.world.on('power', this.onPower);
    o.world.on('hostkey', this.onHostKey);
    this.poll = setInterval(() => this.checkLive(), o.pollMs ?? DEFAULT_POLL_MS);
    this.poll.unref();
  }

  get machine(): LabMachine {
    const m = this.o.world.machine(this.o.name);
    if (!m) throw new Error(`lab machine ${this.o.name} is gone`);
    return m;
  }

  /** Listen on `port` (0: any free port). Rejects with the listen error (EADDRINUSE…). */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onErr = (e: Error) => reject(e);
      this.tcp.once('error', onErr);
      this.tcp.listen(port, '127.0.0.1', () => {
        this.tcp.off('error', onErr);
        const a = this.tcp.address();
        this.port = typeof a === 'object' && a ? a.port : port;
        resolve(this.port);
      });
    });
  }

  /** The machine's host key changed: new handshakes use it; the listening port stays. */
  rekey(): void {
    const m = this.machine;
    // A key ssh2 cannot load would kill the lab: the reinstalled machine gets another one.
    if (!validPrivateKey(m.hostKey)) m.hostKey = generateEd25519(`root@${m.name}`).private;
    const old = this.ssh;
    try {
      this.ssh = this.makeSsh();
    } catch {
      return; // keep serving the old key rather than dying
    }
    old.removeAllListeners('connection');
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    this.o.world.off('power', this.onPower);
    this.o.world.off('hostkey', this.onHostKey);
    for (const s of [...this.live, ...this.silent]) s.destroy();
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }

  private makeSsh(): SshServer {
    const srv = new ssh2.Server({ hostKeys: [this.machine.hostKey], ident: 'OpenSSH_9.2p1 Debian-2+deb12u3' });
    srv.on('connection', (client) => this.client(client));
    srv.on('error', () => undefined);
    return srv;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    this.o.world.advance();
    if (!sshReachable(this.machine)) {
      this.silent.add(socket);
      socket.on('data', () => undefined);
      const t = setTimeout(() => socket.destroy(), this.o.blackholeMs ?? DEFAULT_BLACKHOLE_MS);
      t.unref();
      socket.on('close', () => {
        clearTimeout(t);
        this.silent.delete(socket);
      });
      return;
    }
    this.live.add(socket);
    socket.on('close', () => this.live.delete(socket));
    this.ssh.injectSocket(socket);
  }

  /** Cut every open connection when the machine is no longer reachable. */
  private checkLive(): void {
    if (!this.live.size) return;
    if (sshReachable(this.machine)) return;
    for (const s of this.live) s.destroy();
    this.live.clear();
  }

  private client(client: Connection): void {
    client.on('error', () => undefined);
    const authTimer = setTimeout(() => client.end(), AUTH_TIMEOUT_MS);
    authTimer.unref();
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && ctx.username === 'root' && publicKeyAccepted(this.o.clientKey, ctx)) {
        ctx.accept();
        return;
      }
      ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      clearTimeout(authTimer);
      client.on('session', (accept) => {
        const session = accept();
        handleSession(session, { world: this.o.world, machine: this.machine, runLine: this.o.runLine, stdinGraceMs: this.o.stdinGraceMs });
      });
      client.on('request', (accept, reject) => reject?.());
      client.on('tcpip', (_a, reject) => reject?.());
      client.on('openssh.streamlocal', (_a, reject) => reject?.());
    });
    client.on('close', () => clearTimeout(authTimer));
  }
}
