/**
 * Turns a validated scenario document into a LabWorld: generated hardware, disks, arrays,
 * services, BMCs, clusters and guests, power strips, nightly backups.
 * Cross-reference problems are reported through `problem(path, message)`.
 */
import { loginText } from './bootlog.js';
import {
  defaultSensors, hardwareSerial, isRotational, machineKind, macFor, makeDisk, parseMem, seededRng,
  type MachineKind, type Rng,
} from './hardware.js';
import { installFresh } from './install.js';
import { extra } from './machine-extra.js';
import { newHostKey } from './power.js';
import type { MachineDoc, ScenarioDoc } from './scenario-schema.js';
import type { IpvsService, LabBackup, LabGuest, LabMachine, LabService } from './state.js';
import { KEEPALIVED_CONF, renderKeepalived } from './vrrp.js';
import type { LabWorld } from './world.js';

export type Path = (string | number)[];
export type Problem = (path: Path, message: string) => void;

export interface BuildOptions {
  basePort: number;
  hostKeys?: Record<string, string>;
  bmcPassword: string;
}

const DAY = 86_400_000;

interface Profile { vendor: string; model: string; cpus: number; mem: string; disk: string; diskCount: number }

function profileFor(kind: MachineKind, roles: string[], height: number): Profile {
  if (kind === 'pve') return { vendor: 'Dell Inc.', model: 'PowerEdge R550', cpus: 32, mem: '128G', disk: 'SAMSUNG MZ7L3960HCJR-00A07', diskCount: 2 };
  if (kind === 'switch') return { vendor: 'Juniper Networks', model: 'EX2300-24T', cpus: 2, mem: '2G', disk: '', diskCount: 0 };
  if (kind === 'pdu') return { vendor: 'APC', model: 'AP7920B Switched Rack PDU', cpus: 1, mem: '256M', disk: '', diskCount: 0 };
  if (roles.some((r) => r === 'console' || r === 'console-server')) return { vendor: 'PC Engines', model: 'apu2e4', cpus: 4, mem: '4G', disk: 'KINGSTON SA400S37240G', diskCount: 2 };
  if (height >= 2) return { vendor: 'Supermicro', model: 'SYS-6029P-TR', cpus: 16, mem: '64G', disk: 'Samsung SSD 870 EVO 500GB', diskCount: 2 };
  return { vendor: 'Dell Inc.', model: 'PowerEdge R250', cpus: 8, mem: '32G', disk: 'Samsung SSD 870 EVO 500GB', diskCount: 2 };
}

function bmcUser(vendor: string): string {
  return vendor === 'Dell Inc.' ? 'root' : vendor === 'Supermicro' ? 'ADMIN' : 'admin';
}

function serviceOf(s: string | { name: string; active?: boolean; enabled?: boolean; failed?: string }): LabService {
  if (typeof s === 'string') return { name: s, active: true, enabled: true };
  return { name: s.name, active: s.active ?? !s.failed, enabled: s.enabled ?? true, ...(s.failed ? { failedReason: s.failed } : {}) };
}

function addService(m: LabMachine, svc: LabService): void {
  const i = m.services.findIndex((s) => s.name === svc.name);
  if (i >= 0) m.services[i] = svc;
  else m.services.push(svc);
}

function bare(a: string): string {
  return a.split('/')[0];
}

function mysqlConf(serverId: number, replica: boolean): string {
  return `[server]\n\n[mysqld]\nuser = mysql\npid-file = /run/mysqld/mysqld.pid\nbasedir = /usr\ndatadir = /var/lib/mysql\ntmpdir = /tmp\nbind-address = 0.0.0.0\nserver-id = ${serverId}\nlog_bin = /var/log/mysql/mysql-bin.log\nlog_slave_updates = ON\nbinlog_format = ROW\ngtid_strict_mode = ON\n${replica ? 'read_only = ON\nrelay_log = /var/log/mysql/relay-bin\n' : ''}expire_logs_days = 10\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_general_ci\n`;
}

