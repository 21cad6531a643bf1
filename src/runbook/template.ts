/**
 * `{{name}}` interpolation. Every value is shell-quoted where it lands in a command, so a value like
 * `x'; rm -rf / #` or `$(reboot)` arrives as one literal argument. Unknown names are load errors.
 */
import { quote } from 'shell-quote';

export interface Placeholder {
  name: string;
  start: number;
  end: number;
}

const RE = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(RE)].map((m) => ({ name: m[1], start: m.index!, end: m.index! + m[0].length }));
}

/** A malformed `{{` that is not a placeholder (e.g. `{{ Host }}` or `{{a.b}}`). */
export function malformed(text: string): number | undefined {
  const stripped = text.replace(RE, (m) => ' '.repeat(m.length));
  const i = stripped.indexOf('{{');
  return i >= 0 ? i : undefined;
}

/** Offsets of placeholders that sit inside single or double quotes (values are quoted for you). */
export function quotedPlaceholders(cmd: string): Placeholder[] {
  const ph = placeholders(cmd);
  const out: Placeholder[] = [];
  let q: "'" | '"' | undefined;
  let p = 0;
  for (let i = 0; i < cmd.length; i++) {
    while (p < ph.length && ph[p].start === i) {
      if (q) out.push(ph[p]);
      p++;
    }
    const c = cmd[i];
    if (c === '\\' && q !== "'") {
      i++;
      continue;
    }
    if (!q && (c === "'" || c === '"')) q = c;
    else if (q === c) q = undefined;
  }
  return out;
}

export type Value = string | number | string[];

/** One value as shell words: a list becomes several quoted words. */
export function shellWords(v: Value): string {
  if (Array.isArray(v)) return v.map((x) => quote([x])).join(' ');
  const s = String(v);
  return s === '' ? "''" : quote([s]);
}

/** Render for a shell command (quoted) or for text shown to a person (as is). */
export function render(text: string, values: Record<string, Value | undefined>, mode: 'shell' | 'text'): string {
  return text.replace(RE, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {{${name}}}`);
    return mode === 'shell' ? shellWords(v) : Array.isArray(v) ? v.join(', ') : String(v);
  });
}

/** Split a rendered `on:` into machine names. */
export function targets(rendered: string): string[] {
  return rendered.split(/[\s,]+/).filter(Boolean);
}
