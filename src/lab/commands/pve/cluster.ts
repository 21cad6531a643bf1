/**
 * Cluster view shared by every PVE command: which cluster a node is in, whether a node is
 * up, quorum as a node sees it, and the runtime state the shared contracts have no field for
 * (corosync's runtime expected votes, where a node-local disk really lives, pending HA moves).
 */
import type { LabCluster, LabGuest, LabMachine } from '../../state.js';
import type { LabWorld } from '../../world.js';

/** Runtime PVE state kept beside the world (not part of the scenario contracts). */
export interface PveRuntime {
  /** `pvecm expected N` override per cluster (corosync runtime, reset when all nodes are back). */
  expected: Map<string, number>;
  /** Lab ms a node was first seen down, by node name. */
  downSince: Map<string, number>;
  /** Node whose local storage holds a guest's disk when it differs from guest.node (`cluster/vmid`). */
  diskNode: Map<string, string>;
  /** HA moves and other delayed changes, applied by the ticker when due. */
  pending: { at: number; key: string; apply: (world: LabWorld) => void }[];
  /** A node outside any cluster (reinstalled, not joined yet) gets its own one-node view. */
  standalone: Map<string, LabCluster>;
  /** Guest config as it was when an archive was written (path → guest copy). */
  archiveConfig: Map<string, LabGuest>;
  /** Corosync config version per cluster. */
  configVersion: Map<string, number>;
  /** Last lab ms the HA master wrote its status while quorate, per cluster. */
  haStamp: Map<string, { master: string; at: number }>;
}

const RUNTIMES = new WeakMap<LabWorld, PveRuntime>();

export function runtime(world: LabWorld): PveRuntime {
  let r = RUNTIMES.get(world);
  if (!r) {
    r = {
      expected: new Map(),
      downSince: new Map(),
      diskNode: new Map(),
      pending: [],
      standalone: new Map(),
      archiveConfig: new Map(),
      configVersion: new Map(),
      haStamp: new Map(),
    };
    RUNTIMES.set(world, r);
    // First look at this world: nodes the scenario lists in a cluster but whose machine does not
    // name it are taken as joined (a later reinstall clears `cluster` to take a node out).
    for (const c of world.clusters.values()) {
      for (const n of c.nodes) {
        const m = world.machines.get(n);
        if (m && m.cluster === undefined) m.cluster = c.name;
      }
      if (c.guests.some((g) => g.ha) && c.nodes.length) r.haStamp.set(c.name, { master: [...c.nodes].sort()[0], at: world.now() });
    }
  }
  return r;
}

/** An error the real tool prints as one line and exits with (Perl `die` → 255). */
export class PveError extends Error {
  constructor(
    message: string,
    readonly code = 255,
  ) {
    super(message);
  }
}

export const NO_QUORUM = 'cluster not ready - no quorum?';

/** The cluster a machine belongs to (its `cluster` field), if any. */
export function clusterOf(world: LabWorld, machine: LabMachine): LabCluster | undefined {
  if (machine.cluster) {
    const c = world.clusters.get(machine.cluster);
    if (c) return c;
  }
  return undefined;
}

/** The cluster a node answers from: its real cluster or a one-node standalone view. */
export function viewCluster(world: LabWorld, machine: LabMachine): { cluster: LabCluster; standalone: boolean } {
  const c = clusterOf(world, machine);
  if (c) return { cluster: c, standalone: false };
  const rt = runtime(world);
  let s = rt.standalone.get(machine.name);
  if (!s) {
    s = { name: '', nodes: [machine.name], guests: [], haGroups: [] };
    rt.standalone.set(machine.name, s);
  }
  return { cluster: s, standalone: true };
}

/** Powered, booted and on the network: the node answers the cluster. */
export function nodeUp(world: LabWorld, name: string): boolean {
  const m = world.machines.get(name);
  return !!m && m.power === 'on' && m.boot === 'up' && !m.networkDown;
}

/** Running (powered and booted), whether or not its network works. */
export function nodeRunning(world: LabWorld, name: string): boolean {
  const m = world.machines.get(name);
  return !!m && m.power === 'on' && m.boot === 'up';
}

/** A configured node that is up and has joined (its machine says it is in this cluster). */
export function memberOnline(world: LabWorld, cluster: LabCluster, name: string): boolean {
  if (!cluster.nodes.includes(name)) return false;
  const m = world.machines.get(name);
  if (!m || !nodeUp(world, name)) return false;
  // `systemctl stop corosync` takes a node out of the membership too.
  const corosync = m.services.find((s) => s.name === 'corosync');
  if (corosync && !corosync.active && cluster.name !== '') return false;
  return cluster.name === '' || m.cluster === cluster.name;
}

