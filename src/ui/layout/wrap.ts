/** Word-wrap lines to a width, continuing under a line's value column. Pure. */
/** Cut lines to the width, continuing under their indent. */
export function wrapLines(lines: string[], width: number): string[] {
  const out: string[] = [];
  const w = Math.max(20, width);
  for (const line of lines) {
    if (line.length <= w) {
      out.push(line);
      continue;
    }
    // continue under the value column (`Label   value`, `+00:01:02  text`), at most half the width in
    const col = /^(\+\d\d:\d\d:\d\d {2}|\s*- |\s*\S.*?\s{2,}(?=\S)|\s*)/.exec(line)?.[0].length ?? 0;
    const indent = ' '.repeat(col <= w / 2 ? col : 2);
    let rest = line;
    let lead = '';
    for (let i = 0; i < 200 && (lead + rest).length > w; i++) {
      const room = w - lead.length;
      const cut = rest.lastIndexOf(' ', room);
      const at = cut > room / 3 ? cut : room;
      out.push(lead + rest.slice(0, at).trimEnd());
      rest = rest.slice(at).trimStart();
      lead = indent;
    }
    if (rest) out.push(lead + rest);
  }
  return out;
}
