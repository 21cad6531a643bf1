/**
 * HA and node-failure behaviour: guests on a dead node, fencing, recovery once the surviving
 * partition is quorate, the LRM starting/stopping services, delayed HA moves.
 */
import type { LabCluster, LabGuest } from '../../state.js';
import type { LabWorld } from '../../world.js';
import {
  diskNodeOf,
  memberOnline,
  nodeLocalStorage,
  nodeRunning,
  nodeUp,
  quoratePartition,
  quorumView,
  runtime,
  setDiskNode,
} from './cluster.js';
import { ctime } from './format.js';

/** Lab ms between a node going down and the CRM recovering its services (fence delay + lock expiry). */
export const FENCE_DELAY_MS = 120_000;
/** A master or LRM status older than this shows `old timestamp - dead?`. */
export const STALE_MS = 60_000;

export function haSid(g: LabGuest): string {
  return `${g.type === 'qemu' ? 'vm' : 'ct'}:${g.vmid}`;
}

/** Parse `vm:100`, `ct:200` or a bare `100`. */
export function parseSid(text: string): { type?: 'qemu' | 'lxc'; vmid: number } | undefined {
  const m = /^(?:(vm|ct):)?(\d+)$/.exec(text);
  if (!m) return undefined;
  return { type: m[1] === 'vm' ? 'qemu' : m[1] === 'ct' ? 'lxc' : undefined, vmid: Number(m[2]) };
}

/** Why a guest cannot start on its node, or undefined when it can. */
export function startBlocker(world: LabWorld, cluster: LabCluster, g: LabGuest): string | undefined {
  if (nodeLocalStorage(g.storage) && diskNodeOf(world, cluster, g) !== g.node) {
    const vol = g.type === 'qemu' ? `vm-${g.vmid}-disk-0` : `subvol-${g.vmid}-disk-0`;
    return `zfs error: cannot open 'rpool/data/${vol}': dataset does not exist`;
  }
  return undefined;
}

/**
 * Mark a hypervisor as failed right now: running guests on it stop (they died with it), HA
 * services go to `fence`. The machine's own power/boot state is the caller's (fault helper's).
 * The ticker also notices a dead node by itself; calling this only makes it immediate.
 */
export function failHypervisor(world: LabWorld, node: string): void {
  const rt = runtime(world);
  if (!rt.downSince.has(node)) rt.downSince.set(node, world.now());
  for (const c of world.clusters.values()) {
    if (!c.nodes.includes(node)) continue;
    for (const g of c.guests) if (g.node === node) killGuest(g);
  }
}

function killGuest(g: LabGuest): void {
  g.status = 'stopped';
  g.startedAt = undefined;
  if (g.ha === 'started' || g.ha === 'migrate' || g.ha === 'relocate') g.ha = 'fence';
  if (g.lock === 'migrate') g.lock = undefined;
}

/** Bring HA services in line with their requested state on quorate, online nodes. */
export function haConverge(world: LabWorld, cluster: LabCluster): void {
  const part = quoratePartition(world, cluster);
  if (!part) return;
  for (const g of cluster.guests) {
    if (!g.ha || !part.members.includes(g.node) || g.lock) continue;
    if (g.ha === 'started' && g.status !== 'running') {
      const why = startBlocker(world, cluster, g);
      if (why) {
        g.ha = 'error';
      } else {
        g.status = 'running';
        g.startedAt = world.now();
      }
    } else if ((g.ha === 'stopped' || g.ha === 'disabled') && g.status === 'running') {
      g.status = 'stopped';
      g.startedAt = undefined;
    }
  }
}

/** Choose a recovery node for a fenced service: its HA group's nodes first, then the fewest guests. */
function recoveryTarget(cluster: LabCluster, g: LabGuest, candidates: string[]): string | undefined {
  const group = cluster.haGroups.find((h) => h.name === g.haGroup);
  let pool = candidates.filter((n) => n !== g.node);
  if (group) {
    const inGroup = pool.filter((n) => group.nodes.includes(n));
    if (inGroup.length) pool = inGroup;
  }
  const load = (n: string) => cluster.guests.filter((x) => x.node === n).length;
  return pool.sort((a, b) => load(a) - load(b) || a.localeCompare(b))[0];
}

