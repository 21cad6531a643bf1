/**
 * Memoized views of the fleet and its probes, for the console's key handler and views: each is
 * computed once per fleet / probe round / filter, not on every keypress or frame. Pure: same
 * results as the plain computations in fleetView.ts, only cached.
 */
import type { Fleet, Machine } from '../model/fleet.js';
import type { HealthLevel } from '../model/health.js';
import type { GuestInfo, MachineProbe } from '../probe/types.js';
import { hypervisors, levelOf, liveGuests, reasonsOf, type HypervisorRoom } from './fleetView.js';

type Probes = Record<string, MachineProbe>;

/** One cached result per (fleet, probes) pair: a new probe round or fleet computes afresh. */
function perRound<R>(compute: (fleet: Fleet, probes: Probes) => R): (fleet: Fleet, probes: Probes) => R {
  const cache = new WeakMap<Probes, { fleet: Fleet; value: R }>();
  return (fleet, probes) => {
    const hit = cache.get(probes);
    if (hit && hit.fleet === fleet) return hit.value;
    const value = compute(fleet, probes);
    cache.set(probes, { fleet, value });
    return value;
  };
}

/** Machines per health level, for the header. */
export const healthCounts = perRound((fleet, probes): Record<HealthLevel, number> => {
  const counts = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  for (const m of fleet.machines) counts[levelOf(probes[m.name])]++;
  return counts;
});

/** liveGuests, once per probe round (the palette and the VMs view share it). */
export const liveGuestsOf = perRound((fleet, probes): GuestInfo[] => liveGuests(fleet, probes));

/** hypervisors (guests and room if one fails), once per probe round. */
export const hypervisorsOf = perRound((fleet, probes): HypervisorRoom[] => hypervisors(fleet, probes, liveGuestsOf(fleet, probes)));

const byName = new WeakMap<Fleet, Map<string, Machine>>();

/** The machine of that name (first one if an inventory repeats a name), without scanning the fleet. */
export function machineNamed(fleet: Fleet, name: string | undefined): Machine | undefined {
  if (name === undefined) return undefined;
  let map = byName.get(fleet);
  if (!map) {
    map = new Map();
    for (const m of fleet.machines) if (!map.has(m.name)) map.set(m.name, m);
    byName.set(fleet, map);
  }
  return map.get(name);
}

/** What the machines view's filter searches, per machine: name, place, roles, health and its reasons. */
const haystacks = perRound((fleet, probes): string[] =>
  fleet.machines.map((m) => {
    const p = probes[m.name];
    return [m.name, m.site, m.rack, ...m.roles, levelOf(p), reasonsOf(p)].join('\u0000').toLowerCase();
  }),
);

export interface MachineList {
  machines: Machine[];
  /** Position of a machine name in `machines` (first occurrence). */
  indexOf(name: string | undefined): number;
}

function machineList(machines: Machine[]): MachineList {
  let pos: Map<string, number> | undefined;
  return {
    machines,
    indexOf(name) {
      if (name === undefined) return -1;
      if (!pos) {
        pos = new Map();
        machines.forEach((m, i) => pos!.has(m.name) || pos!.set(m.name, i));
      }
      return pos.get(name) ?? -1;
    },
  };
}

let lastList: { fleet: Fleet; probes: Probes; filter: string; list: MachineList; picked: number[] } | undefined;

/**
 * The machines view's rows: every machine, or those where the filter (case-insensitive) is in the
 * name, site, rack, a role, the health level or its reasons. Typing one more character narrows the
 * previous result instead of searching the fleet again.
 */
export function filteredMachines(fleet: Fleet, probes: Probes, filter: string): MachineList {
  const f = filter.toLowerCase();
  if (lastList && lastList.fleet === fleet && lastList.probes === probes && lastList.filter === f) return lastList.list;
  let picked: number[];
  if (!f) picked = fleet.machines.map((_, i) => i);
  else {
    const hay = haystacks(fleet, probes);
    // a longer filter only keeps rows the shorter one kept
    const from = lastList && lastList.fleet === fleet && lastList.probes === probes && lastList.filter && f.startsWith(lastList.filter) ? lastList.picked : undefined;
    picked = [];
    if (from) for (const i of from) hay[i].includes(f) && picked.push(i);
    else for (let i = 0; i < hay.length; i++) if (hay[i].includes(f)) picked.push(i);
  }
  const list = machineList(f ? picked.map((i) => fleet.machines[i]) : fleet.machines);
  lastList = { fleet, probes, filter: f, list, picked };
  return list;
}
