import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../../src/transport/outputTail.js';
import { parseJumpSpec } from '../../../src/transport/ssh/jumpSpec.js';
import { formatSeconds, preferHostKeyAlgorithms } from '../../../src/transport/ssh/connect.js';
import { killGroupCommand, PidMarkerStripper, wrapForKill } from '../../../src/transport/ssh/remoteKill.js';

describe('pid marker', () => {
  it('strips the marker line even when it arrives in pieces, and keeps the pid', () => {
    const s = new PidMarkerStripper();
    const parts = ['\x1ebaie-p', 'id:4242', '\nreal error\n'].map((x) => s.push(Buffer.from(x)).toString());
    expect(parts.join('')).toBe('real error\n');
    expect(s.pid).toBe(4242);
    expect(s.push(Buffer.from('more')).toString()).toBe('more');
  });

  it('passes output through untouched when there is no marker (and for \\r\\n from a pty)', () => {
    const s = new PidMarkerStripper();
    expect(s.push(Buffer.from('bash: syntax error\n')).toString()).toBe('bash: syntax error\n');
    expect(s.pid).toBeUndefined();
    const t = new PidMarkerStripper();
    expect(t.push(Buffer.from('\x1ebaie-pid:7\r\nout\r\n')).toString()).toBe('out\r\n');
    expect(t.pid).toBe(7);
    const u = new PidMarkerStripper();
    expect(u.push(Buffer.from('\x1eba')).toString()).toBe('');
    expect(u.flush().toString()).toBe('\x1eba');
  });

  it('wraps with a newline so any command text stays valid, and kills the group', () => {
    expect(wrapForKill('& weird')).toBe(`printf '\\036baie-pid:%s\\n' "$$" >&2\n& weird`);
    expect(killGroupCommand(99, 'KILL')).toBe('kill -KILL -- -99 2>/dev/null || kill -KILL 99 2>/dev/null; true');
  });
});

describe('jump specs', () => {
  it('reads user@host:port, host, [v6]:port', () => {
    expect(parseJumpSpec('ops@gw.coop.example:2222', { user: 'me' })).toMatchObject({ user: 'ops', host: 'gw.coop.example', port: 2222 });
    expect(parseJumpSpec('gw', { user: 'me' })).toMatchObject({ user: 'me', host: 'gw', port: 22 });
    expect(parseJumpSpec('root@[2001:db8::1]:22', { user: 'me' })).toMatchObject({ host: '2001:db8::1', port: 22 });
    expect(parseJumpSpec('a b', { user: 'me' })).toBeUndefined();
    expect(parseJumpSpec('gw:99999', { user: 'me' })).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('prefers known host key types like OpenSSH', () => {
    expect(preferHostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(preferHostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
    expect(formatSeconds(5000)).toBe('5 s');
    expect(formatSeconds(1500)).toBe('1.5 s');
  });

  it('OutputTail keeps the last bytes without a broken character at the cut', () => {
    const t = new OutputTail(5);
    t.push(Buffer.from('abcé'));
    t.push(Buffer.from('xyz'));
    expect(t.truncated).toBe(true);
    expect(t.text()).toBe('éxyz');
  });
});
