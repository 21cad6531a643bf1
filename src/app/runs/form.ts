/** The params form: one field per runbook parameter, pickers for machines and choices. Pure. */
import type { Fleet } from '../../model/fleet.js';
import { hasRole } from '../../model/fleet.js';
import type { FormField, ParamsForm, ParamSpec, RunbookEntry } from './types.js';

export function secretAvailable(p: ParamSpec, env: NodeJS.ProcessEnv, exists: (f: string) => boolean): boolean {
  const m = /^\$(\S+)/.exec(p.from ?? '');
  if (m && env[m[1]]) return true;
  const file = (p.from ?? '').split(' or ').find((x) => !x.startsWith('$'));
  return !!file && exists(file);
}

export function newForm(e: RunbookEntry, preset: Record<string, string> = {}, env: NodeJS.ProcessEnv = process.env, exists: (f: string) => boolean = () => false): ParamsForm {
  const fields: FormField[] = e.params.map((spec) => ({
    spec,
    value: spec.type === 'secret' ? '' : (preset[spec.name] ?? spec.default ?? ''),
    secretSet: spec.type === 'secret' ? secretAvailable(spec, env, exists) : undefined,
  }));
  // focus the first field that still needs a value
  const empty = fields.findIndex((f) => f.spec.type !== 'secret' && !f.value && f.spec.required);
  return { runbook: e.name, title: e.title, fields, focus: empty >= 0 ? empty : fields.length, problems: [] };
}

export function hasPicker(f: FormField | undefined): boolean {
  return !!f && (f.spec.type === 'host' || f.spec.type === 'hosts' || f.spec.type === 'enum');
}

/** What the picker offers for a field: machines with the role, or the enum's values, filtered by the query. */
export function pickerItems(f: FormField, fleet: Fleet, query: string): { value: string; detail: string }[] {
  const q = query.trim().toLowerCase();
  let items: { value: string; detail: string }[];
  if (f.spec.type === 'enum') items = (f.spec.values ?? []).map((v) => ({ value: v, detail: '' }));
  else {
    const role = f.spec.role && f.spec.role !== 'any' ? f.spec.role : undefined;
    items = fleet.machines.filter((m) => !role || hasRole(m, role)).map((m) => ({ value: m.name, detail: `${m.roles.join(',')} ${m.site}/${m.rack} U${m.u}` }));
  }
  if (!q) return items;
  // names that start with the query first, then names that contain it, then details
  const starts = items.filter((i) => i.value.toLowerCase().startsWith(q));
  const contains = items.filter((i) => !starts.includes(i) && i.value.toLowerCase().includes(q));
  const detail = items.filter((i) => !starts.includes(i) && !contains.includes(i) && i.detail.toLowerCase().includes(q));
  return [...starts, ...contains, ...detail];
}

/** `given` for resolveParams: the non-empty, non-secret values. */
export function givenOf(form: ParamsForm): Record<string, string> {
  const g: Record<string, string> = {};
  for (const f of form.fields) if (f.spec.type !== 'secret' && f.value.trim() !== '') g[f.spec.name] = f.value.trim();
  return g;
}

/** A field after a pick: hosts append (comma-separated), others replace. */
export function pick(f: FormField, value: string): FormField {
  if (f.spec.type === 'hosts') {
    const have = f.value.split(',').map((s) => s.trim()).filter(Boolean);
    return { ...f, value: (have.includes(value) ? have.filter((h) => h !== value) : [...have, value]).join(',') };
  }
  return { ...f, value };
}

/** How a field is described beside its value. */
export function fieldHint(f: FormField): string {
  const s = f.spec;
  switch (s.type) {
    case 'host':
      return `machine${s.role && s.role !== 'any' ? ` with role ${s.role}` : ''} (Enter: pick)`;
    case 'hosts':
      return `machines${s.role && s.role !== 'any' ? ` with role ${s.role}` : ''} (Enter: pick, again to remove)`;
    case 'enum':
      return `one of ${(s.values ?? []).join(' | ')} (Enter: choose)`;
    case 'string':
      return s.pattern ? `text matching ${s.pattern}` : 'text';
    case 'int':
      return 'a whole number';
    case 'duration':
      return 'a duration like 30s, 15m, 1h';
    case 'secret':
      return `secret from ${s.from}: ${f.secretSet ? 'set' : 'NOT SET'} (never typed here)`;
  }
}
