import { describe, expect, it } from 'vitest';
import { inkRuns, type Run } from '../../src/ui/layout/inkRuns.js';

const text = (runs: Run[]) => runs.map((r) => r.text).join('');
// eslint-disable-next-line no-control-regex
const ascii = /^[\x20-\x7e]*$/;

describe('runs regrouped for Ink', () => {
  it('keeps the text and puts every non-ASCII character in a run without ASCII', () => {
    const line: Run[] = [
      { text: '42 ', dim: true },
      { text: ' ● web-0001           ', color: 'green' },
      { text: '  ' },
      { text: '41 ', dim: true },
      { text: '▶▲ mail-0002          ', color: 'yellow', inverse: true, bold: true },
      { text: '  ' },
      { text: '40 ┄┄┄ 2U free', dim: true },
    ];
    const out = inkRuns(line);
    expect(text(out)).toBe(text(line));
    for (const r of out) expect(ascii.test(r.text) || /^[^\x20-\x7e]+$/.test(r.text), JSON.stringify(r)).toBe(true);
    // fewer runs than characters of different kinds would give: blanks joined where they look the same
    expect(out.length).toBeLessThanOrEqual(10);
  });

  it('never changes how a character looks: inverse and colours stay on their characters', () => {
    const line: Run[] = [
      { text: '42 ', dim: true },
      { text: '▶● ella    ', color: 'green', inverse: true },
      { text: '   ' },
      { text: 'x', color: 'red' },
    ];
    const out = inkRuns(line);
    const styleAt = (runs: Run[], i: number) => {
      let at = 0;
      for (const r of runs) {
        if (i < at + r.text.length) return r;
        at += r.text.length;
      }
      throw new Error('past the end');
    };
    const full = text(line);
    for (let i = 0; i < full.length; i++) {
      const a = styleAt(line, i);
      const b = styleAt(out, i);
      expect(!!b.inverse, `inverse at ${i}`).toBe(!!a.inverse);
      // a visible character keeps its colour, dim and bold; a blank may borrow a neighbour's
      if (full[i] !== ' ') expect([b.color, !!b.dim, !!b.bold], `style at ${i}`).toEqual([a.color, !!a.dim, !!a.bold]);
    }
  });
});
