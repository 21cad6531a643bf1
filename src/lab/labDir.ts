/**
 * The lab directory: what an SSH client and baie need to reach the lab (client key,
 * known_hosts, ssh_config, inventory.yaml, BMC password file), plus the lab's own
 * bookkeeping (host keys, ports, control socket, pid, ready marker).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LabWorld } from './world.js';
import { generateEd25519, parseOneKey, publicKeyLine } from './keys.js';
import type { KeyPair } from './keys.js';

export function labPaths(dir: string) {
  return {
    dir,
    key: join(dir, 'id_ed25519'),
    pub: join(dir, 'id_ed25519.pub'),
    knownHosts: join(dir, 'known_hosts'),
    sshConfig: join(dir, 'ssh_config'),
    inventory: join(dir, 'inventory.yaml'),
    control: join(dir, 'control.sock'),
    pid: join(dir, 'lab.pid'),
    ready: join(dir, 'ready'),
    hostkeys: join(dir, 'hostkeys'),
    ports: join(dir, 'ports.json'),
  };
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The lab client key: generated once, reused when DIR already holds a valid one. */
export function ensureClientKey(dir: string): KeyPair {
  const p = labPaths(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(p.key)) {
    try {
      const priv = readFileSync(p.key, 'utf8');
      parseOneKey(priv, p.key);
      const pub = publicKeyLine(priv) + ' baie-lab';
      if (!existsSync(p.pub)) writeFileSync(p.pub, pub + '\n', { mode: 0o644 });
      chmodSync(p.key, 0o600);
      return { private: priv, public: pub };
    } catch {
      /* unreadable: make a new one */
    }
  }
  const k = generateEd25519('baie-lab');
  writePrivate(p.key, k.private);
  writeFileSync(p.pub, k.public + '\n', { mode: 0o644 });
  return k;
}

/**
 * The host key a machine uses: DIR/hostkeys/NAME when present (so restarts keep keys), else
 * the scenario's key, else a new one; always saved back to DIR/hostkeys/NAME.
 */
export function hostKeyFor(dir: string, name: string, scenarioKey: string | undefined): string {
  const file = join(labPaths(dir).hostkeys, name);
  if (existsSync(file)) {
    const k = readFileSync(file, 'utf8');
    try {
      parseOneKey(k, file);
      return k;
    } catch {
      /* replaced below */
    }
  }
  let key = scenarioKey ?? '';
  try {
    parseOneKey(key, name);
  } catch {
    key = generateEd25519(`root@${name}`).private;
  }
  saveHostKey(dir, name, key);
  return key;
}

export function saveHostKey(dir: string, name: string, key: string): void {
  const d = labPaths(dir).hostkeys;
  mkdirSync(d, { recursive: true, mode: 0o700 });
  writePrivate(join(d, name), key);
}

export function loadPorts(dir: string): Record<string, number> {
  try {
    const v = JSON.parse(readFileSync(labPaths(dir).ports, 'utf8')) as unknown;
    if (v && typeof v === 'object') {
      const out: Record<string, number> = {};
      for (const [k, n] of Object.entries(v)) if (Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536) out[k] = n as number;
      return out;
    }
  } catch {
    /* none yet */
  }
  return {};
}

export function savePorts(dir: string, ports: Record<string, number>): void {
  writeFileSync(labPaths(dir).ports, JSON.stringify(ports, null, 2) + '\n');
}

export interface HostEntry {
  name: string;
  port: number;
  hostKey: string;
}

export function knownHostsText(entries: HostEntry[]): string {
  const lines = [
    '# Written by `baie lab` when it starts. A machine reinstalled while the lab runs gets a new',
    '# host key that is deliberately NOT added here: ssh refuses it until you remove the old line',
    "# (ssh-keygen -R '[127.0.0.1]:PORT' -f known_hosts) after checking why it changed.",
  ];
  for (const e of entries) lines.push(`[127.0.0.1]:${e.port} ${publicKeyLine(e.hostKey)}`);
  return lines.join('\n') + '\n';
}

