/** Keys and the line editor: small pure pieces of the lab servers. */
import { describe, expect, it } from 'vitest';
import { generateEd25519, parseOneKey, publicKeyAccepted, publicKeyLine, validPrivateKey } from '../../../src/lab/keys.js';
import { LineEditor } from '../../../src/lab/lineEditor.js';

describe('lab keys', () => {
  it('generates keys ssh2 can load (its generator sometimes drops a byte)', () => {
    for (let i = 0; i < 400; i++) expect(validPrivateKey(generateEd25519().private)).toBe(true);
  });

  it('accepts only the lab key, and checks the signature when there is one', () => {
    const lab = generateEd25519();
    const other = generateEd25519();
    const allowed = parseOneKey(lab.public, 'lab');
    const o = parseOneKey(other.private, 'other');
    const l = parseOneKey(lab.private, 'lab private');
    expect(publicKeyLine(lab.private)).toBe(lab.public.split(' ').slice(0, 2).join(' '));
    const blob = Buffer.from('session data');
    const mine = { key: { algo: 'ssh-ed25519', data: allowed.getPublicSSH() } };
    expect(publicKeyAccepted(allowed, mine)).toBe(true);
    expect(publicKeyAccepted(allowed, { key: { algo: 'ssh-ed25519', data: o.getPublicSSH() } })).toBe(false);
    expect(publicKeyAccepted(allowed, { ...mine, blob, signature: l.sign(blob) as Buffer })).toBe(true);
    expect(publicKeyAccepted(allowed, { ...mine, blob, signature: o.sign(blob) as Buffer })).toBe(false);
  });
});

describe('lab line editor', () => {
  const run = (input: string) => {
    let echo = '';
    const ed = new LineEditor((t) => (echo += t));
    const events = ed.feed(input);
    return { echo, events };
  };
  it('echoes, erases, and completes lines on CR or LF (CRLF counts once)', () => {
    const r = run('lsx\x7f -l\r\nwho\n');
    expect(r.events).toEqual([{ kind: 'line', text: 'ls -l' }, { kind: 'line', text: 'who' }]);
    expect(r.echo).toBe('lsx\b \b -l\r\nwho\r\n');
  });
  it('turns Ctrl-C into an interrupt and Ctrl-D on an empty line into EOF', () => {
    expect(run('sleep 9\x03').events).toEqual([{ kind: 'interrupt' }]);
    expect(run('\x04').events).toEqual([{ kind: 'eof' }]);
    expect(run('a\x04').events).toEqual([]);
  });
  it('swallows escape sequences and recalls history with the up arrow', () => {
    const r = run('uptime\r\x1b[A\x1b[C\r');
    expect(r.events).toEqual([{ kind: 'line', text: 'uptime' }, { kind: 'line', text: 'uptime' }]);
  });
});