/** One machine from its inventory entry and lab block. */
function buildMachine(world: LabWorld, name: string, doc: MachineDoc, index: number, opts: BuildOptions, problem: Problem): LabMachine {
  const rng: Rng = seededRng(`baie-lab:${name}`);
  const lab = doc.lab ?? {};
  const roles = doc.roles ?? [];
  const kind = machineKind({ roles });
  const prof = profileFor(kind, roles, doc.height ?? 1);
  const vendor = lab.hardware?.vendor ?? prof.vendor;
  const now = world.now();
  const uptimeMs = Math.floor((20 + rng() * 180) * DAY + rng() * DAY);
  const address = lab.address ?? '';
  if (!address) problem(['machines', name], `machine ${name} needs lab.address (its main IPv4 address)`);

  const diskModel = vendor === 'PC Engines' ? 'KINGSTON SA400S37240G' : prof.disk || 'Samsung SSD 870 EVO 500GB';
  const disks = doc.disks
    ? doc.disks.map((d, i) => makeDisk(d.dev, d.model ?? diskModel, rng, { serial: d.serial, size: d.size, bay: d.bay ?? i + 1 }))
    : Array.from({ length: prof.diskCount }, (_, i) => makeDisk(`sd${String.fromCharCode(97 + i)}`, diskModel, rng, { bay: i + 1 }));

  const powered = (lab.power ?? 'on') === 'on';
  const m: LabMachine = {
    name, site: doc.site, rack: doc.rack, roles,
    hardware: {
      vendor,
      model: lab.hardware?.model ?? prof.model,
      serial: lab.hardware?.serial ?? hardwareSerial(vendor, rng),
      cpus: lab.hardware?.cpus ?? prof.cpus,
      memBytes: parseMem(lab.hardware?.memory ?? prof.mem) ?? 8 * 2 ** 30,
    },
    address: bare(address),
    sshPort: opts.basePort + index,
    hostKey: opts.hostKeys?.[name] ?? newHostKey(),
    power: powered ? 'on' : 'off',
    boot: powered ? 'up' : 'off',
    bootedAt: now - uptimeMs,
    bootDevice: lab.boot_device ?? 'disk',
    networkDown: false,
    files: {},
    disks,
    md: [],
    zpools: [],
    services: [],
    ifaces: [{ name: 'lo', up: true, addrs: ['127.0.0.1/8'] }, { name: 'eno1', up: true, addrs: [], mac: macFor(vendor, rng) }],
    ipvs: [],
    consoleLog: [],
    load: lab.load ?? [0.08 + Math.round(rng() * 30) / 100, 0.12 + Math.round(rng() * 20) / 100, 0.1 + Math.round(rng() * 10) / 100],
    hostname: lab.hostname ?? name,
    ...(doc.console ? { consoleVia: { server: doc.console.server, port: doc.console.port } } : {}),
    ...(doc.power ? { outlet: { strip: doc.power.strip, outlet: doc.power.outlet } } : {}),
  };
  if (address) m.address = bare(address);
  installFresh(m, rng, m.bootedAt - 400 * DAY);
  if (address.includes('/')) for (const i of m.ifaces) i.addrs = i.addrs.map((a) => (bare(a) === m.address ? address : a));
  if (lab.load) m.load = lab.load;
  else if (kind === 'switch' || kind === 'pdu') m.load = [0, 0, 0];

  // Extra interfaces and addresses.
  for (const i of lab.ifaces ?? []) {
    const cur = m.ifaces.find((x) => x.name === i.name);
    if (cur) {
      for (const a of i.addrs) if (!cur.addrs.includes(a)) cur.addrs.push(a);
      if (i.up !== undefined) cur.up = i.up;
      if (i.mac) cur.mac = i.mac;
    } else m.ifaces.push({ name: i.name, up: i.up ?? true, addrs: [...i.addrs], ...(i.mac ? { mac: i.mac } : {}) });
  }

  // Services: base ones (installFresh), the inventory's, then the lab block's.
  for (const s of doc.services ?? []) addService(m, serviceOf(s));
  for (const s of lab.services ?? []) addService(m, serviceOf(s));

  const e = extra(m);
  e.pxeArmed = lab.pxe_reinstall ?? true;

  if (lab.keepalived) {
    const k = lab.keepalived;
    const ipvs = normalizeIpvs(lab.ipvs ?? []);
    addService(m, { name: 'keepalived', active: true, enabled: true });
    if (!lab.files?.[KEEPALIVED_CONF]) {
      m.files[KEEPALIVED_CONF] = renderKeepalived({ state: k.state, priority: k.priority, iface: k.interface, routerId: k.router_id, vip: k.vip, ipvs });
    }
    e.ipvsConfigured = ipvs;
    e.keepalivedWasActive = false;
  } else if (lab.ipvs) {
    m.ipvs = normalizeIpvs(lab.ipvs);
  }

  if (lab.mysql) {
    const q = lab.mysql;
    const svcName = q.flavor === 'mysql' ? 'mysql' : 'mariadb';
    addService(m, { name: svcName, active: true, enabled: true });
    m.mysql = {
      flavor: q.flavor, version: q.version, running: true, readOnly: q.read_only ?? !!q.replica_of,
      serverId: q.server_id, gtidBinlogPos: q.gtid ?? `0-${q.server_id}-${100000 + Math.floor(rng() * 800000)}`, writes: 0,
    };
    m.files[q.flavor === 'mysql' ? '/etc/mysql/mysql.conf.d/mysqld.cnf' : '/etc/mysql/mariadb.conf.d/50-server.cnf'] = mysqlConf(q.server_id, !!q.replica_of);
  }

  for (const [p, content] of Object.entries(lab.files ?? {})) m.files[p] = content;

  if (m.bmc === undefined) {
    const wantBmc = lab.bmc ?? ((kind === 'debian' || kind === 'pve') && vendor !== 'PC Engines' && !roles.some((r) => r === 'console' || r === 'console-server'));
    if (wantBmc) {
      const b = typeof lab.bmc === 'object' ? lab.bmc : {};
      m.bmc = {
        address: b.address ?? '',
        user: b.user ?? bmcUser(vendor),
        password: opts.bmcPassword,
        sel: [{ id: 1, at: m.bootedAt - 30 * DAY, sensor: 'Event Logging Disabled SEL', event: 'Log area reset/cleared', asserted: true }],
        sensors: defaultSensors(rng, disks.some((d) => isRotational(d.model))),
      };
    }
  }
  e.acRestore = lab.ac_restore ?? (m.bmc ? 'always-off' : 'always-on');

  if (!powered) {
    for (const s of m.services) s.active = false;
    if (m.mysql) m.mysql.running = false;
    m.load = [0, 0, 0];
  } else {
    m.consoleLog.push(...loginText(m).split('\n'));
  }
  return m;
}

