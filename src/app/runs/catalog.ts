/** The runbooks the console offers: shipped + configured directories, and unfinished journals. */
import type { LoadedRunbook } from '../../runbook/load.js';
import { listRunbooks } from '../../runbook/catalog.js';
import { listRuns } from '../../runbook/journal.js';
import type { Machine } from '../../model/fleet.js';
import type { JournalRow, ParamSpec, RunbookEntry, UnfinishedRun } from './types.js';

export function entryOf(l: LoadedRunbook): RunbookEntry {
  const base = l.file.replace(/^.*[/\\]/, '').replace(/\.ya?ml$/, '');
  const rb = l.runbook;
  if (!rb) return { name: base, title: '(does not load)', file: l.file, appliesTo: [], params: [], problems: l.problems.map((p) => `${p.line}:${p.col} ${p.message}`) };
  const params: ParamSpec[] = Object.entries(rb.params ?? {}).map(([name, p]) => ({
    name,
    type: p.type,
    required: p.required !== false,
    default: 'default' in p && p.default !== undefined ? (Array.isArray(p.default) ? p.default.join(',') : String(p.default)) : undefined,
    role: 'role' in p ? p.role : undefined,
    pattern: p.type === 'string' ? p.pattern : undefined,
    values: p.type === 'enum' ? p.values : undefined,
    doc: p.doc?.trim(),
    from: p.type === 'secret' ? [p.env && `$${p.env}`, p.file].filter(Boolean).join(' or ') : undefined,
  }));
  return { name: rb.runbook, title: rb.title, budget: rb.budget, doc: rb.doc, file: l.file, appliesTo: rb.applies_to ?? [], params, problems: [] };
}

/** A runbook applies to a machine when one of its `applies_to` roles is the machine's. */
export function appliesTo(e: RunbookEntry, m: Machine): boolean {
  return e.appliesTo.some((r) => r === 'any' || m.roles.includes(r));
}

/** The first host param whose role the machine has (or any host param without a role). */
export function hostParamFor(e: RunbookEntry, m: Machine): string | undefined {
  const hosts = e.params.filter((p) => p.type === 'host');
  return (hosts.find((p) => p.role && m.roles.includes(p.role)) ?? hosts.find((p) => !p.role || p.role === 'any'))?.name;
}

export function unfinishedRuns(journalDir: string): UnfinishedRun[] {
  return listRuns(journalDir)
    .filter((r) => r.status === 'unfinished')
    .reverse()
    .map((r) => ({ run: r.run, file: r.file, runbook: r.runbook, title: r.title, operator: r.operator, startedAt: r.startedAt }));
}

export function journalRows(journalDir: string): JournalRow[] {
  return listRuns(journalDir).reverse();
}

export async function loadCatalog(dirs: string[], journalDir: string): Promise<{ entries: RunbookEntry[]; unfinished: UnfinishedRun[] }> {
  const loaded = await listRunbooks(dirs);
  const entries = loaded.map(entryOf).sort((a, b) => a.name.localeCompare(b.name));
  return { entries, unfinished: unfinishedRuns(journalDir) };
}
