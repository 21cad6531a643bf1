/** The `:` palette: machines, VMs, views and actions searched with fuse.js. */
import Fuse from 'fuse.js';
import type { Fleet } from '../model/fleet.js';
import type { ViewId } from './state.js';

export type PaletteItem =
  | { kind: 'machine'; label: string; detail: string; machine: string }
  | { kind: 'vm'; label: string; detail: string; node: string; vmid: number }
  | { kind: 'view'; label: string; detail: string; view: ViewId }
  | { kind: 'action'; label: string; detail: string; action: string; machine?: string };

const VIEWS: { view: ViewId; label: string; detail: string }[] = [
  { view: 'racks', label: 'racks', detail: 'rack elevations per site' },
  { view: 'machines', label: 'machines', detail: 'table of every machine' },
  { view: 'vms', label: 'vms', detail: 'hypervisors and their guests' },
  { view: 'runbooks', label: 'runbooks', detail: 'procedures to run' },
  { view: 'journal', label: 'journal', detail: 'runs and their timelines' },
  { view: 'run', label: 'run', detail: 'the run going on: steps, output, questions' },
];

export interface PaletteIndex {
  search(query: string, limit?: number): PaletteItem[];
  size: number;
}

export function buildPalette(fleet: Fleet, guests: { vmid: number; name: string; node: string; type: string }[] = [], readOnly = false): PaletteIndex {
  const items: PaletteItem[] = [
    ...fleet.machines.map((m): PaletteItem => ({ kind: 'machine', label: m.name, detail: `${m.site}/${m.rack} U${m.u} ${m.roles.join(',')}`, machine: m.name })),
    ...dedupeGuests(fleet, guests).map((g): PaletteItem => ({ kind: 'vm', label: g.name, detail: `${g.type} ${g.vmid} on ${g.node}`, node: g.node, vmid: g.vmid })),
    ...VIEWS.map((v): PaletteItem => ({ kind: 'view', ...v })),
    { kind: 'action', label: 'refresh', detail: 'probe every machine now', action: 'refresh' },
    ...(readOnly ? [] : [{ kind: 'action' as const, label: 'runbooks', detail: 'start a runbook', action: 'runbooks' }]),
  ];
  const fuse = new Fuse(items, { keys: [{ name: 'label', weight: 3 }, { name: 'detail', weight: 1 }], threshold: 0.4, ignoreLocation: true });
  const lower = items.map((i) => i.label.toLowerCase());
  let last: { q: string; limit: number; out: PaletteItem[] } | undefined;
  return {
    size: items.length,
    search(query, limit = 10) {
      const q = query.trim();
      if (!q) return items.slice(0, limit);
      // the view and the key handler ask for the same query in one keystroke
      if (last && last.q === q && last.limit === limit) return last.out;
      // Names the operator typed (exact, then prefix, then substring) answer without fuzzy search;
      // fuse.js only fills in when there are fewer than `limit` of those.
      const l = q.toLowerCase();
      const exact: PaletteItem[] = [];
      const prefix: PaletteItem[] = [];
      const inside: PaletteItem[] = [];
      for (let i = 0; i < items.length && exact.length + prefix.length < limit; i++) {
        const at = lower[i].indexOf(l);
        if (at < 0) continue;
        (lower[i] === l ? exact : at === 0 ? prefix : inside).push(items[i]);
      }
      let out = [...exact, ...prefix, ...inside].slice(0, limit);
      if (out.length < limit) out = [...out, ...fuse.search(q, { limit }).map((r) => r.item).filter((i) => !out.includes(i))].slice(0, limit);
      last = { q, limit, out };
      return out;
    },
  };
}

function dedupeGuests(fleet: Fleet, live: { vmid: number; name: string; node: string; type: string }[]) {
  const seen = new Map<number, { vmid: number; name: string; node: string; type: string }>();
  for (const v of fleet.vms) seen.set(v.id, { vmid: v.id, name: v.name, node: v.node, type: v.type });
  for (const g of live) seen.set(g.vmid, g);
  return [...seen.values()];
}
