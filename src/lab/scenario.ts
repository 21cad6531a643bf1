/**
 * Loads a lab scenario (YAML): validates it (errors as `FILE:LINE:COL: message`), builds the
 * LabWorld, returns the inventory part as plain data and the faults scheduled on the lab clock.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { parseDuration } from '../model/duration.js';
import { LabClock } from './clock.js';
import { FAULTS, injectFault, recoveryTicker } from './faults.js';
import { powerTicker } from './power.js';
import { buildWorld, type Path } from './scenario-build.js';
import { scenarioSchema, type ScenarioDoc } from './scenario-schema.js';
import { vrrpTicker } from './vrrp.js';
import { LabWorld } from './world.js';

export interface ScheduledFault {
  fault: string;
  /** Empty when the fault finds its machine (mysql-primary-crash, director-crash). */
  machine: string;
  arg?: string;
  /** Lab ms (absolute) when it fires. */
  at: number;
  fired: boolean;
  /** What happened (injectFault's answer) or why it could not fire. */
  result?: string;
  error?: string;
}

export interface LoadOptions {
  /** Lab clock speed (lab ms per real ms), default 1. */
  speed?: number;
  /** Lab start time (ms since epoch); default the scenario's `lab.start`, else now. */
  now?: number;
  /** Use this clock (tests: a clock driven by hand); `speed` and `now` are then ignored. */
  clock?: LabClock;
  /** SSH port of the first machine; the others follow in file order. Default 2201. */
  basePort?: number;
  /** Host keys to reuse by machine name (OpenSSH private key text), so known_hosts stays valid. */
  hostKeys?: Record<string, string>;
  /** Password of every lab BMC; default the scenario's `lab.bmc_password`, else random. */
  bmcPassword?: string;
  /** Fire scheduled faults from a world ticker (default true). */
  scheduleFaults?: boolean;
  /** Run the world's own keepalived election ticker (vrrp.ts); false when another module elects VRRP masters. Default true. */
  vrrp?: boolean;
  /** Told each time a scheduled fault fires. */
  onFault?: (f: ScheduledFault) => void;
}

export interface LoadedScenario {
  world: LabWorld;
  /** The inventory part as plain data (INVENTORY-FORMAT.md), without lab: blocks, with generated disks, ssh and bmc. */
  inventory: Record<string, unknown>;
  scheduledFaults: ScheduledFault[];
  bmcPassword: string;
  /** Absolute path of the file read. */
  file: string;
}

/** Every problem of a scenario, each `FILE:LINE:COL: message`. */
export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}

