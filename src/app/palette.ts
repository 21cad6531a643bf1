/** The `:` palette: machines, VMs, views and actions, searched by name with typos forgiven. */
import type { Fleet } from '../model/fleet.js';
import type { ViewId } from './state.js';
import Fuse from 'fuse.js';

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
  readonly size: number;
}

/** Fuzzy matches may be this far off: fuse.js's threshold (errors per typed character). */
const FUZZ = 0.4;
const FUSE_OPTIONS = { keys: ['label'], threshold: FUZZ, ignoreLocation: true };

/**
 * The palette's items, searched by name: exact, then prefix, then substring matches of the names,
 * then of the details (a place like `paris/R002`, a role, a VMID); when those are fewer than asked
 * for, fuse.js's approximate matches of the names (typos: up to 0.4 errors per typed character).
 * fuse.js only sees the names that can be that close: those holding enough of the typed characters
 * (a text within k errors of a pattern of m characters holds at least m − k of them), a cheap count
 * that keeps a typo's search over 12,000 items short.
 * Items are built on the first search: a probe round makes a new index, most are never opened.
 */
type GuestLike = { vmid: number; name: string; node: string; type: string };

/** `guests` may be a function: the live guests are then worked out only if the palette is searched. */
export function buildPalette(fleet: Fleet, guests: GuestLike[] | (() => GuestLike[]) = [], readOnly = false): PaletteIndex {
  let built: { items: PaletteItem[]; labels: string[]; details: string[] } | undefined;
  const build = () =>
    (built ??= (() => {
      const items: PaletteItem[] = [
        ...fleet.machines.map((m): PaletteItem => ({ kind: 'machine', label: m.name, detail: `${m.site}/${m.rack} U${m.u} ${m.roles.join(',')}`, machine: m.name })),
        ...dedupeGuests(fleet, typeof guests === 'function' ? guests() : guests).map((g): PaletteItem => ({ kind: 'vm', label: g.name, detail: `${g.type} ${g.vmid} on ${g.node}`, node: g.node, vmid: g.vmid })),
        ...VIEWS.map((v): PaletteItem => ({ kind: 'view', ...v })),
        { kind: 'action', label: 'refresh', detail: 'probe every machine now', action: 'refresh' },
        ...(readOnly ? [] : [{ kind: 'action' as const, label: 'runbooks', detail: 'start a runbook', action: 'runbooks' }]),
      ];
      return { items, labels: items.map((i) => i.label.toLowerCase()), details: items.map((i) => i.detail.toLowerCase()) };
    })());
  let last: { q: string; limit: number; out: PaletteItem[] } | undefined;
  return {
    get size() {
      return build().items.length;
    },
    search(query, limit = 10) {
      const { items, labels, details } = build();
      const q = query.trim();
      if (!q) return items.slice(0, limit);
      // the view and the key handler ask for the same query in one keystroke
      if (last && last.q === q && last.limit === limit) return last.out;
      const l = q.toLowerCase();
      const exact: number[] = [];
      const prefix: number[] = [];
      const inside: number[] = [];
      for (let i = 0; i < items.length && exact.length + prefix.length < limit; i++) {
        const at = labels[i].indexOf(l);
        if (at < 0) continue;
        (labels[i] === l ? exact : at === 0 ? prefix : inside).push(i);
      }
      const picked = [...exact, ...prefix, ...inside].slice(0, limit);
      for (let i = 0; i < items.length && picked.length < limit; i++) if (details[i].includes(l) && !picked.includes(i)) picked.push(i);
      if (picked.length < limit) picked.push(...fuzzy(l, labels, new Set(picked), limit - picked.length));
      const out = picked.map((i) => items[i]);
      last = { q, limit, out };
      return out;
    },
  };
}

/** The `want` best fuse.js matches not in `skip`, among the items that can be close enough. */
function fuzzy(q: string, labels: string[], skip: Set<number>, want: number): number[] {
  const need = q.length - Math.floor(FUZZ * q.length + 1e-9);
  const counts = new Map<number, number>();
  for (let j = 0; j < q.length; j++) counts.set(q.charCodeAt(j), (counts.get(q.charCodeAt(j)) ?? 0) + 1);
  const codes = [...counts.keys()];
  const budget = new Int16Array(Math.max(...codes) + 1);
  const holds = (text: string): boolean => {
    for (const c of codes) budget[c] = counts.get(c)!;
    let got = 0;
    for (let j = 0; j < text.length && got < need; j++) {
      const c = text.charCodeAt(j);
      if (c < budget.length && budget[c] > 0) (budget[c]--, got++);
    }
    return got >= need;
  };
  const candidates: { i: number; label: string }[] = [];
  for (let i = 0; i < labels.length; i++) if (!skip.has(i) && holds(labels[i])) candidates.push({ i, label: labels[i] });
  // among names as far off, those holding every typed character in order (one left out) first, then item order
  const inOrder = candidates.map((c) => isSubsequence(q, c.label));
  const sortFn = (a: { idx: number; score: number }, b: { idx: number; score: number }) => a.score - b.score || Number(inOrder[b.idx]) - Number(inOrder[a.idx]) || a.idx - b.idx;
  return new Fuse(candidates, { ...FUSE_OPTIONS, sortFn }).search(q, { limit: want }).map((r) => r.item.i);
}

function isSubsequence(q: string, text: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length && j < q.length; i++) if (text.charCodeAt(i) === q.charCodeAt(j)) j++;
  return j === q.length;
}

function dedupeGuests(fleet: Fleet, live: { vmid: number; name: string; node: string; type: string }[]) {
  const seen = new Map<number, { vmid: number; name: string; node: string; type: string }>();
  for (const v of fleet.vms) seen.set(v.id, { vmid: v.id, name: v.name, node: v.node, type: v.type });
  for (const g of live) seen.set(g.vmid, g);
  return [...seen.values()];
}
