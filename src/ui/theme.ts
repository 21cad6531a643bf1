/** Colours and glyphs. Every state has a glyph so it reads without colour; ASCII mode for a server's own console. */
import type { HealthLevel } from '../model/health.js';

export interface Theme {
  ascii: boolean;
  color: boolean;
  glyph: Record<HealthLevel, string>;
  healthColor: Record<HealthLevel, string | undefined>;
  sel: string;
  box: { h: string; v: string; tl: string; tr: string; bl: string; br: string };
  free: string;
  bar: { full: string; empty: string };
}

export function makeTheme(opts: { ascii?: boolean; color?: boolean } = {}): Theme {
  const ascii = opts.ascii ?? (process.env.TERM === 'linux' || process.env.TERM === 'vt100');
  const color = opts.color ?? !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  return {
    ascii,
    color,
    glyph: ascii
      ? { ok: '+', warning: '!', critical: 'X', unknown: '?' }
      : { ok: '●', warning: '▲', critical: '✖', unknown: '◌' },
    healthColor: color ? { ok: 'green', warning: 'yellow', critical: 'red', unknown: 'gray' } : { ok: undefined, warning: undefined, critical: undefined, unknown: undefined },
    sel: ascii ? '>' : '▶',
    box: ascii ? { h: '-', v: '|', tl: '+', tr: '+', bl: '+', br: '+' } : { h: '─', v: '│', tl: '┌', tr: '┐', bl: '└', br: '┘' },
    free: ascii ? '.' : '┄',
    bar: ascii ? { full: '#', empty: '.' } : { full: '█', empty: '░' },
  };
}

export function bar(theme: Theme, fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const n = Math.round(f * width);
  return theme.bar.full.repeat(n) + theme.bar.empty.repeat(width - n);
}

/** ASCII mode: asked for (--ascii, setting) or a terminal that has no line drawing (the Linux console). */
export function isAscii(asked: boolean): boolean {
  return asked || process.env.TERM === 'linux' || process.env.TERM === 'vt100';
}

/** Ink border style honouring ASCII mode. */
export function boxStyle(ascii: boolean, kind: 'single' | 'double' = 'single'): 'single' | 'double' | 'classic' {
  return isAscii(ascii) ? 'classic' : kind;
}

const ASCII_MAP: Record<string, string> = { '·': '|', '—': '-', '–': '-', '→': '->', '←': '<-', '↑': '^', '↓': 'v', '…': '...', '°': '', '│': '|', '─': '-', '┄': '.', '✓': 'ok', '✗': 'x', '✖': 'X', '▶': '>', '⚠': '!', '●': '+', '▲': '!', '◌': '?', '█': '#', '░': '.', '∞': 'inf' };

/** Text for a terminal without Unicode: the few symbols baie prints get ASCII stand-ins. */
export function asciiText(theme: Theme | boolean, text: string): string {
  if (!(typeof theme === 'boolean' ? isAscii(theme) : theme.ascii)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x00-\x7f]/g, (c) => ASCII_MAP[c] ?? '?');
}
