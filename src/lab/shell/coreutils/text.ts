/** cat, head, tail, wc. */
import type { CmdContext, LabCommand } from '../types.js';
import { linesWithEnds, options, readOperand } from './io.js';

export const cat: LabCommand = (ctx) => {
  const o = options(ctx, 'cat', { flags: 'nAEsvuT', long: { number: 'n' } });
  if (!o) return 1;
  const operands = o.operands.length ? o.operands : ['-'];
  let status = 0;
  let n = 0;
  for (const f of operands) {
    const r = readOperand(ctx, f);
    if ('error' in r) {
      ctx.err(`cat: ${f}: ${r.error}\n`);
      status = 1;
      continue;
    }
    if (o.flags.has('n')) {
      ctx.out(linesWithEnds(r.text).map((l) => `${String(++n).padStart(6)}\t${l}`).join(''));
    } else ctx.out(r.text);
  }
  return status;
};

/** `-5` → `-n 5` (the obsolete count form head and tail still accept). */
function countShorthand(argv: string[]): string[] {
  return argv.map((a, i) => (i > 0 && /^-\d+$/.test(a) && !/^-[nc]$|^--(lines|bytes)$/.test(argv[i - 1]) ? `-n${a.slice(1)}` : a));
}

function parseCount(ctx: CmdContext, cmd: string, v: string, what: 'lines' | 'bytes'): number | undefined {
  if (!/^[-+]?\d+$/.test(v)) {
    ctx.err(`${cmd}: invalid number of ${what}: '${v}'\n`);
    return undefined;
  }
  return Number(v);
}

function headTail(which: 'head' | 'tail'): LabCommand {
  return (ctx) => {
    const argv = countShorthand(ctx.argv);
    const o = options({ ...ctx, argv }, which, {
      flags: 'qv',
      withValue: 'nc',
      long: { 'lines=': 'n', 'bytes=': 'c', quiet: 'q', silent: 'q', verbose: 'v' },
    });
    if (!o) return 1;
    const nv = o.values.get('n')?.at(-1);
    const cv = o.values.get('c')?.at(-1);
    const raw = cv ?? nv ?? '10';
    const count = parseCount(ctx, which, raw, cv !== undefined ? 'bytes' : 'lines');
    if (count === undefined) return 1;
    const fromStart = which === 'tail' && raw.startsWith('+');
    const operands = o.operands.length ? o.operands : ['-'];
    const headers = o.flags.has('v') || (operands.length > 1 && !o.flags.has('q'));
    let status = 0;
    let first = true;
    for (const f of operands) {
      const r = readOperand(ctx, f);
      if ('error' in r) {
        ctx.err(`${which}: cannot open '${f}' for reading: ${r.error}\n`);
        status = 1;
        continue;
      }
      if (headers) ctx.out(`${first ? '' : '\n'}==> ${f === '-' ? 'standard input' : f} <==\n`);
      first = false;
      const units: string[] = cv !== undefined ? [...Buffer.from(r.text)].map((b) => String.fromCharCode(b)) : linesWithEnds(r.text);
      const n = Math.abs(count);
      let part: string[];
      if (which === 'head') part = count < 0 ? units.slice(0, Math.max(0, units.length - n)) : units.slice(0, n);
      else if (fromStart) part = units.slice(Math.max(0, n - 1));
      else part = n === 0 ? [] : units.slice(-n);
      const text = part.join('');
      ctx.out(cv !== undefined ? Buffer.from(text, 'latin1').toString() : text);
    }
    return status;
  };
}

export const head = headTail('head');
export const tail = headTail('tail');

export const wc: LabCommand = (ctx) => {
  const o = options(ctx, 'wc', { flags: 'lwcmL', long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm' } });
  if (!o) return 1;
  let want = (['l', 'w', 'c', 'm'] as const).filter((f) => o.flags.has(f));
  if (want.length === 0) want = ['l', 'w', 'c'];
  const operands = o.operands.length ? o.operands : ['-'];
  const rows: { counts: number[]; name: string }[] = [];
  const totals = want.map(() => 0);
  let status = 0;
  let sawStdin = false;
  let bytesAll = 0;
  for (const f of operands) {
    const r = readOperand(ctx, f);
    if ('error' in r) {
      ctx.err(`wc: ${f}: ${r.error}\n`);
      status = 1;
      continue;
    }
    if (f === '-') sawStdin = true;
    const t = r.text;
    const counts = want.map((k) => {
      if (k === 'l') return (t.match(/\n/g) ?? []).length;
      if (k === 'w') return t.split(/\s+/).filter(Boolean).length;
      if (k === 'm') return [...t].length;
      return Buffer.byteLength(t);
    });
    bytesAll += Buffer.byteLength(t);
    counts.forEach((c, k) => (totals[k] += c));
    rows.push({ counts, name: o.operands.length ? f : '' });
  }
  if (rows.length > 1) rows.push({ counts: totals, name: 'total' });
  // GNU wc: one count of one input needs no padding; otherwise all columns share the width
  // of the total byte count (at least 7 when standard input is read).
  let width = 1;
  if (!(want.length === 1 && operands.length === 1)) {
    width = String(bytesAll).length;
    if (sawStdin) width = Math.max(width, 7);
  }
  for (const row of rows) {
    const cols = row.counts.map((c) => String(c).padStart(width)).join(' ');
    ctx.out(row.name ? `${cols} ${row.name}\n` : `${cols}\n`);
  }
  return status;
};
