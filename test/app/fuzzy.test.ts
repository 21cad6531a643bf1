import { describe, expect, it } from 'vitest';
import { approxErrors, approxErrorsDp, compilePattern, MAX_PATTERN } from '../../src/app/fuzzy.js';

/** Small deterministic generator so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('approximate substring matching', () => {
  it('counts a wrong, missing, extra or swapped character as one edit', () => {
    const e = (p: string, t: string) => approxErrors(compilePattern(p), t, 9);
    expect(e('ella', 'nella')).toBe(0);
    expect(e('elal', 'ella')).toBe(1); // swapped
    expect(e('ela', 'ella')).toBe(1); // missing
    expect(e('pve042', 'pve0042')).toBe(1); // missing zero
    expect(e('webb-01', 'web-0107')).toBe(1); // extra
    expect(e('wxb-01', 'web-0107')).toBe(1); // wrong
    expect(e('mysql', 'web-0001')).toBeGreaterThan(2);
  });

  it('stops counting past the allowed edits', () => {
    expect(approxErrors(compilePattern('zzzz'), 'ella', 1)).toBe(2);
    expect(approxErrors(compilePattern('ella'), 'e', 1)).toBe(2); // too short to get there
  });

  it('agrees with the dynamic-programming definition on random strings, patterns up to the longest', () => {
    const r = rng(42);
    const alphabet = 'abcde-0123é';
    const str = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    let checked = 0;
    for (let t = 0; t < 20000; t++) {
      const p = str(1 + Math.floor(r() * (t % 10 === 0 ? MAX_PATTERN : 8)));
      const x = str(Math.floor(r() * 40));
      expect(approxErrors(compilePattern(p), x, 99), `${p} in ${x}`).toBe(approxErrorsDp(p, x));
      checked++;
    }
    expect(checked).toBe(20000);
  });
});
