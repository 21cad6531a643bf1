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
