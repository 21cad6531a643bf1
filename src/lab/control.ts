/**
 * The lab control socket (DIR/control.sock): JSON lines `{id, op, ...}` → `{id, ok, result?|error?}`.
 * Ops: status, faults, fault {name, machine, arg}, hands-list, hands {action, machine, args},
 * bmc {machine, user, password, bmcOp, arg, persistent}, sol {machine, user, password} (the connection then
 * carries the raw serial console of the machine until `~.`). Passwords only travel inside the payload.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { LabWorld } from './world.js';
import type { RunLine } from './runLine.js';
import { attachSerial } from './serialAttach.js';
import { hasAc, sshReachable } from './power.js';

/** A named action (fault or hands) as the lab lists it. */
export interface ActionInfo {
  name: string;
  summary: string;
  args?: string;
}

/** The world-changing functions the control socket calls (provided by run.ts). */
export interface ControlDeps {
  world: LabWorld;
  runLine: RunLine;
  faults?: () => ActionInfo[];
  injectFault?: (world: LabWorld, name: string, machine: string, arg?: string) => unknown;
  hands?: () => ActionInfo[];
  doHands?: (world: LabWorld, action: string, machine: string, args: string[]) => unknown;
  /** Resolves to the BMC's answer as is (`{ok, output}` or `{ok: false, error}` for the lab BMC). */
  bmcRequest?: (world: LabWorld, machine: string, req: BmcRequest) => unknown;
}

export interface BmcRequest {
  user: string;
  password: string;
  op: string;
  arg?: string;
  persistent?: boolean;
}

const MAX_LINE = 64 * 1024;

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || !v) throw new Error(`missing ${what}`);
  return v;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Machines with an active SOL session. */
  private readonly sol = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly deps: ControlDeps,
  ) {
    this.server = createServer((s) => this.connection(s));
  }

  listen(): Promise<void> {
    rmSync(this.path, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.path, () => {
        this.server.off('error', reject);
        chmodSync(this.path, 0o600);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.path, { force: true });
  }

  private connection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    let raw: ((data: string) => void) | undefined;
    const onData = (d: Buffer) => {
      if (raw) {
        raw(d.toString('utf8'));
        return;
      }
      buf += d.toString('utf8');
      if (buf.length > MAX_LINE && !buf.includes('\n')) {
        socket.end(JSON.stringify({ id: null, ok: false, error: 'request too long' }) + '\n');
        return;
      }
      let nl: number;
      while (!raw && (nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        let req: Record<string, unknown>;
        try {
          req = JSON.parse(line) as Record<string, unknown>;
          if (!req || typeof req !== 'object') throw new Error();
        } catch {
          socket.write(JSON.stringify({ id: null, ok: false, error: 'not a JSON object' }) + '\n');
          continue;
        }
        if (req.op === 'sol') {
          raw = this.startSol(socket, req);
          if (raw && buf) raw(buf);
          buf = '';
          continue;
        }
        void this.answer(req).then((reply) => {
          if (!socket.destroyed) socket.write(JSON.stringify(reply) + '\n');
        });
      }
    };
    socket.on('data', onData);
  }

  private async answer(req: Record<string, unknown>): Promise<{ id: unknown; ok: boolean; result?: unknown; error?: string }> {
    try {
      return { id: req.id, ok: true, result: await this.op(req) };
    } catch (e) {
      return { id: req.id, ok: false, error: (e as Error).message || String(e) };
    }
  }

  private machine(req: Record<string, unknown>) {
    const name = str(req.machine, 'machine');
    const m = this.deps.world.machine(name);
    if (!m) throw new Error(`no machine '${name}' in the lab (known: ${[...this.deps.world.machines.keys()].join(', ')})`);
    return m;
  }

  private async op(req: Record<string, unknown>): Promise<unknown> {
    const { world } = this.deps;
    switch (req.op) {
      case 'status':
        world.advance();
        return {
          pid: process.pid,
          time: world.now(),
          speed: world.clock.speed,
          machines: [...world.machines.values()].map((m) => ({
            name: m.name,
            power: m.power,
            boot: m.boot,
            networkDown: m.networkDown,
            sshPort: m.sshPort,
            reachable: sshReachable(m),
            readyAt: m.readyAt,
          })),
        };
      case 'faults':
        return this.deps.faults?.() ?? [];
      case 'hands-list':
        return this.deps.hands?.() ?? [];
      case 'fault': {
        const name = str(req.name, 'fault name');
        const known = this.deps.faults?.() ?? [];
        if (!this.deps.injectFault) throw new Error('this lab has no faults');
        if (known.length && !known.some((f) => f.name === name)) throw new Error(`unknown fault '${name}' (known: ${known.map((f) => f.name).join(', ')})`);
        const m = this.machine(req);
        const arg = typeof req.arg === 'string' ? req.arg : undefined;
        return (await this.deps.injectFault(world, name, m.name, arg)) ?? null;
      }
      case 'hands': {
        const action = str(req.action, 'action');
        const known = this.deps.hands?.() ?? [];
        if (!this.deps.doHands) throw new Error('this lab has no hands');
        if (known.length && !known.some((f) => f.name === action)) throw new Error(`unknown action '${action}' (known: ${known.map((f) => f.name).join(', ')})`);
        const m = this.machine(req);
        const args = Array.isArray(req.args) ? req.args.map(String) : [];
        return (await this.deps.doHands(world, action, m.name, args)) ?? null;
      }
      case 'bmc': {
        if (!this.deps.bmcRequest) throw new Error('this lab has no BMCs');
        const m = this.machine(req);
        const breq: BmcRequest = {
          user: typeof req.user === 'string' ? req.user : '',
          password: typeof req.password === 'string' ? req.password : '',
          op: str(req.bmcOp, 'bmcOp (the BMC operation)'),
          arg: typeof req.arg === 'string' ? req.arg : undefined,
          persistent: req.persistent === true,
        };
        return (await this.deps.bmcRequest(world, m.name, breq)) ?? null;
      }
      default:
        throw new Error(`unknown op '${String(req.op)}'`);
    }
  }

  /** Check credentials, reply, and return the raw input handler (undefined when refused). */
  private startSol(socket: Socket, req: Record<string, unknown>): ((data: string) => void) | undefined {
    const refuse = (error: string) => {
      socket.end(JSON.stringify({ id: req.id, ok: false, error }) + '\n');
      return undefined;
    };
    let m;
    try {
      m = this.machine(req);
    } catch (e) {
      return refuse((e as Error).message);
    }
    const user = typeof req.user === 'string' ? req.user : '';
    const password = typeof req.password === 'string' ? req.password : '';
    // As ipmitool: no BMC, no AC and bad credentials all look the same.
    if (!m.bmc || !hasAc(this.deps.world, m) || user !== m.bmc.user || !sameSecret(password, m.bmc.password)) return refuse('Error: Unable to establish IPMI v2 / RMCP+ session');
    if (this.sol.has(m.name)) return refuse('SOL payload already active on another session');
    this.sol.add(m.name);
    const name = m.name;
    socket.write(JSON.stringify({ id: req.id, ok: true, result: { attached: name } }) + '\n');
    const viewer = attachSerial(this.deps.world, m, this.deps.runLine, {
      write: (t) => {
        if (!socket.destroyed) socket.write(t);
      },
      onDetach: () => socket.end(),
    });
    socket.on('close', () => {
      viewer.close();
      this.sol.delete(name);
    });
    return (data) => viewer.input(data);
  }
}