/** The shipped default scenario (works from src/ and from dist/). */
export function defaultScenarioPath(): string {
  const candidates = [
    new URL('./scenarios/default.yaml', import.meta.url),
    new URL('../../src/lab/scenarios/default.yaml', import.meta.url),
    new URL('../../scenarios/default.yaml', import.meta.url),
  ].map((u) => fileURLToPath(u));
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

type Located = { range?: [number, number, number] | null };

/** Offset of the value at `path` (of its key with `atKey`); the deepest existing ancestor when it is missing. */
function offsetAt(doc: Document, path: Path, atKey = false): number {
  let node: unknown = doc.contents;
  let best = (node as Located | null)?.range?.[0] ?? 0;
  for (const [i, step] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
      if (!pair) break;
      best = (pair.key as Located | null)?.range?.[0] ?? best;
      node = pair.value;
      if (atKey && i === path.length - 1) break;
      if ((node as Located | null)?.range && !isMap(node) && !(node as { items?: unknown }).items) best = (node as Located).range![0];
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      const item = (node as { items: unknown[] }).items[Number(step)];
      if (item === undefined) break;
      node = item;
      best = (item as Located).range?.[0] ?? best;
    } else break;
  }
  return best;
}

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parse, validate and build a scenario from YAML text. `file` is used in messages. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    throw new ScenarioError(doc.errors.map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`));
  }
  const problems: string[] = [];
  const problem = (path: Path, message: string, atKey = false) => problems.push(`${where(offsetAt(doc, path, atKey))}: ${pathText(path)}: ${message}`);

  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Path;
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problem([...path, k], `unknown key ${k}`, true);
      } else problem(path, issue.message);
    }
    throw new ScenarioError(problems);
  }
  const sc: ScenarioDoc = parsed.data;

  const startFromDoc = sc.lab?.start ? Date.parse(sc.lab.start) : undefined;
  if (sc.lab?.start && Number.isNaN(startFromDoc)) problem(['lab', 'start'], 'expected an ISO date like 2026-11-21T03:00:00Z');
  const world = new LabWorld(opts.clock ?? new LabClock(opts.speed ?? 1, opts.now ?? (startFromDoc && !Number.isNaN(startFromDoc) ? startFromDoc : Date.now())));
  const now = world.now();
  const bmcPassword = opts.bmcPassword ?? sc.lab?.bmc_password ?? randomBytes(12).toString('base64url');

  buildWorld(world, sc, { basePort: opts.basePort ?? 2201, hostKeys: opts.hostKeys, bmcPassword }, problem);

  const scheduledFaults: ScheduledFault[] = [];
  (sc.lab?.faults ?? []).forEach((f, i) => {
    if (!FAULTS.some((x) => x.name === f.fault)) problem(['lab', 'faults', i, 'fault'], `unknown fault ${f.fault} (faults: ${FAULTS.map((x) => x.name).join(', ')})`);
    if (f.machine && !world.machines.has(f.machine)) problem(['lab', 'faults', i, 'machine'], `unknown machine ${f.machine}`);
    if (!f.machine && f.fault !== 'mysql-primary-crash' && f.fault !== 'director-crash') problem(['lab', 'faults', i], `fault ${f.fault} needs a machine`);
    scheduledFaults.push({ fault: f.fault, machine: f.machine ?? '', ...(f.arg !== undefined ? { arg: f.arg } : {}), at: now + (f.at ? parseDuration(f.at) ?? 0 : 0), fired: false });
  });
  if (problems.length > 0) throw new ScenarioError(problems);

  vrrpTicker(world);
  world.tickers.push(powerTicker, recoveryTicker);
  if (opts.vrrp !== false) world.tickers.push(vrrpTicker);
  if (opts.scheduleFaults !== false && scheduledFaults.length > 0) {
    world.tickers.push((w) => {
      for (const f of scheduledFaults) {
        if (f.fired || w.now() < f.at) continue;
        f.fired = true;
        try {
          f.result = injectFault(w, f.fault, f.machine, f.arg);
        } catch (e) {
          f.error = e instanceof Error ? e.message : String(e);
        }
        opts.onFault?.(f);
      }
    });
  }

  return { world, inventory: inventoryOf(sc, world, bmcPassword), scheduledFaults, bmcPassword, file };
}

/** Read and build a scenario file (default: the shipped one). Throws ScenarioError with positions. */
export function loadScenario(file?: string, opts: LoadOptions = {}): LoadedScenario {
  const path = file ?? defaultScenarioPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError([`${path}:1:1: cannot read scenario (${code === 'ENOENT' ? 'no such file' : code ?? String(e)})`]);
  }
  return parseScenario(text, path, opts);
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** The inventory part of the scenario, plain data, with what the lab generated filled in. */
function inventoryOf(sc: ScenarioDoc, world: LabWorld, _bmcPassword: string): Record<string, unknown> {
  const machines: Record<string, unknown> = {};
  for (const [name, md] of Object.entries(sc.machines)) {
    const m = world.machine(name)!;
    machines[name] = clean({
      site: md.site,
      rack: md.rack,
      u: md.u,
      height: md.height,
      roles: [...md.roles],
      description: md.description,
      ssh: md.ssh ?? { host: '127.0.0.1', port: m.sshPort, user: 'root' },
      bmc: md.bmc ?? (m.bmc ? { driver: 'lab', address: m.bmc.address, port: 623, user: m.bmc.user, password_file: './bmc-password' } : undefined),
      console: md.console ? { ...md.console } : undefined,
      power: md.power ? { ...md.power } : undefined,
      services: md.services ? [...md.services] : undefined,
      disks: m.disks.length > 0 ? m.disks.map((d) => ({ dev: d.dev, model: d.model, serial: d.serial, size: d.sizeBytes, bay: d.bay })) : undefined,
    });
  }
  const vms: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(sc.vms ?? {})) {
    vms[name] = clean({ id: v.id, type: v.type, node: v.node, priority: v.priority, services: v.services, cpus: v.cpus, memory: v.memory, disk: v.disk });
  }
  const sites: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(sc.sites)) {
    sites[name] = clean({ description: s.description, racks: Object.fromEntries(Object.entries(s.racks).map(([r, v]) => [r, { height: v.height }])) });
  }
  return clean({ defaults: sc.defaults as Record<string, unknown> | undefined, sites, machines, vms });
}
