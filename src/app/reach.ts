/**
 * Reaching the machines of a fleet: one SSH pool, one BMC driver per machine, consoles through
 * SOL or a console server. Probes and runs get their dependencies from here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Fleet, Machine } from '../model/fleet.js';
import type { ExecOptions, ExecResult, PtyOptions, PtySession, Target } from '../transport/types.js';
import { SshPool } from '../transport/ssh/pool.js';
import { PersistentShells } from '../transport/ssh/probeShell.js';
import { HostKeyPolicy, type UnknownHostAnswer, type UnknownHostQuestion } from '../transport/ssh/hostKeyPolicy.js';
import { bmcDriverFor, type BmcDriver } from '../transport/ipmi/driver.js';
import type { ProbeDeps } from '../probe/prober.js';
import { isApplianceRole } from '../probe/plan.js';
import { parsePowerStatus } from '../transport/ipmi/parse.js';

export interface ReachOptions {
  acceptNewHostKeys?: boolean;
  onUnknownHostKey?(q: UnknownHostQuestion): Promise<UnknownHostAnswer>;
  passphrase?(keyFile: string): Promise<string | undefined>;
  connectTimeoutMs?: number;
  userKnownHosts?: string;
}

/** A fleet served by the lab: its inventory sits beside the lab's control socket. */
export function isLabFleet(fleet: Fleet): boolean {
  return !!fleet.lab || (!!fleet.source && existsSync(join(dirname(fleet.source), 'lab.pid')));
}

export class Reach {
  readonly pool: SshPool;
  /** One long-lived shell per machine for the probe rounds (appliances get plain exec). */
  readonly shells: PersistentShells;
  private readonly bmcs = new Map<string, BmcDriver>();

  constructor(
    readonly fleet: Fleet,
    opts: ReachOptions = {},
  ) {
    const policy = new HostKeyPolicy({
      acceptNew: opts.acceptNewHostKeys,
      onUnknown: opts.onUnknownHostKey ? (_h, _p, _t, _f, q) => opts.onUnknownHostKey!(q) : undefined,
    });
    this.pool = new SshPool({
      resolve: (name) => this.machine(name)?.ssh,
      hostKeyPolicy: policy,
      connectTimeoutMs: opts.connectTimeoutMs ?? 8000,
      passphrase: opts.passphrase,
      userKnownHosts: opts.userKnownHosts,
      // the lab's simulated shells answer SSH signal requests; real hosts get the pid marker
      killVia: isLabFleet(fleet) ? 'signal' : 'marker',
      // a host with few sessions (MaxSessions 1): the probe shell gives its session back
      onSessionRefused: (name) => this.shells.yieldSession(name),
    });
    this.shells = new PersistentShells(this.pool);
  }

  machine(name: string): Machine | undefined {
    return this.fleet.machines.find((m) => m.name === name);
  }

  target(name: string): Target {
    const m = this.machine(name);
    if (!m) throw new Error(`unknown machine '${name}'`);
    if (!m.ssh) throw new Error(`${name}: no SSH endpoint in the inventory`);
    return { name, ssh: m.ssh };
  }

  exec(name: string, command: string, opts?: ExecOptions): Promise<ExecResult> {
    return this.pool.exec(this.target(name), command, opts);
  }

  pty(name: string, opts: PtyOptions): Promise<PtySession> {
    return this.pool.pty(this.target(name), opts);
  }

  bmc(name: string): BmcDriver | undefined {
    const m = this.machine(name);
    if (!m?.bmc) return undefined;
    let d = this.bmcs.get(name);
    if (!d) this.bmcs.set(name, (d = bmcDriverFor(name, m.bmc)));
    return d;
  }

  /** Serial console: SOL when the machine has a BMC, else `console NAME` on its console server. */
  async console(name: string, size: { cols: number; rows: number } = { cols: 120, rows: 40 }): Promise<PtySession> {
    const m = this.machine(name);
    if (!m) throw new Error(`unknown machine '${name}'`);
    if (m.console) return this.pty(m.console.server, { ...size, command: `console ${m.console.port}` });
    const b = this.bmc(name);
    if (b) return b.sol(size);
    throw new Error(`${name}: no console (no BMC and no console server in the inventory)`);
  }

  /** Power through the BMC; without one, through the power strip's outlet. */
  async power(name: string, action: 'status' | 'on' | 'off' | 'cycle' | 'reset' | 'soft', signal?: AbortSignal): Promise<string> {
    const m = this.machine(name);
    const b = this.bmc(name);
    if (b) return (await b.power(action, signal)).output;
    if (m?.power) {
      const verb = { status: 'olStatus', on: 'olOn', off: 'olOff', cycle: 'olReboot', reset: 'olReboot', soft: 'olOff' }[action];
      const r = await this.exec(m.power.strip, `${verb} ${m.power.outlet}`, { signal, timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`${m.power.strip}: ${verb} ${m.power.outlet} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
      return r.stdout;
    }
    throw new Error(`${name}: no BMC and no power strip outlet in the inventory`);
  }

  probeDeps(): ProbeDeps {
    return {
      // every refresh writes its script to the machine's persistent shell: no new channel, sshd
      // session process or login shell per round; a switch's or power strip's CLI is no shell
      exec: (m, command, opts) => (isApplianceRole(m) ? this.exec(m.name, command, opts) : this.shells.exec(this.target(m.name), command, opts)),
      bmc: async (m, signal) => {
        const b = this.bmc(m.name)!;
        const [p, sel] = await Promise.all([b.power('status', signal), b.sel(signal).catch(() => [])]);
        return { power: p.power ?? parsePowerStatus(p.output), sel };
      },
    };
  }

  async close(): Promise<void> {
    this.shells.close();
    await this.pool.close();
  }
}
