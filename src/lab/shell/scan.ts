/**
 * A light scan of a raw command line for what shell-quote's `parse` does not report:
 * which redirection operators carry a file-descriptor prefix written against them (`2>&1`
 * versus `echo 2 >&1`), and where unquoted newlines separate commands.
 * It follows shell-quote's own chunking (same control operators, quotes and comments).
 */

/** shell-quote's control operators, in its order (parse.js, CONTROL). */
export const CONTROL_RE = /\|\||&(?:&|>>?)|;;&?|[;|]&|<\(|<<<|<<-|<<(?!\()|>>|>[&|(]|<[&>]|[&;()|<>]/y;

export const REDIRECT_OPS = new Set(['>', '>>', '>|', '>&', '&>', '&>>', '<', '<&', '<>', '<<', '<<<', '<<-']);

export interface ScannedRedirect {
  op: string;
  /** Digits written directly against the operator (`2>`), when any. */
  fd?: number;
}

type Quote = null | "'" | '"' | "$'";

/** Redirection operators outside quotes and comments, in order. */
export function scanRedirects(line: string): ScannedRedirect[] {
  const found: ScannedRedirect[] = [];
  let q: Quote = null;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (q === "'") {
      if (c === "'") q = null;
      i++;
      continue;
    }
    if (q === '"' || q === "$'") {
      if (c === '\\') i += 2;
      else {
        if (c === (q === '"' ? '"' : "'")) q = null;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      i++;
      continue;
    }
    if (c === '$' && line[i + 1] === "'") {
      q = "$'";
      i += 2;
      continue;
    }
    if (c === '#') break;
    CONTROL_RE.lastIndex = i;
    const m = CONTROL_RE.exec(line);
    if (m) {
      const op = m[0];
      if (REDIRECT_OPS.has(op)) {
        let j = i;
        while (j > 0 && line[j - 1] >= '0' && line[j - 1] <= '9') j--;
        const boundary = j === 0 || /[\s;&|()<>]/.test(line[j - 1]);
        found.push(j < i && boundary ? { op, fd: Number(line.slice(j, i)) } : { op });
      }
      i += op.length;
      continue;
    }
    i++;
  }
  return found;
}

/**
 * Split a script into command lines at unquoted newlines (not inside quotes, not escaped,
 * not in a comment). A line ending in `&&`, `||` or `|` continues on the next one.
 */
export function splitLines(script: string): string[] {
  const lines: string[] = [];
  let q: Quote = null;
  let start = 0;
  let comment = false;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (comment) {
      if (c === '\n') {
        comment = false;
        lines.push(script.slice(start, i));
        start = i + 1;
      }
      continue;
    }
    if (q === "'") {
      if (c === "'") q = null;
      continue;
    }
    if (q === '"' || q === "$'") {
      if (c === '\\') i++;
      else if (c === (q === '"' ? '"' : "'")) q = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === '$' && script[i + 1] === "'") {
      q = "$'";
      i++;
    } else if (c === '#' && (i === 0 || /[\s;&|()]/.test(script[i - 1]))) comment = true;
    else if (c === '\n') {
      lines.push(script.slice(start, i));
      start = i + 1;
    }
  }
  lines.push(script.slice(start));
  const joined: string[] = [];
  for (const l of lines) {
    const prev = joined.length ? joined[joined.length - 1] : undefined;
    if (prev !== undefined && /(\&\&|\|\||\|)\s*$/.test(prev)) joined[joined.length - 1] = prev + ' ' + l;
    else joined.push(l);
  }
  return joined.filter((l) => l.trim() !== '');
}

/** End (exclusive) of the `$(…)` / `<(…)` / `>(…)` whose `(` is at `open`, or -1. */
function parenEnd(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === "'") {
      const k = s.indexOf("'", j + 1);
      if (k < 0) return -1;
      j = k;
    } else if (c === '"' || c === '`') {
      let k = j + 1;
      while (k < s.length && s[k] !== c) k += s[k] === '\\' ? 2 : 1;
      if (k >= s.length) return -1;
      j = k;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** End (exclusive) of the backtick substitution opening at `open`, or -1. */
function backtickEnd(s: string, open: number): number {
  for (let j = open + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '`') return j + 1;
  }
  return -1;
}

/**
 * Rewrite a script so that every command substitution (`$(…)`, `$((…))`, backticks) and
 * process substitution (`<(…)`, `>(…)`) is quoted: shell-quote then hands it over as literal
 * text, exactly as typed, and nothing inside it (`;`, `|`, newlines) can start a command.
 * Fails on an unterminated quote or substitution, like bash (which then runs nothing).
 */
export function literalizeSubstitutions(script: string): { text: string } | { error: string } {
  let out = '';
  let q: Quote = null;
  const sq = (t: string): string => `'${t.replace(/'/g, "'\\''")}'`;
  const dq = (t: string): string => t.replace(/[\\"$]/g, '\\$&');
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (q === "'") {
      out += c;
      if (c === "'") q = null;
      continue;
    }
    if (q === "$'") {
      out += c;
      if (c === '\\' && i + 1 < script.length) out += script[++i];
      else if (c === "'") q = null;
      continue;
    }
    const subst = c === '`' || ((c === '$' || (q === null && (c === '<' || c === '>'))) && script[i + 1] === '(');
    if (subst) {
      const end = c === '`' ? backtickEnd(script, i) : parenEnd(script, i + 1);
      if (end < 0) return { error: `unexpected EOF while looking for matching \`${c === '`' ? '`' : ')'}'` };
      const text = script.slice(i, end);
      out += q === '"' ? dq(text) : sq(text);
      i = end - 1;
      continue;
    }
    if (c === '\\') {
      out += c + (i + 1 < script.length ? script[++i] : '');
      continue;
    }
    if (q === '"') {
      out += c;
      if (c === '"') q = null;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === '$' && script[i + 1] === "'") {
      q = "$'";
      out += c + script[++i];
      continue;
    } else if (c === '#' && (i === 0 || /[\s;&|()]/.test(script[i - 1]))) {
      // A comment runs to the end of its line; nothing in it is a substitution.
      const nl = script.indexOf('\n', i);
      const end = nl < 0 ? script.length : nl;
      out += script.slice(i, end);
      i = end - 1;
      continue;
    } else if (c === '#') {
      // Inside a word `#` is an ordinary character for bash; shell-quote would start a comment.
      out += '\\#';
      continue;
    }
    out += c;
  }
  if (q !== null) return { error: `unexpected EOF while looking for matching \`${q === '"' ? '"' : "'"}'` };
  return { text: out };
}
