/** Zod issues and semantic checks → `FILE:LINE:COL: message` problems for runbooks. */
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { locateKey, nodePos, pathPos, type PathKey } from '../inventory/positions.js';
import type { Problem } from '../inventory/problems.js';

export type { Problem };

export function describe(data: unknown, path: readonly PathKey[]): string {
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const steps = (data as { steps?: { id?: unknown }[] })?.steps;
    const id = steps?.[path[1]]?.id;
    const rest = path.slice(2).join('.');
    return `step ${typeof id === 'string' ? `'${id}'` : `#${path[1] + 1}`}${rest ? ` ${rest}` : ''}`;
  }
  if (path[0] === 'params' && path[1] !== undefined) return `param '${path[1]}'${path.length > 2 ? ` ${path.slice(2).join('.')}` : ''}`;
  return path.length ? path.join('.') : 'the runbook';
}

function expectedText(iss: z.core.$ZodIssue): string {
  if (iss.code === 'invalid_type') {
    const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', array: 'a list', object: 'a mapping (key: value)', boolean: 'true or false', record: 'a mapping (key: value)' };
    return `expected ${words[iss.expected] ?? iss.expected}`;
  }
  if (iss.code === 'invalid_value') return `expected one of: ${iss.values.map(String).join(', ')}`;
  if (iss.code === 'invalid_format' || iss.code === 'too_small' || iss.code === 'too_big' || iss.code === 'custom') return iss.message;
  return iss.message;
}

export function zodProblems(issues: readonly z.core.$ZodIssue[], data: unknown, doc: Document, lc: LineCounter, file: string): Problem[] {
  const out: Problem[] = [];
  const visit = (iss: z.core.$ZodIssue, base: PathKey[]) => {
    const path = [...base, ...(iss.path as PathKey[])];
    if (iss.code === 'invalid_union') {
      // discriminated unions report the discriminator; plain unions: pick the branch not failing at its root
      const meant = iss.errors.filter((b) => !b.some((x) => x.code === 'invalid_type' && x.path.length === 0));
      if (meant.length === 1) return meant[0].forEach((b) => visit(b, path));
      if (meant.length > 1) return meant.sort((a, b) => a.length - b.length)[0].forEach((b) => visit(b, path));
    }
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const { line, col } = nodePos(lc, locateKey(doc, path, key));
        out.push({ file, line, col, message: `unknown key '${key}' in ${describe(data, path)}` });
      }
      return;
    }
    const { line, col } = pathPos(doc, lc, path);
    const last = path[path.length - 1];
    const missing = iss.code === 'invalid_type' && (iss as { input?: unknown }).input === undefined;
    const msg = missing ? `${describe(data, path.slice(0, -1))}: missing ${String(last)} (${expectedText(iss)})` : `${describe(data, path)}: ${expectedText(iss)}`;
    out.push({ file, line, col, message: msg });
  };
  for (const iss of issues) visit(iss, []);
  return out;
}