export interface QuorumView {
  /** Members this node sees (itself included), in node order. */
  members: string[];
  configured: number;
  expected: number;
  highest: number;
  totalVotes: number;
  quorum: number;
  quorate: boolean;
}

/** Quorum as seen from `local` (a node that lost its network only sees itself). */
export function quorumView(world: LabWorld, cluster: LabCluster, local: string): QuorumView {
  const localM = world.machines.get(local);
  const members =
    localM && localM.networkDown
      ? [local]
      : cluster.nodes.filter((n) => n === local || memberOnline(world, cluster, n));
  if (!members.includes(local) && cluster.nodes.includes(local)) members.push(local);
  const configured = Math.max(1, cluster.nodes.length);
  const totalVotes = members.length;
  const override = cluster.name ? runtime(world).expected.get(cluster.name) : undefined;
  const expected = Math.max(override ?? configured, totalVotes);
  const quorum = Math.floor(expected / 2) + 1;
  return {
    members,
    configured,
    expected,
    highest: expected,
    totalVotes,
    quorum,
    quorate: totalVotes >= quorum,
  };
}

/** The partition that holds quorum (seen from its lowest online member), if any. */
export function quoratePartition(world: LabWorld, cluster: LabCluster): QuorumView | undefined {
  for (const n of [...cluster.nodes].sort()) {
    if (!memberOnline(world, cluster, n)) continue;
    const v = quorumView(world, cluster, n);
    if (v.quorate) return v;
  }
  return undefined;
}

export function guestKey(cluster: LabCluster, vmid: number): string {
  return `${cluster.name}/${vmid}`;
}

/** Node whose local storage holds the guest's disk (shared storage: wherever the guest is). */
export function diskNodeOf(world: LabWorld, cluster: LabCluster, g: LabGuest): string {
  return runtime(world).diskNode.get(guestKey(cluster, g.vmid)) ?? g.node;
}

export function setDiskNode(world: LabWorld, cluster: LabCluster, g: LabGuest, node: string): void {
  const rt = runtime(world);
  if (node === g.node) rt.diskNode.delete(guestKey(cluster, g.vmid));
  else rt.diskNode.set(guestKey(cluster, g.vmid), node);
}

export function findGuest(cluster: LabCluster, vmid: number): LabGuest | undefined {
  return cluster.guests.find((g) => g.vmid === vmid);
}

/** The guest if it lives on `node` with the given type, else the real "does not exist" error. */
export function localGuest(cluster: LabCluster, node: string, vmid: number, type: 'qemu' | 'lxc'): LabGuest {
  const g = findGuest(cluster, vmid);
  if (!g || g.node !== node || g.type !== type) {
    const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
    throw new PveError(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
  }
  return g;
}

export function parseVmid(text: string | undefined, usage: string): number {
  if (text === undefined) throw new PveError(`400 not enough arguments\n${usage}`);
  if (!/^\d+$/.test(text) || Number(text) < 100 || Number(text) > 999999999) {
    throw new PveError(`400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n\n${usage}`);
  }
  return Number(text);
}

/** Is storage `local-zfs`-like (only on the node that holds it)? */
export function nodeLocalStorage(storage: string): boolean {
  return storage === 'local-zfs' || storage === 'local-lvm' || storage === 'local';
}

/** The address a node is known by in corosync (inventory address without a prefix). */
export function nodeAddress(world: LabWorld, name: string): string {
  const m = world.machines.get(name);
  return (m?.address ?? name).replace(/\/\d+$/, '');
}

/** Is this machine a Proxmox VE host (so `qm`, `pct`… exist on it)? */
export function isPveHost(world: LabWorld, machine: LabMachine): boolean {
  if (machine.cluster) return true;
  for (const c of world.clusters.values()) if (c.nodes.includes(machine.name)) return true;
  return machine.roles.some((r) => /pve|proxmox|hypervisor/i.test(r));
}

/** Guest uptime in seconds (0 when stopped). */
export function guestUptime(world: LabWorld, g: LabGuest): number {
  if (g.status !== 'running') return 0;
  return Math.max(0, Math.floor((world.now() - (g.startedAt ?? world.now())) / 1000));
}

/** A stable fake PID for a running guest. */
export function guestPid(g: LabGuest): number {
  return 1000 + ((g.vmid * 7919 + (g.startedAt ?? 0) / 1000) % 900000 | 0);
}
