/**
 * Start the whole lab: world (from a scenario or given), one SSH server per machine, the
 * control socket, tickers (scheduled faults are one, from the scenario), and the files in DIR. `stop()` undoes it.
 */
import { join, resolve } from 'node:path';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import type { LabWorld } from './world.js';
import type { RunLine } from './runLine.js';
import type { ActionInfo, ControlDeps } from './control.js';
import { ControlServer } from './control.js';
import { MachineServer } from './server.js';
import { parseOneKey, validPrivateKey } from './keys.js';
import { loadScenario } from './scenario.js';
import { installTickers } from './commands/index.js';
import { runCommandLine } from './shell/interpreter.js';
import { FAULTS, injectFault } from './faults.js';
import { bmcRequest } from './bmc.js';
import { HANDS, doHands } from './hands.js';
import {
  ensureClientKey,
  hostKeyFor,
  labPaths,
  loadPorts,
  removeRunMarkers,
  runningLabPid,
  saveHostKey,
  savePorts,
  writeClientFiles,
  writeRunMarkers,
} from './labDir.js';
import type { ReadyInfo } from './labDir.js';

export interface StartLabOptions {
  dir: string;
  /** Scenario YAML file (default: the built-in scenario). Ignored when `world` is given. */
  scenario?: string;
  speed?: number;
  /** Use this world instead of loading a scenario (tests). */
  world?: LabWorld;
  inventory?: unknown;
  /** Override the shell interpreter and the control ops (tests, or before they exist). */
  runLine?: RunLine;
  deps?: Partial<Omit<ControlDeps, 'world' | 'runLine'>>;
  /** First SSH port to try for machines without a remembered or scenario port; 0: any free port. */
  basePort?: number;
  /** World tickers period (ms real time). */
  tickMs?: number;
  /** Silent sockets of an unreachable machine are closed after this long (ms). */
  blackholeMs?: number;
  /** Told about things worth a line on the lab's terminal (host key changes, fault injections). */
  log?: (line: string) => void;
}

export interface RunningLab {
  dir: string;
  world: LabWorld;
  /** Machine name → SSH port. */
  ports: Record<string, number>;
  ready: ReadyInfo;
  stop(): Promise<void>;
}

export class LabAlreadyRunningError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`a lab is already running in ${dir} (pid ${pid})`);
    this.name = 'LabAlreadyRunningError';
  }
}

/** Dirs with a lab started by this process. */
const active = new Set<string>();

type AnyModule = Record<string, unknown>;

/** Turn FAULTS / HANDS (a record or a list) into name + summary rows. */
export function actionList(table: unknown): ActionInfo[] {
  if (!table) return [];
  const entries: [string, unknown][] = Array.isArray(table)
    ? table.map((t) => [String((t as AnyModule)?.name ?? t), t])
    : Object.entries(table as AnyModule);
  return entries.map(([name, v]) => {
    const o = (v && typeof v === 'object' ? v : {}) as AnyModule;
    const summary = String(o.description ?? o.summary ?? o.help ?? o.title ?? (typeof v === 'string' ? v : ''));
    const args = o.args ?? o.arg ?? o.usage;
    return { name, summary, ...(typeof args === 'string' ? { args } : {}) };
  });
}

const DEFAULT_DEPS: Partial<ControlDeps> = {
  injectFault,
  faults: () => actionList(FAULTS),
  doHands,
  hands: () => actionList(HANDS),
  bmcRequest: bmcRequest as ControlDeps['bmcRequest'],
};

/** Host keys kept in DIR/hostkeys, so a restarted lab keeps them. */
function savedHostKeys(dir: string): Record<string, string> {
  const d = labPaths(dir).hostkeys;
  const out: Record<string, string> = {};
  if (!existsSync(d)) return out;
  for (const name of readdirSync(d)) {
    const k = readFileSync(join(d, name), 'utf8');
    if (validPrivateKey(k)) out[name] = k;
  }
  return out;
}

