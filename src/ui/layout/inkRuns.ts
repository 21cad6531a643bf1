/**
 * Styled runs of one screen line, regrouped for Ink's cost model: Ink measures every text node
 * with string-width, which is ~60× slower on a string holding any non-ASCII character (it walks
 * grapheme clusters) than on plain ASCII. So non-ASCII characters (health glyphs, box lines) go in
 * runs of their own, and the ASCII around them stays in fast runs; blank runs join a neighbour
 * where nothing shows the difference (a space looks the same dim, bold or coloured, not inverse).
 */
export interface Run {
  text: string;
  dim?: boolean;
  color?: string;
  inverse?: boolean;
  bold?: boolean;
}

const sameStyle = (a: Run, b: Run) => !a.dim === !b.dim && a.color === b.color && !a.inverse === !b.inverse && !a.bold === !b.bold;
// eslint-disable-next-line no-control-regex
const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);
const isBlank = (s: string) => /^ *$/.test(s);

/** Split runs at ASCII / non-ASCII boundaries, then join what can be joined without changing what shows. */
export function inkRuns(runs: Run[]): Run[] {
  const split: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    if (isAscii(r.text)) {
      split.push(r);
      continue;
    }
    for (const part of r.text.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) split.push({ ...r, text: part });
  }
  const out: Run[] = [];
  for (const r of split) {
    const prev = out[out.length - 1];
    if (prev && isAscii(prev.text) && isAscii(r.text)) {
      if (sameStyle(prev, r)) {
        out[out.length - 1] = { ...prev, text: prev.text + r.text };
        continue;
      }
      // blanks take the style of an ASCII neighbour unless one of them is inverse
      if (isBlank(r.text) && !r.inverse && !prev.inverse) {
        out[out.length - 1] = { ...prev, text: prev.text + r.text };
        continue;
      }
      if (isBlank(prev.text) && !prev.inverse && !r.inverse) {
        out[out.length - 1] = { ...r, text: prev.text + r.text };
        continue;
      }
    }
    out.push(r);
  }
  return out;
}
