/** What the runbooks and journal views list, computed from the state. Pure. */
import Fuse from 'fuse.js';
import type { AppState } from '../state.js';
import { appliesTo } from './catalog.js';
import type { LiveRun, RunbookEntry, UnfinishedRun } from './types.js';

export type RunbookRow = { kind: 'resume'; run: UnfinishedRun } | { kind: 'runbook'; entry: RunbookEntry };

const fuseCache = new WeakMap<RunbookEntry[], Fuse<RunbookEntry>>();

/** Unfinished runs first (resume), then the runbooks: restricted to a machine's roles, fuzzy-filtered. */
export function runbookRows(s: AppState): RunbookRow[] {
  const { entries, unfinished } = s.runUi.catalog;
  const m = s.runUi.forMachine ? s.fleet.machines.find((x) => x.name === s.runUi.forMachine) : undefined;
  let list = m ? entries.filter((e) => appliesTo(e, m)) : entries;
  const q = s.filter.trim();
  if (q) {
    let fuse = fuseCache.get(entries);
    if (!fuse) fuseCache.set(entries, (fuse = new Fuse(entries, { keys: [{ name: 'name', weight: 3 }, { name: 'title', weight: 2 }, { name: 'appliesTo', weight: 1 }], threshold: 0.4, ignoreLocation: true })));
    const allowed = new Set(list);
    list = fuse.search(q).map((r) => r.item).filter((e) => allowed.has(e));
  }
  const resumes = unfinished.filter((u) => (!m || list.some((e) => e.name === u.runbook)) && (!q || u.runbook.includes(q) || u.title.toLowerCase().includes(q.toLowerCase())));
  return [...resumes.map((run): RunbookRow => ({ kind: 'resume', run })), ...list.map((entry): RunbookRow => ({ kind: 'runbook', entry }))];
}

export function clampIndex(i: number, n: number): number {
  return n <= 0 ? 0 : Math.max(0, Math.min(n - 1, i));
}

/** The run the run view shows: the chosen one, else the newest running, else the newest. */
export function shownRun(s: AppState): LiveRun | undefined {
  const live = s.runUi.live;
  if (s.runUi.current && live[s.runUi.current]) return live[s.runUi.current];
  const all = Object.values(live).sort((a, b) => b.startedAt - a.startedAt);
  return all.find((r) => r.status === 'running') ?? all[0];
}
