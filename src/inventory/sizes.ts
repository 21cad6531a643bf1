/**
 * Sizes as users write them: `500G`, `4T`, `1.5TB` (powers of 1000, as disk vendors count),
 * `8GiB`, `512MiB` (powers of 1024), or a plain number of bytes. Pure.
 */
const DECIMAL: Record<string, number> = { '': 1, B: 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
const BINARY: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

export const SIZE_HINT = 'a size like 500G, 4T, 8GiB or a number of bytes';

/** Bytes, or undefined when the text is not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTP]?)(i?)(B?)\s*$/i.exec(value);
  if (!m) return undefined;
  const [, num, unitRaw, binary, b] = m;
  const unit = unitRaw.toUpperCase();
  if (binary && (!unit || !b)) return undefined; // `8Gi` or `iB` alone
  const factor = binary ? BINARY[unit] : DECIMAL[unit];
  const bytes = Math.round(Number(num) * factor);
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** Short decimal form: 500G, 4T, 1.5T, 512M. */
export function formatSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const s = v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
  return `${s}${units[i]}`;
}