/** The PVE ticker: failure detection, fencing/recovery, pending HA moves, quorum bookkeeping. */
export function pveTicker(world: LabWorld): void {
  const rt = runtime(world);
  const now = world.now();
  // Delayed actions first (HA migrations finishing).
  const due = rt.pending.filter((p) => p.at <= now);
  if (due.length) {
    rt.pending = rt.pending.filter((p) => p.at > now);
    for (const p of due) p.apply(world);
  }
  for (const c of world.clusters.values()) {
    for (const n of c.nodes) {
      const up = memberOnline(world, c, n);
      if (!up) {
        if (!rt.downSince.has(n)) rt.downSince.set(n, now);
        for (const g of c.guests) {
          if (g.node !== n) continue;
          // A powered-off or crashed node takes its guests with it; a node cut off the network
          // keeps non-HA guests running but self-fences its HA services.
          if (!nodeRunning(world, n) || g.ha) {
            if (g.status === 'running' || g.ha === 'started') killGuest(g);
          }
        }
      } else if (rt.downSince.has(n)) {
        rt.downSince.delete(n);
        // Back in the cluster: the LRM restarts fenced services that were not recovered elsewhere.
        for (const g of c.guests) if (g.node === n && g.ha === 'fence') g.ha = 'started';
      }
    }
    // The runtime `pvecm expected` value is dropped once every configured node votes again.
    const part = quoratePartition(world, c);
    if (part && part.totalVotes >= part.configured) rt.expected.delete(c.name);
    if (part) {
      rt.haStamp.set(c.name, { master: part.members[0], at: now });
      for (const g of c.guests) {
        if (g.ha !== 'fence' || part.members.includes(g.node)) continue;
        const since = rt.downSince.get(g.node) ?? now;
        if (now - since < FENCE_DELAY_MS) continue;
        const target = recoveryTarget(c, g, part.members);
        if (!target) continue;
        const disk = diskNodeOf(world, c, g);
        g.node = target;
        setDiskNode(world, c, g, nodeLocalStorage(g.storage) ? disk : target);
        g.ha = 'started';
        g.lock = undefined;
      }
    }
    haConverge(world, c);
  }
}

export interface HaStatusRecord {
  id: string;
  type: 'quorum' | 'master' | 'lrm' | 'service';
  node: string;
  status: string;
  quorate?: number;
  timestamp?: number;
  sid?: string;
  state?: string;
  crm_state?: string;
  request_state?: string;
  max_restart?: number;
  max_relocate?: number;
}

/** What `/cluster/ha/status/current` returns, seen from `local`. */
export function haStatus(world: LabWorld, cluster: LabCluster, local: string): HaStatusRecord[] {
  const rt = runtime(world);
  const now = world.now();
  const view = quorumView(world, cluster, local);
  const out: HaStatusRecord[] = [];
  out.push({
    id: 'quorum',
    type: 'quorum',
    node: local,
    status: view.quorate ? 'OK' : `No quorum on node '${local}'!`,
    quorate: view.quorate ? 1 : 0,
  });
  const managed = cluster.guests.filter((g) => g.ha).sort((a, b) => haSid(a).localeCompare(haSid(b)));
  if (!managed.length && !rt.haStamp.has(cluster.name)) return out;
  if (view.quorate) rt.haStamp.set(cluster.name, { master: view.members[0], at: now });
  const stamp = rt.haStamp.get(cluster.name);
  if (stamp) {
    const fresh = now - stamp.at <= STALE_MS;
    out.push({
      id: 'master',
      type: 'master',
      node: stamp.master,
      status: `${stamp.master} (${fresh ? 'active' : 'old timestamp - dead?'}, ${ctime(stamp.at)})`,
      timestamp: Math.floor(stamp.at / 1000),
    });
  } else {
    out.push({ id: 'master', type: 'master', node: '', status: 'unknown' });
  }
  for (const n of cluster.nodes) {
    const online = view.members.includes(n) && nodeUp(world, n);
    const since = rt.downSince.get(n);
    const at = online ? now : (since ?? now);
    const mode = !online
      ? now - at > STALE_MS
        ? 'old timestamp - dead?'
        : 'active'
      : managed.some((g) => g.node === n && g.ha === 'started')
        ? 'active'
        : 'idle';
    out.push({ id: `lrm:${n}`, type: 'lrm', node: n, status: `${n} (${mode}, ${ctime(at)})`, timestamp: Math.floor(at / 1000) });
  }
  for (const g of managed) {
    const sid = haSid(g);
    const request = g.ha === 'stopped' || g.ha === 'disabled' || g.ha === 'ignored' ? g.ha : 'started';
    out.push({
      id: `service:${sid}`,
      type: 'service',
      sid,
      node: g.node,
      state: g.ha,
      crm_state: g.ha,
      request_state: request,
      max_restart: 1,
      max_relocate: 1,
      status: `${sid} (${g.node}, ${g.ha})`,
    });
  }
  return out;
}