function normalizeIpvs(list: NonNullable<NonNullable<MachineDoc['lab']>['ipvs']>): IpvsService[] {
  return list.map((s) => ({
    proto: s.proto, vip: s.vip, port: s.port, scheduler: s.scheduler,
    reals: s.reals.map((r) => ({ addr: r.addr, port: r.port ?? s.port, forward: r.forward, weight: r.weight, active: 0, inactive: 0 })),
  }));
}

const p2 = (n: number) => String(n).padStart(2, '0');
function vzdumpStamp(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}_${p2(d.getUTCMonth() + 1)}_${p2(d.getUTCDate())}-${p2(d.getUTCHours())}_${p2(d.getUTCMinutes())}_${p2(d.getUTCSeconds())}`;
}

/** Build every machine, strip, cluster, guest and backup of the scenario into `world`. */
export function buildWorld(world: LabWorld, doc: ScenarioDoc, opts: BuildOptions, problem: Problem): void {
  const now = world.now();
  const siteNames = Object.keys(doc.sites);

  // Racks: sites, racks, U ranges, overlaps.
  const used = new Map<string, { name: string; lo: number; hi: number }[]>();
  for (const [name, md] of Object.entries(doc.machines)) {
    const site = doc.sites[md.site];
    if (!site) { problem(['machines', name, 'site'], `unknown site ${md.site} (sites: ${siteNames.join(', ')})`); continue; }
    const rack = site.racks[md.rack];
    if (!rack) { problem(['machines', name, 'rack'], `unknown rack ${md.rack} in site ${md.site} (racks: ${Object.keys(site.racks).join(', ')})`); continue; }
    const hi = md.u + (md.height ?? 1) - 1;
    if (hi > rack.height) problem(['machines', name, 'u'], `${name} occupies U${md.u}-U${hi} but rack ${md.rack} is ${rack.height}U high`);
    const key = `${md.site}/${md.rack}`;
    const list = used.get(key) ?? [];
    const clash = list.find((o) => md.u <= o.hi && hi >= o.lo);
    if (clash) problem(['machines', name, 'u'], `${name} (U${md.u}-U${hi}) overlaps ${clash.name} (U${clash.lo}-U${clash.hi}) in rack ${md.rack}`);
    list.push({ name, lo: md.u, hi });
    used.set(key, list);
  }

  Object.entries(doc.machines).forEach(([name, md], i) => {
    world.machines.set(name, buildMachine(world, name, md, i, opts, problem));
  });

  // BMC addresses: given, else 198.51.100.X from the host part of the main address (per site offset).
  const taken = new Set([...world.machines.values()].map((m) => m.bmc?.address).filter(Boolean));
  for (const m of world.machines.values()) {
    if (!m.bmc || m.bmc.address) continue;
    let host = Number(m.address.split('.')[3] ?? 0) + 100 * Math.max(0, siteNames.indexOf(m.site));
    for (let tries = 0; tries < 254 && (host < 1 || host > 254 || taken.has(`198.51.100.${host}`)); tries++) host = (host % 254) + 1;
    m.bmc.address = `198.51.100.${host}`;
    taken.add(m.bmc.address);
  }

  // References between machines.
  for (const [name, md] of Object.entries(doc.machines)) {
    if (md.console && !world.machines.has(md.console.server)) problem(['machines', name, 'console', 'server'], `unknown console server ${md.console.server}`);
    const q = md.lab?.mysql;
    if (q?.replica_of) {
      const p = world.machine(q.replica_of);
      const m = world.machine(name)!;
      if (!p?.mysql) { problem(['machines', name, 'lab', 'mysql', 'replica_of'], `${q.replica_of} is not a machine with lab.mysql`); continue; }
      m.mysql!.gtidBinlogPos = p.mysql.gtidBinlogPos;
      m.mysql!.replica = {
        masterHost: p.address, masterUser: q.replica_user, masterPort: 3306, ioRunning: true, sqlRunning: true,
        gtidIoPos: p.mysql.gtidBinlogPos, gtidSlavePos: p.mysql.gtidBinlogPos, secondsBehind: 0, lastIoError: '', lastSqlError: '',
      };
      if (m.power === 'off' || p.power === 'off') {
        m.mysql!.replica.ioRunning = p.power === 'on' && m.power === 'on';
        m.mysql!.replica.secondsBehind = null;
      }
    }
  }

  // NFS mounts and exports.
  const exports = new Map<string, Map<string, string[]>>();
  for (const [name, md] of Object.entries(doc.machines)) {
    const m = world.machine(name)!;
    (md.lab?.nfs ?? []).forEach((n, i) => {
      const server = world.machine(n.from);
      if (!server) { problem(['machines', name, 'lab', 'nfs', i, 'from'], `unknown machine ${n.from}`); return; }
      m.files['/etc/fstab'] = `${m.files['/etc/fstab'] ?? ''}${server.address}:${n.export}\t${n.at}\tnfs4\trw,hard,noatime,_netdev\t0\t0\n`;
      const byPath = exports.get(n.from) ?? new Map<string, string[]>();
      byPath.set(n.export, [...(byPath.get(n.export) ?? []), m.address]);
      exports.set(n.from, byPath);
    });
  }
  for (const [server, byPath] of exports) {
    const lines = [...byPath].map(([p, clients]) => `${p}\t${clients.map((c) => `${c}(rw,sync,no_subtree_check,no_root_squash)`).join(' ')}`);
    world.machine(server)!.files['/etc/exports'] = `# /etc/exports: NFS file systems exported to the frontends\n${lines.join('\n')}\n`;
  }

  // Serial console servers: conserver.cf lists the machines wired to them.
  const wired = new Map<string, string[]>();
  for (const m of world.machines.values()) if (m.consoleVia) wired.set(m.consoleVia.server, [...(wired.get(m.consoleVia.server) ?? []), m.consoleVia.port]);
  for (const [server, ports] of wired) {
    const s = world.machine(server);
    if (!s) continue;
    s.files['/etc/conserver/conserver.cf'] = `config * {\n}\ndefault full {\n\trw *;\n}\ndefault * {\n\tlogfile /var/log/conserver/&.log;\n\ttimestamp "";\n\tinclude full;\n}\n${ports
      .map((p, i) => `console ${p} {\n\tmaster localhost;\n\ttype device;\n\tdevice /dev/ttyUSB${i};\n\tbaud 115200;\n\tparity none;\n}`).join('\n')}\naccess * {\n\ttrusted 127.0.0.1;\n}\n`;
  }

  // Power strips: declared ones plus every pdu machine, outlets named after what they feed.
  const strips = new Map<string, number>(Object.entries(doc.lab?.strips ?? {}).map(([k, v]) => [k, v.outlets]));
  for (const m of world.machines.values()) if (machineKind(m) === 'pdu' && !strips.has(m.name)) strips.set(m.name, 8);
  for (const [name, count] of strips) {
    world.strips.set(name, { name, outlets: Array.from({ length: count }, (_, i) => ({ n: i + 1, name: `Outlet ${i + 1}`, on: true })) });
  }
  for (const [name, md] of Object.entries(doc.machines)) {
    if (!md.power) continue;
    const strip = world.strips.get(md.power.strip);
    if (!strip) { problem(['machines', name, 'power', 'strip'], `unknown power strip ${md.power.strip}`); continue; }
    const o = strip.outlets.find((x) => x.n === md.power!.outlet);
    if (!o) problem(['machines', name, 'power', 'outlet'], `${md.power.strip} has outlets 1-${strip.outlets.length}, not ${md.power.outlet}`);
    else o.name = o.name.startsWith('Outlet ') ? name : `${o.name}+${name}`;
  }

  // Clusters and guests.
  for (const [cname, c] of Object.entries(doc.lab?.clusters ?? {})) {
    c.nodes.forEach((n, i) => {
      const m = world.machine(n);
      if (!m) problem(['lab', 'clusters', cname, 'nodes', i], `unknown machine ${n}`);
      else if (machineKind(m) !== 'pve') problem(['lab', 'clusters', cname, 'nodes', i], `${n} is not a Proxmox node (give it the role proxmox)`);
      else m.cluster = cname;
    });
    const haGroups = Object.entries(c.ha_groups ?? {}).map(([g, nodes]) => {
      nodes.forEach((n, i) => { if (!c.nodes.includes(n)) problem(['lab', 'clusters', cname, 'ha_groups', g, i], `${n} is not a node of cluster ${cname}`); });
      return { name: g, nodes };
    });
    world.clusters.set(cname, { name: cname, nodes: [...c.nodes], guests: [], haGroups });
  }
  for (const m of world.machines.values()) {
    if (!m.cluster) continue;
    const corosync = m.services.find((s) => s.name === 'corosync');
    if (corosync) corosync.active = m.power === 'on';
  }
  const ids = new Map<number, string>();
  for (const [gname, v] of Object.entries(doc.vms ?? {})) {
    if (ids.has(v.id)) problem(['vms', gname, 'id'], `id ${v.id} is already used by ${ids.get(v.id)}`);
    ids.set(v.id, gname);
    const node = world.machine(v.node);
    if (!node) { problem(['vms', gname, 'node'], `unknown machine ${v.node}`); continue; }
    if (machineKind(node) !== 'pve') { problem(['vms', gname, 'node'], `${v.node} is not a Proxmox node`); continue; }
    let cluster = node.cluster ? world.clusters.get(node.cluster) : undefined;
    if (!cluster) {
      cluster = { name: node.name, nodes: [node.name], guests: [], haGroups: [] };
      world.clusters.set(node.name, cluster);
      node.cluster = node.name;
    }
    const haGroup = v.lab?.ha_group ?? cluster.haGroups.find((g) => g.nodes.includes(node.name))?.name;
    if (v.lab?.ha_group && !cluster.haGroups.some((g) => g.name === v.lab!.ha_group)) problem(['vms', gname, 'lab', 'ha_group'], `no HA group ${v.lab.ha_group} in cluster ${cluster.name}`);
    const guest: LabGuest = {
      vmid: v.id, type: v.type, name: gname, node: node.name,
      status: v.lab?.status ?? 'running',
      cpus: v.cpus ?? 2,
      memBytes: parseMem(v.memory ?? '2G') ?? 2 * 2 ** 30,
      diskBytes: parseMem(v.disk ?? '32G') ?? 32 * 2 ** 30,
      storage: v.lab?.storage ?? 'local-zfs',
      ...(haGroup ? { ha: v.lab?.ha ?? 'started', haGroup } : {}),
      priority: v.priority ?? 0,
      services: v.services ?? [],
      ...(node.power === 'on' && (v.lab?.status ?? 'running') === 'running' ? { startedAt: node.bootedAt + 60_000 + v.id * 1000 } : {}),
      ...(v.lab?.ip ? { ip: v.lab.ip } : {}),
    };
    cluster.guests.push(guest);
    const rpool = node.zpools.find((p) => p.name === 'rpool');
    if (rpool) rpool.allocBytes = Math.min(rpool.sizeBytes - 2 ** 30, rpool.allocBytes + Math.floor(guest.diskBytes * 0.45));
  }
  for (const c of world.clusters.values()) c.guests.sort((a, b) => a.vmid - b.vmid);

  // Nightly vzdump archives of every guest, on the backup box.
  const b = doc.lab?.backups;
  if (b) {
    if (!world.machines.has(b.box)) problem(['lab', 'backups', 'box'], `unknown machine ${b.box}`);
    else {
      const [hh, mm] = b.time.split(':').map(Number);
      const d = new Date(now);
      let last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hh, mm);
      const guests = [...world.clusters.values()].flatMap((c) => c.guests).sort((x, y) => x.vmid - y.vmid);
      const jobMs = guests.length * 11 * 60_000;
      if (last + jobMs > now) last -= DAY;
      const list: LabBackup[] = [];
      const rng = seededRng(`baie-lab:backups:${b.box}`);
      for (let n = b.nights - 1; n >= 0; n--) {
        let t = last - n * DAY + 2000;
        for (const g of guests) {
          const sizeBytes = Math.floor(g.diskBytes * (0.18 + rng() * 0.2));
          list.push({ path: `${b.path}/vzdump-${g.type}-${g.vmid}-${vzdumpStamp(t)}.${g.type === 'qemu' ? 'vma.zst' : 'tar.zst'}`, vmid: g.vmid, type: g.type, at: t, sizeBytes });
          t += Math.max(60_000, Math.floor(sizeBytes / 110e6) * 1000) + 4000;
        }
      }
      world.backups.set(b.box, list);
    }
  }
}
