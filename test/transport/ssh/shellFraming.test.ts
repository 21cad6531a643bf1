import { describe, expect, it } from 'vitest';
import { FrameReader, helloText, newNonce, roundText } from '../../../src/transport/ssh/shellFraming.js';

const b = (s: string) => Buffer.from(s, 'latin1');

/** Feed `chunks` one by one; return the output passed through and the end found. */
function read(nonce: string, chunks: string[]) {
  const r = new FrameReader(nonce);
  let out = '';
  for (const c of chunks) out += r.push(b(c)).toString('latin1');
  return { out, done: r.done, held: r.flush().toString('latin1') };
}

describe('shell round framing', () => {
  it('writes the command between a cd and the two end markers, never the whole marker', () => {
    const nonce = 'aaaaaaaabbbbbbbb';
    const t = roundText('cat /proc/loadavg\n', nonce);
    expect(t.split('\n')[0]).toBe('cd');
    expect(t.split('\n')[1]).toBe('cat /proc/loadavg');
    expect(t).toContain(`printf '\\036baie-end:%s%s:%s\\n' aaaaaaaa bbbbbbbb "$?"`);
    expect(t).toContain('>&2\n');
    expect(t).not.toContain(nonce);
    expect(helloText(nonce)).not.toContain('cd');
    expect(newNonce()).toMatch(/^[0-9a-f]{16}$/);
    expect(newNonce()).not.toBe(newNonce());
  });

  it('splits output from the marker and reads the status', () => {
    const n = '0123456789abcdef';
    const r = read(n, [`hello\nworld\n\x1ebaie-end:${n}:3\nnext`]);
    expect(r.out).toBe('hello\nworld\n');
    expect(r.done?.status).toBe(3);
    expect(r.done?.rest.toString()).toBe('next');
  });

  it('finds a marker cut anywhere across chunks, without losing output', () => {
    const n = '0123456789abcdef';
    const whole = `out without newline\x1ebaie-end:${n}:127\n`;
    for (let cut = 1; cut < whole.length; cut++) {
      const r = read(n, [whole.slice(0, cut), whole.slice(cut)]);
      expect(r.out).toBe('out without newline');
      expect(r.done?.status).toBe(127);
    }
  });

  it('is not fooled by a marker with another nonce or a bare marker head', () => {
    const n = '0123456789abcdef';
    const fake = `\x1ebaie-end:ffffffffffffffff:0\n\x1ebaie-end:`;
    const r = read(n, [fake, 'more\n', `\x1ebaie-end:${n}:0\n`]);
    expect(r.out).toBe(`${fake}more\n`);
    expect(r.done?.status).toBe(0);
  });

  it('holds back only what could be a marker, and gives it back at the end', () => {
    const n = '0123456789abcdef';
    const r = read(n, ['abc\x1ebaie-e']);
    expect(r.out).toBe('abc');
    expect(r.done).toBeUndefined();
    expect(r.held).toBe('\x1ebaie-e');
    expect(read(n, ['abc\x1eX']).out).toBe('abc\x1eX');
  });

  it('a marker followed by no status is garbage: ends with a null status', () => {
    const n = '0123456789abcdef';
    expect(read(n, [`x\x1ebaie-end:${n}:oops\n`]).done?.status).toBeNull();
    expect(read(n, [`x\x1ebaie-end:${n}:12345`]).done?.status).toBeNull();
    expect(read(n, [`x\x1ebaie-end:${n}:12`]).done).toBeUndefined();
  });
});
