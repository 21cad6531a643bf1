/**
 * Validated-enough data → Fleet, with the checks a schema cannot make: unknown sites and racks,
 * machines above the top of their rack or overlapping, ssh aliases and addresses, BMC secrets,
 * duplicate VM ids, VMs on unknown nodes. Entries that fail the schema are skipped (their
 * problems come from issues.ts) so the rest is still checked.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { Bmc, Disk, Fleet, Machine, Rack, Site, Vm } from '../model/fleet.js';
import { locateKey, nodePos, pathPos, type PathKey } from './positions.js';
import type { Problem } from './problems.js';
import { inventorySchema, machine as machineSchema, vm as vmSchema, type RawBmc, type RawInventory } from './schema.js';
import { parseSize } from './sizes.js';
import { expandHome, type SshConfigFile } from './sshConfig.js';
import { resolveEndpoint, type EndpointIssue } from './sshEndpoint.js';

export interface BuildEnv {
  doc: Document;
  lc: LineCounter;
  file: string;
  dir: string;
  home: string;
  sshConfig: SshConfigFile;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_HINT = 'letters, digits, dot, dash or underscore, starting with a letter or digit';

const span = (lo: number, hi: number) => (lo === hi ? `U${lo}` : `U${lo}-${hi}`);

const entries = (v: unknown): [string, unknown][] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);

export function buildFleet(data: unknown, env: BuildEnv): { fleet: Fleet; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (path: PathKey[], message: string, prefer: 'value' | 'key' = 'value') => {
    const { line, col } = pathPos(env.doc, env.lc, path, prefer);
    problems.push({ file: env.file, line, col, message });
  };
  const atKey = (path: PathKey[], key: string, message: string) => {
    const { line, col } = nodePos(env.lc, locateKey(env.doc, path, key));
    problems.push({ file: env.file, line, col, message });
  };
  const top = data as Partial<RawInventory> | null;
  const defaultsOk = inventorySchema.shape.defaults.safeParse(top?.defaults);
  const defaults = defaultsOk.success ? (defaultsOk.data ?? undefined) : undefined;

  const sites: Site[] = [];
  const racks: Rack[] = [];
  for (const [name, raw] of entries(top?.sites)) {
    const s = raw as { description?: string | null; racks?: unknown } | null;
    if (!NAME.test(name)) at(['sites', name], `site name '${name}' must be ${NAME_HINT}`, 'key');
    sites.push({ name, ...(typeof s?.description === 'string' ? { description: s.description } : {}) });
    for (const [rname, r] of entries(s?.racks)) {
      if (!NAME.test(rname)) at(['sites', name, 'racks', rname], `rack name '${rname}' must be ${NAME_HINT}`, 'key');
      const h = (r as { height?: unknown } | null)?.height;
      if (typeof h === 'number' && Number.isInteger(h) && h >= 1) racks.push({ name: rname, site: name, height: h });
    }
  }

  const machineEntries = entries(top?.machines);
  const machineNames = new Set(machineEntries.map(([n]) => n));
  const machines: Machine[] = [];
  const placed = new Map<string, { name: string; lo: number; hi: number }[]>();
  for (const [name, raw] of machineEntries) {
    const base: PathKey[] = ['machines', name];
    if (!NAME.test(name)) at(base, `machine name '${name}' must be ${NAME_HINT}`, 'key');
    const parsed = machineSchema.safeParse(raw);
    if (!parsed.success) continue;
    const m = parsed.data;
    const site = String(m.site);
    const rackName = String(m.rack);
    const height = m.height ?? 1;
    let ok = true;
    if (!sites.some((s) => s.name === site)) {
      at([...base, 'site'], `machine '${name}': unknown site '${site}' (sites: ${sites.map((s) => s.name).join(', ') || 'none'})`);
      ok = false;
    } else {
      const rack = racks.find((r) => r.site === site && r.name === rackName);
      if (!rack) {
        const there = racks.filter((r) => r.site === site).map((r) => r.name);
        at([...base, 'rack'], `machine '${name}': unknown rack '${rackName}' at site '${site}' (racks there: ${there.join(', ') || 'none'})`);
        ok = false;
      } else if (height > rack.height) {
        at([...base, 'height'], `machine '${name}' is ${height}U tall but rack ${site}/${rackName} is only ${rack.height}U`);
        ok = false;
      } else if (m.u + height - 1 > rack.height) {
        at(
          [...base, 'u'],
          `machine '${name}' (${span(m.u, m.u + height - 1)}) goes above the top of rack ${site}/${rackName} (${rack.height}U): u must be at most ${rack.height - height + 1}`,
        );
        ok = false;
      } else {
        const key = `${site}/${rackName}`;
        const lo = m.u;
        const hi = m.u + height - 1;
        const others = placed.get(key) ?? [];
        for (const o of others) {
          if (lo <= o.hi && o.lo <= hi) {
            at([...base, 'u'], `machine '${name}' (${span(lo, hi)}) overlaps machine '${o.name}' (${span(o.lo, o.hi)}) in rack ${key}`);
          }
        }
        others.push({ name, lo, hi });
        placed.set(key, others);
      }
    }
    if (!ok) continue;

    const endpointIssues: EndpointIssue[] = [];
    const epEnv = { dir: env.dir, home: env.home, sshConfig: env.sshConfig, defaults, machineNames };
    let ssh = m.ssh != null ? resolveEndpoint(m.ssh, epEnv, endpointIssues) : undefined;
    if (m.ssh == null && env.sshConfig.lookup(name).isAlias) ssh = resolveEndpoint(name, epEnv, endpointIssues);
    for (const i of endpointIssues) at([...base, 'ssh', ...i.field], `machine '${name}': ${i.message}`);

    const bmc = m.bmc ? buildBmc(m.bmc, name, [...base, 'bmc']) : undefined;
    const disks: Disk[] = (m.disks ?? []).map((d) => ({
      dev: d.dev,
      ...(d.model != null ? { model: d.model } : {}),
      ...(d.serial != null ? { serial: String(d.serial) } : {}),
      ...(d.size != null ? { sizeBytes: parseSize(d.size) } : {}),
      ...(d.bay != null ? { bay: d.bay } : {}),
    }));
    machines.push({
      name,
      site,
      rack: rackName,
      u: m.u,
      height,
      roles: (m.roles ?? []).map(String),
      ...(ssh ? { ssh } : {}),
      ...(bmc ? { bmc } : {}),
      ...(m.console ? { console: { server: String(m.console.server), port: String(m.console.port) } } : {}),
      disks,
      ...(m.power ? { power: { strip: String(m.power.strip), outlet: m.power.outlet } } : {}),
      services: (m.services ?? []).map(String),
      ...(m.description != null ? { description: m.description } : {}),
    });
  }

  function buildBmc(b: RawBmc, name: string, path: PathKey[]): Bmc | undefined {
    let ok = true;
    if (b.password !== undefined) {
      atKey(path, 'password', `machine '${name}': BMC password must come from password_env or password_file, not inline`);
      ok = false;
    }
    if (b.password_env && b.password_file) {
      atKey(path, 'password_file', `machine '${name}': bmc has both password_env and password_file; keep one`);
      ok = false;
    }
    const driver = b.driver ?? 'ipmitool';
    if (driver === 'lab' && !b.socket) {
      at(path, `machine '${name}': bmc driver 'lab' needs socket: (the lab's control socket path)`, 'key');
      ok = false;
    }
    let password: Bmc['password'];
    if (b.password_env) password = { env: b.password_env };
    if (b.password_file) {
      const file = resolve(env.dir, expandHome(b.password_file, env.home));
      password = { file };
      try {
        const st = statSync(file);
        if ((st.mode & 0o077) !== 0) {
          const mode = (st.mode & 0o777).toString(8);
          at([...path, 'password_file'], `machine '${name}': BMC password_file ${b.password_file} is mode ${mode}; it must be readable by its owner only (chmod 600 ${b.password_file})`);
        }
      } catch {
        // Missing is allowed here: it may be written later; using it reports the problem.
      }
    }
    if (!ok) return undefined;
    return {
      driver,
      address: b.address,
      port: b.port ?? 623,
      user: b.user,
      ...(password ? { password } : {}),
      ...(b.socket ? { socket: resolve(env.dir, expandHome(b.socket, env.home)) } : {}),
    };
  }

  const vms: Vm[] = [];
  const ids = new Map<number, string>();
  for (const [name, raw] of entries(top?.vms)) {
    const base: PathKey[] = ['vms', name];
    if (!NAME.test(name)) at(base, `VM name '${name}' must be ${NAME_HINT}`, 'key');
    const parsed = vmSchema.safeParse(raw);
    if (!parsed.success) continue;
    const v = parsed.data;
    const node = String(v.node);
    const prev = ids.get(v.id);
    if (prev !== undefined) {
      const { line } = pathPos(env.doc, env.lc, ['vms', prev, 'id']);
      at([...base, 'id'], `VM '${name}': id ${v.id} is already used by VM '${prev}' (line ${line}); VM ids must be unique`);
    } else ids.set(v.id, name);
    if (!machineNames.has(node)) {
      const names = [...machineNames];
      const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '');
      at([...base, 'node'], `VM '${name}': node '${node}' is not a machine in this inventory (machines: ${shown || 'none'})`);
    }
    vms.push({
      id: v.id,
      name,
      type: v.type,
      node,
      ...(v.cpus != null ? { cpus: v.cpus } : {}),
      ...(v.memory != null ? { memBytes: parseSize(v.memory) } : {}),
      ...(v.disk != null ? { diskBytes: parseSize(v.disk) } : {}),
      ...(v.priority != null ? { priority: v.priority } : {}),
      ...(v.services != null ? { services: v.services.map(String) } : {}),
    });
  }

  return { fleet: { sites, racks, machines, vms }, problems };
}
