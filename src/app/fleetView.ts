/** Derived, pure facts the views show: health per machine, staleness, guests and room per hypervisor. */
import type { Fleet, Machine } from '../model/fleet.js';
import type { HealthLevel } from '../model/health.js';
import type { GuestInfo, MachineProbe } from '../probe/types.js';
import { formatDuration } from '../model/duration.js';

export function levelOf(p: MachineProbe | undefined): HealthLevel {
  return p ? p.health.level : 'unknown';
}

export function reasonsOf(p: MachineProbe | undefined): string {
  if (!p) return 'not probed yet';
  const r = p.health.reasons.filter((x) => x.level !== 'ok').map((x) => x.text);
  return r.length ? r.join('; ') : 'ok';
}

export function ageText(p: MachineProbe | undefined, now: number): string {
  if (!p) return '-';
  return formatDuration(Math.max(0, now - p.at));
}

/** A probe older than 3 refresh intervals is stale. */
export function isStale(p: MachineProbe | undefined, now: number, refreshMs: number): boolean {
  return !!p && now - p.at > 3 * refreshMs;
}

/** Live guests from whichever hypervisor answered most recently (pvesh is cluster-wide). */
export function liveGuests(fleet: Fleet, probes: Record<string, MachineProbe>): GuestInfo[] {
  const byId = new Map<string, { g: GuestInfo; at: number }>();
  for (const p of Object.values(probes)) {
    for (const g of p.guests ?? []) {
      const key = `${g.type}/${g.vmid}`;
      const cur = byId.get(key);
      if (!cur || p.at > cur.at) byId.set(key, { g, at: p.at });
    }
  }
  const out = [...byId.values()].map((x) => x.g);
  const seen = new Set(out.map((g) => g.vmid));
  for (const v of fleet.vms) {
    if (!seen.has(v.id)) out.push({ vmid: v.id, type: v.type, name: v.name, node: v.node, status: 'unknown', maxmem: v.memBytes, maxcpu: v.cpus });
  }
  return out.sort((a, b) => a.vmid - b.vmid);
}

export interface HypervisorRoom {
  node: string;
  guests: GuestInfo[];
  memUsed: number;
  memTotal: number;
  /** If this node fails, can the others hold its running guests' memory? */
  othersCanHold: boolean;
  need: number;
  free: number;
}

/** Per hypervisor: its guests and whether the others have room for them (fleetSelectors caches it per probe round). */
export function hypervisors(fleet: Fleet, probes: Record<string, MachineProbe>, guests: GuestInfo[] = liveGuests(fleet, probes)): HypervisorRoom[] {
  const nodes = new Map<string, { memTotal: number; memUsed: number }>();
  for (const p of Object.values(probes)) for (const n of p.nodes ?? []) nodes.set(n.node, { memTotal: n.maxmem ?? 0, memUsed: n.mem ?? 0 });
  const names = new Set<string>([...fleet.machines.filter(isHypervisor).map((m) => m.name), ...guests.map((g) => g.node)]);
  const rows: HypervisorRoom[] = [];
  const byNode = new Map<string, GuestInfo[]>();
  for (const g of guests) {
    const l = byNode.get(g.node);
    if (l) l.push(g);
    else byNode.set(g.node, [g]);
  }
  let freeAll = 0;
  for (const o of nodes.values()) freeAll += Math.max(0, o.memTotal - o.memUsed);
  for (const node of [...names].sort()) {
    const mine = byNode.get(node) ?? [];
    const n = nodes.get(node) ?? { memTotal: 0, memUsed: 0 };
    const need = mine.filter((g) => g.status === 'running').reduce((s, g) => s + (g.maxmem ?? 0), 0);
    const own = nodes.get(node);
    const free = freeAll - (own ? Math.max(0, own.memTotal - own.memUsed) : 0);
    rows.push({ node, guests: mine, memUsed: n.memUsed, memTotal: n.memTotal, need, free, othersCanHold: free >= need });
  }
  return rows;
}

export function isHypervisor(m: Machine): boolean {
  return m.roles.some((r) => r === 'proxmox' || r === 'hypervisor' || r === 'pve');
}

export function gib(bytes: number | undefined): string {
  if (!bytes) return '-';
  return `${(bytes / 2 ** 30).toFixed(bytes >= 10 * 2 ** 30 ? 0 : 1)}G`;
}