export function sshConfigText(dir: string, entries: HostEntry[]): string {
  const p = labPaths(dir);
  const blocks = entries.map((e) =>
    [
      `Host ${e.name}`,
      '  HostName 127.0.0.1',
      `  Port ${e.port}`,
      '  User root',
      `  IdentityFile ${p.key}`,
      `  UserKnownHostsFile ${p.knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  IdentitiesOnly yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  return `# baie lab machines: ssh -F ${p.sshConfig} NAME\n\n${blocks.join('\n')}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * inventory.yaml for the lab (INVENTORY-FORMAT): the scenario's inventory part when given,
 * else one built from the world; ssh and bmc of every machine point at the running lab.
 * Returns the YAML text and the BMC password files to write (name → password).
 */
export function inventoryFor(world: LabWorld, ports: Record<string, number>, scenarioInventory?: unknown): { yaml: string; passwordFiles: Record<string, string> } {
  const inv: Obj = isObj(scenarioInventory) ? structuredClone(scenarioInventory) : {};
  const machines: Obj = isObj(inv.machines) ? inv.machines : {};
  inv.machines = machines;
  const sites: Obj = isObj(inv.sites) ? inv.sites : {};
  const buildSites = !isObj(inv.sites);
  const passwords = [...world.machines.values()].flatMap((m) => (m.bmc ? [m.bmc.password] : []));
  const shared = passwords.every((p) => p === passwords[0]);
  const passwordFiles: Record<string, string> = {};
  for (const m of world.machines.values()) {
    const entry: Obj = isObj(machines[m.name]) ? (machines[m.name] as Obj) : {};
    if (!isObj(machines[m.name])) {
      entry.site = m.site;
      entry.rack = m.rack;
      if (m.roles.length) entry.roles = m.roles;
      if (m.consoleVia) entry.console = { server: m.consoleVia.server, port: m.consoleVia.port };
      if (m.outlet) entry.power = { strip: m.outlet.strip, outlet: m.outlet.outlet };
    }
    if (ports[m.name]) entry.ssh = { host: '127.0.0.1', port: ports[m.name], user: 'root' };
    if (m.bmc) {
      const file = shared ? 'bmc-password' : `bmc-password-${m.name}`;
      passwordFiles[file] = m.bmc.password;
      entry.bmc = { driver: 'lab', socket: './control.sock', address: m.bmc.address, user: m.bmc.user, password_file: `./${file}` };
    }
    machines[m.name] = entry;
    if (buildSites) {
      const site = (sites[m.site] ??= { racks: {} }) as Obj;
      (site.racks as Obj)[m.rack] ??= { height: 42 };
    }
  }
  if (buildSites) inv.sites = sites;
  const defaults: Obj = isObj(inv.defaults) ? inv.defaults : {};
  defaults.ssh = { ...(isObj(defaults.ssh) ? defaults.ssh : {}), user: 'root' };
  defaults.known_hosts = ['./known_hosts'];
  defaults.identity_file = './id_ed25519';
  const { sites: s, machines: ms, ...rest } = inv;
  const ordered: Obj = { defaults, ...(s ? { sites: s } : {}), machines: ms, ...rest };
  const head = '# Written by `baie lab` at each start: the simulated datacentre, reachable on 127.0.0.1.\n';
  return { yaml: head + stringify(ordered), passwordFiles };
}

export interface ReadyInfo {
  pid: number;
  dir: string;
  control: string;
  sshConfig: string;
  inventory: string;
  machines: Record<string, number>;
  startedAt: string;
}

/** Write everything a client needs (called once at startup). */
export function writeClientFiles(dir: string, world: LabWorld, entries: HostEntry[], scenarioInventory?: unknown): void {
  const p = labPaths(dir);
  writeFileSync(p.knownHosts, knownHostsText(entries));
  writeFileSync(p.sshConfig, sshConfigText(dir, entries));
  const ports = Object.fromEntries(entries.map((e) => [e.name, e.port]));
  const inv = inventoryFor(world, ports, scenarioInventory);
  writeFileSync(p.inventory, inv.yaml);
  for (const [file, pw] of Object.entries(inv.passwordFiles)) writePrivate(join(dir, file), pw + '\n');
}

/** Pid of a lab running on DIR, if its process is alive. */
export function runningLabPid(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(labPaths(dir).pid, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

export function writeRunMarkers(dir: string, info: ReadyInfo): void {
  const p = labPaths(dir);
  writeFileSync(p.pid, `${info.pid}\n`);
  writeFileSync(p.ready, JSON.stringify(info, null, 2) + '\n');
}

export function readReady(dir: string): ReadyInfo | undefined {
  try {
    return JSON.parse(readFileSync(labPaths(dir).ready, 'utf8')) as ReadyInfo;
  } catch {
    return undefined;
  }
}

/** Remove what only makes sense while the lab runs. */
export function removeRunMarkers(dir: string): void {
  const p = labPaths(dir);
  for (const f of [p.ready, p.pid, p.control]) rmSync(f, { force: true });
}
