/**
 * The API records pvesh returns (pure functions of the world as seen from one node):
 * /cluster/resources, /nodes/NODE/status, /cluster/status, /nodes, guest lists.
 */
import type { LabCluster, LabGuest } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { guestPid, guestUptime, nodeAddress, quorumView, runtime } from './cluster.js';
import { guestCpu, guestMemUsed } from './guests.js';
import { storagesOf } from './storage.js';

export type Rec = Record<string, string | number | object>;

export const PVE_VERSION = 'pve-manager/8.2.7/3e0176e6bb2ade3b';
export const KERNEL = '6.8.12-2-pve';
const GiB = 1024 ** 3;

function hasHa(cluster: LabCluster): boolean {
  return cluster.guests.some((g) => g.ha);
}

export function guestRecord(world: LabWorld, g: LabGuest, online: boolean): Rec {
  const r: Rec = {
    id: `${g.type}/${g.vmid}`,
    type: g.type,
    vmid: g.vmid,
    name: g.name,
    node: g.node,
    status: online ? g.status : 'unknown',
    template: 0,
    tags: '',
  };
  if (g.ha) r.hastate = g.ha;
  if (g.lock) r.lock = g.lock;
  if (!online) return r;
  Object.assign(r, {
    cpu: guestCpu(g),
    maxcpu: g.cpus,
    mem: guestMemUsed(g),
    maxmem: g.memBytes,
    disk: g.type === 'lxc' && g.status === 'running' ? Math.floor(g.diskBytes * 0.27) : 0,
    maxdisk: g.diskBytes,
    uptime: guestUptime(world, g),
    diskread: g.status === 'running' ? g.vmid * 1_048_576 : 0,
    diskwrite: g.status === 'running' ? g.vmid * 524_288 : 0,
    netin: g.status === 'running' ? g.vmid * 2_000_003 : 0,
    netout: g.status === 'running' ? g.vmid * 1_500_007 : 0,
  });
  return r;
}

/** Memory a node uses: the host itself plus its running guests. */
export function nodeMemUsed(cluster: LabCluster, node: string, total: number): number {
  const guests = cluster.guests.filter((g) => g.node === node).reduce((s, g) => s + guestMemUsed(g), 0);
  return Math.min(total, Math.floor(2.6 * GiB + guests));
}

export function nodeRecord(world: LabWorld, cluster: LabCluster, node: string, online: boolean): Rec {
  const m = world.machines.get(node);
  const maxcpu = m?.hardware.cpus ?? 1;
  const maxmem = m?.hardware.memBytes ?? 0;
  const r: Rec = { id: `node/${node}`, type: 'node', node, status: online ? 'online' : 'offline', level: '', maxcpu, maxmem };
  if (hasHa(cluster)) r.hastate = online ? 'online' : runtime(world).downSince.has(node) ? 'fence' : 'unknown';
  if (!online || !m) return r;
  const pool = m.zpools.find((p) => p.name === 'rpool') ?? m.zpools[0];
  Object.assign(r, {
    'cgroup-mode': 2,
    cpu: Math.min(1, Math.round((m.load[0] / Math.max(1, maxcpu)) * 10000) / 10000),
    mem: nodeMemUsed(cluster, node, maxmem),
    disk: 4 * GiB,
    maxdisk: pool ? Math.floor(pool.sizeBytes - pool.allocBytes + 4 * GiB) : 100 * GiB,
    uptime: Math.max(0, Math.floor((world.now() - m.bootedAt) / 1000)),
  });
  return r;
}

/** `/cluster/resources` as `local` sees it. */
export function clusterResources(world: LabWorld, cluster: LabCluster, local: string, type?: string): Rec[] {
  const view = quorumView(world, cluster, local);
  const online = (n: string) => view.members.includes(n);
  const out: Rec[] = [];
  if (!type || type === 'node') for (const n of cluster.nodes) out.push(nodeRecord(world, cluster, n, online(n)));
  if (!type || type === 'vm') {
    for (const g of [...cluster.guests].sort((a, b) => a.vmid - b.vmid)) out.push(guestRecord(world, g, online(g.node)));
  }
  if (!type || type === 'storage') {
    for (const n of cluster.nodes) {
      const m = world.machines.get(n);
      if (!m) continue;
      for (const s of storagesOf(world, m, cluster)) {
        const avail = online(n) && s.active;
        const r: Rec = {
          id: `storage/${n}/${s.name}`,
          type: 'storage',
          storage: s.name,
          node: n,
          status: avail ? 'available' : 'unknown',
          plugintype: s.type,
          content: s.content,
          shared: s.shared ? 1 : 0,
        };
        if (avail) Object.assign(r, { disk: s.usedBytes, maxdisk: s.totalBytes });
        out.push(r);
      }
    }
  }
  return out;
}

