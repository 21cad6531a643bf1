/**
 * The rows of one rack elevation, top U first. Machines occupy as many rows as their height;
 * runs of empty U collapse into one row so a 42U rack fits a 24-line terminal.
 */
import type { Machine, Rack } from '../../model/fleet.js';

export type RackRow =
  | { kind: 'machine'; machine: Machine; u: number; first: boolean; last: boolean }
  | { kind: 'free'; fromU: number; toU: number };

const cache = new WeakMap<Machine[], Map<Rack, RackRow[]>>();

/** rackRows, computed once per rack per fleet (machinesInRack returns the same array for a fleet). */
export function rackRowsCached(rack: Rack, machines: Machine[]): RackRow[] {
  let m = cache.get(machines);
  if (!m) cache.set(machines, (m = new Map()));
  let rows = m.get(rack);
  if (!rows) m.set(rack, (rows = rackRows(rack, machines)));
  return rows;
}

export function rackRows(rack: Rack, machines: Machine[], opts: { maxFreeRows?: number } = {}): RackRow[] {
  const byU = new Map<number, Machine>();
  for (const m of machines) for (let u = m.u; u < m.u + m.height; u++) if (!byU.has(u)) byU.set(u, m);
  const rows: RackRow[] = [];
  let freeTop: number | undefined;
  const flushFree = (bottom: number) => {
    if (freeTop === undefined) return;
    rows.push({ kind: 'free', fromU: bottom, toU: freeTop });
    freeTop = undefined;
  };
  for (let u = rack.height; u >= 1; u--) {
    const m = byU.get(u);
    if (!m) {
      freeTop ??= u;
      continue;
    }
    flushFree(u + 1);
    const top = m.u + m.height - 1;
    rows.push({ kind: 'machine', machine: m, u, first: u === Math.min(top, rack.height), last: u === m.u });
  }
  flushFree(1);
  void opts;
  return rows;
}

/** Machines of a rack in on-screen order (top first), for up/down selection. */
export function rackOrder(rows: RackRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) if (r.kind === 'machine' && r.first) out.push(r.machine.name);
  return out;
}
