/** Zod issues → problems positioned on the YAML node they are about. */
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { locateKey, nodePos, pathPos, type PathKey } from './positions.js';
import type { Problem } from './problems.js';

/** `machine 'eva'`, `rack 'A' of site 'paris'`, `VM 'web'`, `defaults`, plus the field path inside it. */
export function describePath(path: readonly PathKey[]): { where: string; field: string } {
  const [top, name, ...rest] = path;
  const fieldOf = (p: readonly PathKey[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  switch (top) {
    case 'machines':
      if (name === undefined) return { where: 'the inventory', field: 'machines' };
      return { where: `machine '${name}'`, field: fieldOf(rest) };
    case 'vms':
      if (name === undefined) return { where: 'the inventory', field: 'vms' };
      return { where: `VM '${name}'`, field: fieldOf(rest) };
    case 'sites': {
      if (name === undefined) return { where: 'the inventory', field: 'sites' };
      if (rest[0] === 'racks' && rest.length >= 2) return { where: `rack '${rest[1]}' of site '${name}'`, field: fieldOf(rest.slice(2)) };
      return { where: `site '${name}'`, field: fieldOf(rest) };
    }
    case 'defaults':
      return { where: 'defaults', field: fieldOf(path.slice(1)) };
    default:
      return { where: 'the inventory', field: fieldOf(path) };
  }
}

export function getIn(data: unknown, path: readonly PathKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k as string];
  }
  return v;
}

/** How a found value is shown: `'top'`, `12`, `a list`, `a mapping`, `nothing`. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 37) + '...' : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

/** Fallback "expected" phrases for issues whose schema gave none. */
export const fallbackError: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') {
    const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', array: 'a list', object: 'a mapping (key: value)', boolean: 'true or false', record: 'a mapping (key: value)' };
    return words[iss.expected] ?? `a ${iss.expected}`;
  }
  if (iss.code === 'unrecognized_keys') return 'no other keys';
  if (iss.code === 'invalid_value') return `one of: ${iss.values.map(String).join(', ')}`;
  return undefined;
};

type Issue = z.core.$ZodIssue;

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The known key nearest to a misspelt one (from `expected one of: a, b`), if close enough. */
function closest(key: string, expected: string): string | undefined {
  const m = /expected one of: (.*)$/.exec(expected);
  if (!m || key.length > 40) return undefined;
  let best: string | undefined;
  let bestD = Math.min(2, Math.floor(key.length / 3));
  for (const k of m[1].split(', ')) {
    const dd = distance(key.toLowerCase(), k);
    if (dd <= bestD && (best === undefined || dd < bestD)) {
      best = k;
      bestD = dd;
    }
  }
  return best;
}

/** Pick the union branch meant by the value (the one not failing on its own type), else none. */
function unionBranch(iss: Extract<Issue, { code: 'invalid_union' }>): Issue[] | undefined {
  const meant = iss.errors.filter((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0));
  return meant.length === 1 ? meant[0] : undefined;
}

export function issuesToProblems(issues: readonly Issue[], data: unknown, doc: Document, lc: LineCounter, file: string): Problem[] {
  const out: Problem[] = [];
  const at = (path: readonly PathKey[], message: string, prefer: 'value' | 'key' = 'value') => {
    const { line, col } = pathPos(doc, lc, path, prefer);
    out.push({ file, line, col, message });
  };
  const visit = (iss: Issue, base: readonly PathKey[]) => {
    const path = [...base, ...(iss.path as PathKey[])];
    const { where, field } = describePath(path);
    if (iss.code === 'invalid_union') {
      const branch = unionBranch(iss);
      if (branch) {
        for (const b of branch) visit(b, path);
        return;
      }
    }
    if (iss.code === 'unrecognized_keys') {
      const inWhere = field ? `${field} of ${where}` : where;
      for (const key of iss.keys) {
        const { line, col } = nodePos(lc, locateKey(doc, path, key));
        const guess = closest(key, iss.message);
        out.push({ file, line, col, message: `unknown key '${key}' in ${inWhere} (${iss.message})${guess ? `; did you mean '${guess}'?` : ''}` });
      }
      return;
    }
    const value = getIn(data, path);
    const parentHas = path.length === 0 || Object.hasOwn(Object(getIn(data, path.slice(0, -1))), path[path.length - 1] as string);
    const label = field || 'it';
    if (!parentHas) {
      at(path, path.length === 1 ? `missing top-level ${label}: (expected ${iss.message})` : `${where}: missing ${label} (expected ${iss.message})`);
      return;
    }
    if (path.length === 0) {
      at(path, `the inventory must be ${iss.message}, got ${showValue(value)}`);
      return;
    }
    const subject = !field ? where : where === 'the inventory' ? `top-level ${field}:` : `${where}: ${field}`;
    at(path, `${subject} must be ${iss.message}, got ${showValue(value)}`);
  };
  for (const iss of issues) visit(iss, []);
  return out;
}