export function nodeStatus(world: LabWorld, cluster: LabCluster, node: string): Rec {
  const m = world.machines.get(node);
  if (!m) return {};
  const total = m.hardware.memBytes;
  const used = nodeMemUsed(cluster, node, total);
  const pool = m.zpools.find((p) => p.name === 'rpool') ?? m.zpools[0];
  const rootTotal = pool ? pool.sizeBytes - pool.allocBytes + 4 * GiB : 100 * GiB;
  const cpus = m.hardware.cpus;
  return {
    cpu: Math.min(1, Math.round((m.load[0] / Math.max(1, cpus)) * 10000) / 10000),
    cpuinfo: {
      cores: Math.max(1, Math.floor(cpus / 2)),
      cpus,
      flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx avx2 hypervisor',
      hvm: '1',
      mhz: '2400.000',
      model: 'Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz',
      sockets: 1,
      user_hz: 100,
    },
    'current-kernel': { machine: 'x86_64', release: KERNEL, sysname: 'Linux', version: `#1 SMP PREEMPT_DYNAMIC PMX ${KERNEL.replace(/-pve$/, '')} (2024-09-05T10:28Z)` },
    idle: 0,
    ksm: { shared: 0 },
    kversion: `Linux ${KERNEL} #1 SMP PREEMPT_DYNAMIC PMX ${KERNEL.replace(/-pve$/, '')} (2024-09-05T10:28Z)`,
    loadavg: m.load.map((l) => l.toFixed(2)),
    memory: { free: total - used, total, used },
    pveversion: PVE_VERSION,
    rootfs: { avail: Math.floor(rootTotal - 4 * GiB), free: Math.floor(rootTotal - 4 * GiB), total: Math.floor(rootTotal), used: 4 * GiB },
    swap: { free: 0, total: 0, used: 0 },
    uptime: Math.max(0, Math.floor((world.now() - m.bootedAt) / 1000)),
    wait: 0,
    'boot-info': { mode: 'efi', secureboot: 0 },
  };
}

export function clusterStatus(world: LabWorld, cluster: LabCluster, local: string, standalone: boolean): Rec[] {
  const view = quorumView(world, cluster, local);
  const out: Rec[] = [];
  if (!standalone) {
    out.push({
      id: 'cluster',
      type: 'cluster',
      name: cluster.name,
      nodes: cluster.nodes.length,
      quorate: view.quorate ? 1 : 0,
      version: runtime(world).configVersion.get(cluster.name) ?? cluster.nodes.length,
    });
  }
  cluster.nodes.forEach((n, i) => {
    out.push({
      id: `node/${n}`,
      type: 'node',
      name: n,
      ip: nodeAddress(world, n),
      level: '',
      local: n === local ? 1 : 0,
      nodeid: i + 1,
      online: view.members.includes(n) ? 1 : 0,
    });
  });
  return out;
}

/** The fields every per-guest API record starts with, in Proxmox's order. */
function guestBase(g: LabGuest, r: Rec): Rec {
  return { vmid: g.vmid, name: g.name, status: g.status, cpus: g.cpus, cpu: r.cpu, maxmem: g.memBytes, mem: r.mem, maxdisk: g.diskBytes, disk: r.disk, uptime: r.uptime };
}

export function nodeGuests(world: LabWorld, cluster: LabCluster, node: string, type: 'qemu' | 'lxc'): Rec[] {
  return cluster.guests
    .filter((g) => g.node === node && g.type === type)
    .sort((a, b) => a.vmid - b.vmid)
    .map((g) => {
      const r = guestRecord(world, g, true);
      const out: Rec = {
        ...guestBase(g, r),
        netin: r.netin,
        netout: r.netout,
        diskread: r.diskread,
        diskwrite: r.diskwrite,
        tags: '',
      };
      if (g.type === 'lxc') out.type = 'lxc';
      if (g.status === 'running') out.pid = guestPid(g);
      if (g.lock) out.lock = g.lock;
      return out;
    });
}

export function guestStatusCurrent(world: LabWorld, g: LabGuest): Rec {
  const r = guestRecord(world, g, true);
  const out: Rec = {
    ...guestBase(g, r),
    ha: g.ha ? { managed: 1, state: g.ha, group: g.haGroup ?? '' } : { managed: 0 },
  };
  if (g.type === 'qemu') out.qmpstatus = g.status;
  if (g.status === 'running') out.pid = guestPid(g);
  if (g.lock) out.lock = g.lock;
  return out;
}
