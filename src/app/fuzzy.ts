/**
 * Approximate substring matching for the palette: how many edits (a character typed wrong, missing,
 * extra, or two neighbours swapped) the pattern is from its best match anywhere in a text.
 * Bit-parallel (Myers 1999, with Hyyrö's transposition extension): one pass over the text with a
 * few integer operations per character, so 12,000 names and details take a few milliseconds.
 * Patterns longer than 31 characters are matched on their first 31.
 */

export const MAX_PATTERN = 31;

export interface Pattern {
  /** The (lowercased, cut) pattern. */
  text: string;
  m: number;
  /** Per character code: bit i set where text[i] is that character (ASCII here, the rest in `other`). */
  ascii: Int32Array;
  other: Map<number, number>;
}

export function compilePattern(pattern: string): Pattern {
  const text = pattern.slice(0, MAX_PATTERN);
  const ascii = new Int32Array(128);
  const other = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii[c] |= 1 << i;
    else other.set(c, (other.get(c) ?? 0) | (1 << i));
  }
  return { text, m: text.length, ascii, other };
}

/**
 * The fewest edits (optimal string alignment: substitute, insert, delete, swap two neighbours) that
 * turn some substring of `text` into the pattern; `maxErrors + 1` once it cannot be `maxErrors` or fewer.
 */
export function approxErrors(p: Pattern, text: string, maxErrors: number): number {
  const m = p.m;
  if (m === 0) return 0;
  // every character of the text used still leaves this many to insert
  if (text.length < m - maxErrors) return maxErrors + 1;
  const { ascii, other } = p;
  const high = 1 << (m - 1);
  const all = ((1 << m) - 1) | 0;
  let pv = all;
  let mv = 0;
  let d0 = 0;
  let prevEq = 0;
  let score = m;
  let best = m;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    const eq = c < 128 ? ascii[c] : (other.get(c) ?? 0);
    // a swap of neighbours costs one: a diagonal zero two steps back
    d0 = ((((~d0 & eq) << 1) & prevEq) | ((((eq & pv) + pv) ^ pv) | eq | mv)) & all;
    let hp = mv | ~(d0 | pv);
    let hn = d0 & pv;
    if (hp & high) score++;
    else if (hn & high) score--;
    if (score < best) {
      best = score;
      if (best === 0) return 0;
    }
    // searching: a match may start anywhere, so the top row stays zero (no carry in)
    hp = (hp << 1) & all;
    hn = (hn << 1) & all;
    pv = (hn | ~(d0 | hp)) & all;
    mv = d0 & hp;
    prevEq = eq;
  }
  return best <= maxErrors ? best : maxErrors + 1;
}

/** The same answer by dynamic programming, for tests and as the definition. */
export function approxErrorsDp(pattern: string, text: string): number {
  const m = pattern.length;
  const n = text.length;
  // d[i][j]: edits to turn a substring of text ending at j into pattern[0..i)
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (j === 0 ? i : i === 0 ? 0 : 0)));
  for (let i = 1; i <= m; i++) {
    d[i][0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = pattern[i - 1] === text[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j - 1] + cost, d[i - 1][j] + 1, d[i][j - 1] + 1);
      if (i > 1 && j > 1 && pattern[i - 1] === text[j - 2] && pattern[i - 2] === text[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  let best = m;
  for (let j = 0; j <= n; j++) best = Math.min(best, d[m][j]);
  return best;
}
