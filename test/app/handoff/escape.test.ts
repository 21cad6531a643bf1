import { describe, expect, it } from 'vitest';
import { INITIAL_ESCAPE_STATE, scanEscape, type EscapeState } from '../../../src/app/handoff.js';

/** Feed keys one at a time, as a raw-mode terminal does. */
function typeKeys(keys: string[], state: EscapeState = INITIAL_ESCAPE_STATE): { sent: string; escaped: boolean } {
  let sent = '';
  for (const k of keys) {
    const r = scanEscape(k, state);
    sent += r.pass;
    state = r.state;
    if (r.escaped) return { sent, escaped: true };
  }
  return { sent, escaped: false };
}

describe('scanEscape', () => {
  it('~. at the very start escapes and sends nothing', () => {
    expect(typeKeys(['~', '.'])).toEqual({ sent: '', escaped: true });
    expect(scanEscape('~.')).toMatchObject({ pass: '', escaped: true });
  });

  it('~. right after Enter escapes; the line before it is sent', () => {
    expect(typeKeys([...'uptime', '\r', '~', '.'])).toEqual({ sent: 'uptime\r', escaped: true });
    expect(scanEscape('ls\n~.')).toMatchObject({ pass: 'ls\n', escaped: true });
  });

  it('Ctrl-] escapes anywhere, even mid-line, and is not sent', () => {
    expect(typeKeys([...'vi /etc/fst', '\x1d'])).toEqual({ sent: 'vi /etc/fst', escaped: true });
    expect(scanEscape('abc\x1ddef')).toMatchObject({ pass: 'abc', escaped: true });
  });

  it('~ followed by another key passes both through', () => {
    expect(typeKeys(['~', 'x'])).toEqual({ sent: '~x', escaped: false });
    expect(typeKeys([...'cd ', '\r', '~', '/'])).toEqual({ sent: 'cd \r~/', escaped: false });
  });

  it('a~. in the middle of a line passes through', () => {
    expect(typeKeys([...'a~.'])).toEqual({ sent: 'a~.', escaped: false });
    expect(scanEscape('echo a~.\r')).toMatchObject({ pass: 'echo a~.\r', escaped: false });
  });

  it('holds a ~ at line start until the next key, across chunks', () => {
    const first = scanEscape('~');
    expect(first.pass).toBe('');
    expect(first.state.pendingTilde).toBe(true);
    expect(scanEscape('.', first.state).escaped).toBe(true);
    expect(scanEscape('l', first.state).pass).toBe('~l');
  });

  it('~~ sends a single ~ (for a nested ssh escape) and does not escape', () => {
    expect(typeKeys(['~', '~', '.'])).toEqual({ sent: '~.', escaped: false });
  });

  it('a ~ then Enter sends both and the next ~. escapes', () => {
    expect(typeKeys(['~', '\r', '~', '.'])).toEqual({ sent: '~\r', escaped: true });
  });
});
