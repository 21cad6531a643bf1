/** Step state glyphs and colours: every state reads without colour too. */
import type { StepState } from '../../../app/runs/types.js';
import type { Theme } from '../../theme.js';

const UNICODE: Record<StepState, string> = { pending: '·', running: '▶', waiting: '?', ok: '✓', failed: '✗', skipped: '–', refused: '⊘', aborted: '■' };
const ASCII: Record<StepState, string> = { pending: '.', running: '>', waiting: '?', ok: '+', failed: 'x', skipped: '-', refused: '!', aborted: '#' };
const COLOR: Record<StepState, string | undefined> = { pending: undefined, running: 'cyan', waiting: 'yellow', ok: 'green', failed: 'red', skipped: 'gray', refused: 'red', aborted: 'red' };

export function stepGlyph(theme: Theme, st: StepState): string {
  return (theme.ascii ? ASCII : UNICODE)[st];
}

export function stepColor(theme: Theme, st: StepState): string | undefined {
  return theme.color ? COLOR[st] : undefined;
}

export function statusColor(theme: Theme, status: string): string | undefined {
  if (!theme.color) return undefined;
  return status === 'done' ? 'green' : status === 'running' ? 'cyan' : status === 'unfinished' ? 'yellow' : 'red';
}

const ASCII_MAP: Record<string, string> = { '—': '-', '–': '-', '·': '|', '→': '->', '↑': 'up', '↓': 'down', '…': '...', '↻': '@', '─': '-', '✗': 'x', '✓': '+', '⚠': '!', '“': '"', '”': '"', '▶': '>', '│': '|' };

/** The same text for a console that only draws ASCII (a server's own VGA console). */
export function asc(ascii: boolean, text: string): string {
  return ascii ? text.replace(/[—–·→↑↓…↻─✗✓⚠“”▶│]/g, (c) => ASCII_MAP[c] ?? c) : text;
}

/** Cut or pad to a width (terminal columns ≈ characters here). */
export function fit(text: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  const mark = ascii ? '~' : '…';
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + mark : text.padEnd(width);
}

/** The start of a window of `size` rows that keeps `index` visible. */
export function windowStart(index: number, total: number, size: number): number {
  if (total <= size) return 0;
  return Math.max(0, Math.min(total - size, index - Math.floor(size / 2)));
}
