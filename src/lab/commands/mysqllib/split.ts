/**
 * Split client input into statements the way the mysql client does: `;`, `\G` (vertical)
 * and `\g` end a statement; quotes and comments are respected. Each statement keeps the
 * line it starts on (for `ERROR … at line N`).
 */

export interface Statement {
  text: string;
  line: number;
  vertical: boolean;
}

export function splitStatements(input: string): Statement[] {
  const out: Statement[] = [];
  let cur = '';
  let line = 1;
  let startLine = 0;
  let quote: string | null = null;
  const push = (vertical: boolean) => {
    const text = cur.trim();
    if (text) out.push({ text, line: startLine || line, vertical });
    cur = '';
    startLine = 0;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote) {
      cur += c;
      if (c === '\\' && quote !== '`' && i + 1 < input.length) cur += input[++i];
      else if (c === quote) quote = null;
      if (c === '\n') line++;
      continue;
    }
    if (c === '\n') {
      line++;
      cur += c;
      continue;
    }
    if (!startLine && !/\s/.test(c)) startLine = line;
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      cur += c;
    } else if (c === ';') push(false);
    else if (c === '\\' && (input[i + 1] === 'G' || input[i + 1] === 'g')) {
      push(input[i + 1] === 'G');
      i++;
    } else if (c === '#' || (c === '-' && input[i + 1] === '-' && /\s/.test(input[i + 2] ?? ' '))) {
      while (i + 1 < input.length && input[i + 1] !== '\n') i++;
      if (!cur.trim()) startLine = 0;
    } else if (c === '/' && input[i + 1] === '*') {
      const end = input.indexOf('*/', i + 2);
      const stop = end < 0 ? input.length : end + 2;
      line += (input.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop - 1;
      if (!cur.trim()) startLine = 0;
    } else cur += c;
  }
  push(false);
  return out;
}

/** Split a list on top-level commas (outside quotes and parentheses). */
export function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === sep && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** `'0-1-7'` → `0-1-7`; numbers and bare words as they are. */
export function unquote(v: string): string {
  const t = v.trim();
  if ((t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"'))) {
    return t.slice(1, -1).replace(/\\(.)/g, '$1').replace(/''/g, "'");
  }
  return t;
}
