/**
 * The racks view's structure, computed once per fleet (and per filter): each rack's machines,
 * elevation rows and up/down order, and which rack holds a machine. The key handler and the view
 * share it, so a keypress looks things up instead of walking the fleet.
 */
import type { Fleet, Machine, Rack } from '../../model/fleet.js';
import { machinesInRack } from '../../model/fleet.js';
import { rackOrder, rackRowsCached, type RackRow } from './rackRows.js';

export interface RackInfo {
  rack: Rack;
  machines: Machine[];
  rows: RackRow[];
  /** Machine names top first, for up/down. */
  order: string[];
  /** Position of each name in `order`. */
  orderIndex: Map<string, number>;
}

const indexes = new WeakMap<Fleet, RackInfo[]>();

export function rackInfos(fleet: Fleet): RackInfo[] {
  let infos = indexes.get(fleet);
  if (!infos) {
    infos = fleet.racks.map((rack) => {
      const machines = machinesInRack(fleet, rack.site, rack.name);
      const rows = rackRowsCached(rack, machines);
      const order = rackOrder(rows);
      const orderIndex = new Map<string, number>();
      order.forEach((n, i) => orderIndex.has(n) || orderIndex.set(n, i));
      return { rack, machines, rows, order, orderIndex };
    });
    indexes.set(fleet, infos);
  }
  return infos;
}

/** The racks filter: a machine's name or one of its roles contains the text (case-insensitive). */
export function machineMatches(m: Machine, filter: string): boolean {
  const f = filter.toLowerCase();
  return m.name.toLowerCase().includes(f) || m.roles.some((r) => r.toLowerCase().includes(f));
}

export interface VisibleRacks {
  racks: RackInfo[];
  /** Index in `racks` of the rack where the machine is listed in the up/down order, or -1. */
  rackOf(name: string | undefined): number;
}

let last: { fleet: Fleet; filter: string; value: VisibleRacks } | undefined;

/** Racks shown for a filter (every rack without one), with a machine → rack lookup. */
export function visibleRackInfos(fleet: Fleet, filter: string): VisibleRacks {
  if (last && last.fleet === fleet && last.filter === filter) return last.value;
  const racks = rackInfos(fleet).filter((r) => !filter || r.machines.some((m) => machineMatches(m, filter)));
  let where: Map<string, number> | undefined;
  const value: VisibleRacks = {
    racks,
    rackOf(name) {
      if (name === undefined) return -1;
      if (!where) {
        where = new Map();
        racks.forEach((r, i) => r.order.forEach((n) => where!.has(n) || where!.set(n, i)));
      }
      return where.get(name) ?? -1;
    },
  };
  last = { fleet, filter, value };
  return value;
}