function savedBmcPassword(dir: string): string | undefined {
  try {
    const pw = readFileSync(join(dir, 'bmc-password'), 'utf8').split('\n')[0];
    return pw || undefined;
  } catch {
    return undefined;
  }
}

function isAddrInUse(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}

export async function startLab(opts: StartLabOptions): Promise<RunningLab> {
  const dir = resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  const pid = runningLabPid(dir);
  if (pid !== undefined && (pid !== process.pid || active.has(dir))) throw new LabAlreadyRunningError(dir, pid);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let world = opts.world;
  let inventory = opts.inventory;
  if (!world) {
    const s = loadScenario(opts.scenario, {
      speed: opts.speed,
      hostKeys: savedHostKeys(dir),
      bmcPassword: savedBmcPassword(dir),
      // keepalived's election lives in the services module (3 × advert_int failover, nopreempt, health checks)
      vrrp: false,
      onFault: (f) => log(`scheduled fault ${f.fault}${f.machine ? ` on ${f.machine}` : ''}: ${f.error ?? f.result ?? 'injected'}`),
    });
    world = s.world;
    // resync/resilver completion, replication, HA recovery, keepalived, boot-time services
    installTickers(world);
    inventory ??= s.inventory;
  } else if (opts.speed !== undefined) world.clock.speed = opts.speed;
  const w = world;
  // Every machine server, console line and control client listens to the world.
  w.setMaxListeners(0);
  const runLine: RunLine = opts.runLine ?? runCommandLine;
  const deps: ControlDeps = { ...DEFAULT_DEPS, ...opts.deps, world: w, runLine };

  const client = ensureClientKey(dir);
  const clientKey = parseOneKey(client.public, 'lab client key');
  const remembered = loadPorts(dir);
  const servers: MachineServer[] = [];
  const ports: Record<string, number> = {};
  let control: ControlServer | undefined;
  const timers: NodeJS.Timeout[] = [];
  const onHostKey = (name: string) => {
    const m = w.machine(name);
    if (!m) return;
    saveHostKey(dir, name, m.hostKey);
    log(`${name}: host key changed (ssh will refuse it until the old known_hosts line is removed)`);
  };
  const stop = async () => {
    for (const t of timers) clearTimeout(t);
    w.off('hostkey', onHostKey);
    await Promise.all(servers.map((s) => s.close()));
    await control?.close();
    removeRunMarkers(dir);
    active.delete(dir);
  };
  active.add(dir);
  try {
    let i = 0;
    for (const m of w.machines.values()) {
      m.hostKey = hostKeyFor(dir, m.name, m.hostKey);
      const srv = new MachineServer({ world: w, name: m.name, clientKey, runLine, blackholeMs: opts.blackholeMs });
      servers.push(srv);
      const base = opts.basePort ?? 2201;
      const candidates = [remembered[m.name], m.sshPort > 0 ? m.sshPort : undefined, base > 0 ? base + i : undefined].filter((p): p is number => !!p);
      let port: number | undefined;
      for (const c of [...new Set(candidates)]) {
        if (Object.values(ports).includes(c)) continue;
        try {
          port = await srv.listen(c);
          break;
        } catch (e) {
          if (!isAddrInUse(e)) throw e;
        }
      }
      port ??= await srv.listen(0);
      m.sshPort = port;
      ports[m.name] = port;
      i++;
    }
    savePorts(dir, { ...remembered, ...ports });
    w.on('hostkey', onHostKey);
    const entries = [...w.machines.values()].map((m) => ({ name: m.name, port: m.sshPort, hostKey: m.hostKey }));
    writeClientFiles(dir, w, entries, inventory);
    const p = labPaths(dir);
    control = new ControlServer(p.control, deps);
    await control.listen();
    const tick = setInterval(() => w.advance(), opts.tickMs ?? 1000);
    tick.unref();
    timers.push(tick);
    const ready: ReadyInfo = { pid: process.pid, dir, control: p.control, sshConfig: p.sshConfig, inventory: p.inventory, machines: ports, startedAt: new Date().toISOString() };
    writeRunMarkers(dir, ready);
    return { dir, world: w, ports, ready, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
