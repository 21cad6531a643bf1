/** The `:` palette: machines, VMs, views and actions, searched by name with typos forgiven. */
import type { Fleet } from '../model/fleet.js';
import type { ViewId } from './state.js';
import { approxErrors, compilePattern } from './fuzzy.js';

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

/** Fuzzy matches may be this far off: edits per typed character (fuse.js's threshold the palette used). */
const FUZZ = 0.4;

/**
 * The palette's items, searched by name: exact, then prefix, then substring matches of the names;
 * when those are fewer than asked for, approximate matches (typos: a wrong, missing, extra or
 * swapped character, up to 0.4 per typed character) of names, then of details, fewest edits first.
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
      if (picked.length < limit) picked.push(...fuzzy(l, labels, details, new Set(picked), limit - picked.length));
      const out = picked.map((i) => items[i]);
      last = { q, limit, out };
      return out;
    },
  };
}

/** The `want` best approximate matches not in `skip`: fewest edits, a name before a detail, then item order. */
function fuzzy(q: string, labels: string[], details: string[], skip: Set<number>, want: number): number[] {
  const p = compilePattern(q);
  const k = Math.floor(FUZZ * p.m + 1e-9);
  // best first; a detail match counts half an edit more than the same in a name
  const top: { i: number; score: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (skip.has(i)) continue;
    const worst = top.length === want ? top[top.length - 1].score : Infinity;
    const eName = approxErrors(p, labels[i], k);
    // among names as far off, those holding every typed character in order first (a character left out)
    let score = eName > k ? Infinity : eName > 0 && isSubsequence(q, labels[i]) ? eName - 0.25 : eName;
    if (score > 0.5 && worst > 0.5) {
      const eDetail = approxErrors(p, details[i], k);
      if (eDetail <= k && eDetail + 0.5 < score) score = eDetail + 0.5;
    }
    if (score >= worst) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].score > score) at--;
    top.splice(at, 0, { i, score });
    if (top.length > want) top.pop();
  }
  return top.map((t) => t.i);
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
