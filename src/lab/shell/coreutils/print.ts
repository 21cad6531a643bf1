/** echo and printf (bash builtins' behaviour). */
import type { LabCommand } from '../types.js';

/** Backslash escapes of `echo -e` and printf's format; `stop` is set by `\c`. */
export function unescape(s: string, octalNeedsZero: boolean): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (Object.hasOwn(simple, n)) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (n === 'x') {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(s.slice(i + 1));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
      } else out += '\\x';
    } else if (n === '0' || (!octalNeedsZero && /[0-7]/.test(n))) {
      const digits = /^[0-7]{0,3}/.exec(s.slice(n === '0' && octalNeedsZero ? i + 1 : i))![0];
      out += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
      i += n === '0' && octalNeedsZero ? digits.length : digits.length - 1;
    } else if (n === '"' && !octalNeedsZero) out += '"';
    else out += '\\' + n;
  }
  return { text: out, stop: false };
}

export const echo: LabCommand = (ctx) => {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    for (const c of args[0].slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
    args.shift();
  }
  let text = args.join(' ');
  if (escapes) {
    const r = unescape(text, true);
    text = r.text;
    if (r.stop) {
      ctx.out(text);
      return 0;
    }
  }
  ctx.out(newline ? text + '\n' : text);
  return 0;
};

function toNumber(arg: string | undefined, onError: (a: string) => void): number {
  if (arg === undefined || arg === '') return 0;
  if (/^['"]/.test(arg)) return arg.length > 1 ? arg.codePointAt(1)! : 0;
  const t = arg.trim();
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  if (/^[-+]?0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  onError(arg);
  return 0;
}

/** C's %.Nf: exact ties round to even (97.25 → 97.2), where toFixed rounds them up. */
export function toFixedC(n: number, p: number): string {
  if (!Number.isFinite(n)) return String(n).toLowerCase().replace('infinity', 'inf');
  const abs = Math.abs(n);
  const exact = abs.toFixed(Math.min(100, p + 25));
  const dot = exact.indexOf('.');
  const cut = p === 0 ? dot : dot + 1 + p;
  let r: string;
  if (/^50*$/.test(exact.slice(cut).replace('.', ''))) {
    const kept = exact.slice(0, cut);
    const lastDigit = Number(kept.replace('.', '').slice(-1));
    r = lastDigit % 2 === 0 ? kept : abs.toFixed(p);
  } else r = abs.toFixed(p);
  return (n < 0 || Object.is(n, -0) ? '-' : '') + r;
}

const CONV = /%([-+ #0]*)(\d+)?(?:\.(\d+))?([diouxXfeEgGcsb%])/y;

export const printf: LabCommand = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  const fmt = args.shift();
  if (fmt === undefined) {
    ctx.err('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  let status = 0;
  const bad = (a: string): void => {
    ctx.err(`bash: printf: ${a}: invalid number\n`);
    status = 1;
  };
  let out = '';
  let argi = 0;
  // The format is reused while arguments remain (at least once).
  for (let round = 0; round < 10_000; round++) {
    let consumed = false;
    for (let i = 0; i < fmt.length; ) {
      const c = fmt[i];
      if (c === '\\') {
        // One escape at a time, so the format's `%` stay untouched.
        const m = /^\\(x[0-9A-Fa-f]{1,2}|0?[0-7]{1,3}|.)/s.exec(fmt.slice(i))!;
        const r = unescape(m[0], false);
        out += r.text;
        if (r.stop) {
          ctx.out(out);
          return status;
        }
        i += m[0].length;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      CONV.lastIndex = i;
      const m = CONV.exec(fmt);
      if (!m) {
        out += c;
        i++;
        continue;
      }
      i = CONV.lastIndex;
      const [, flags, widthS, precS, conv] = m;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const arg = args[argi];
      if (argi < args.length) consumed = true;
      argi++;
      let s: string;
      const prec = precS === undefined ? undefined : Number(precS);
      switch (conv) {
        case 's':
          s = arg ?? '';
          if (prec !== undefined) s = s.slice(0, prec);
          break;
        case 'b': {
          const r = unescape(arg ?? '', true);
          s = r.text;
          break;
        }
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'u': {
          const n = Math.trunc(toNumber(arg, bad));
          s = String(Math.abs(n));
          if (prec !== undefined) s = s.padStart(prec, '0');
          s = (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'o':
          s = Math.trunc(toNumber(arg, bad)).toString(8);
          break;
        case 'x':
        case 'X':
          s = Math.trunc(toNumber(arg, bad)).toString(16);
          if (conv === 'X') s = s.toUpperCase();
          break;
        default: {
          const n = toNumber(arg, bad);
          const p = prec ?? 6;
          s = conv === 'f' ? toFixedC(n, p) : conv === 'e' || conv === 'E' ? n.toExponential(p) : String(Number(n.toPrecision(p || 1)));
          if (conv === 'E' || conv === 'G') s = s.toUpperCase();
          if ((conv === 'e' || conv === 'E') && /e[-+]\d$/i.test(s)) s = s.replace(/(e[-+])(\d)$/i, '$10$2');
          if (n >= 0 && flags.includes('+')) s = '+' + s;
        }
      }
      const width = widthS === undefined ? 0 : Number(widthS);
      if (s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && /[diouxXfeEgG]/.test(conv)) {
          const sign = /^[-+ ]/.test(s) ? s[0] : '';
          s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
        } else s = s.padStart(width);
      }
      out += s;
    }
    if (!consumed || argi >= args.length) break;
  }
  ctx.out(out);
  return status;
};
