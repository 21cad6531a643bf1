import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  entryMatchesHost,
  fingerprint,
  formatHashedHost,
  formatKnownHostsLine,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  lookupHostKey,
  parseKnownHosts,
} from '../../../src/transport/ssh/knownHosts.js';

const fx = (f: string): string => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
// keys.pub: a b c d (ed25519), e (ecdsa), r (rsa), as `type base64` lines; fingerprints.txt from `ssh-keygen -lf`.
const keyLines = fx('keys.pub').trim().split('\n');
const blob = (i: number): Buffer => Buffer.from(keyLines[i].split(' ')[1], 'base64');
const [A, B, C, D, E, R] = [0, 1, 2, 3, 4, 5].map(blob);
const sshKeygenFingerprints = fx('fingerprints.txt')
  .trim()
  .split('\n')
  .map((l) => l.split(' ')[1]);

describe('known_hosts parsing', () => {
  const { entries, errors } = parseKnownHosts(fx('known_hosts'), '/home/op/.ssh/known_hosts');

  it('reads every key line, skips comments and blank lines, keeps markers and line numbers', () => {
    expect(errors).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker ?? '', e.keyType])).toEqual([
      [2, '', 'ssh-ed25519'],
      [3, '', 'ssh-ed25519'],
      [4, '', 'ssh-ed25519'],
      [5, 'cert-authority', 'ssh-ed25519'],
      [6, 'revoked', 'ecdsa-sha2-nistp256'],
      [7, '', 'ssh-rsa'],
    ]);
    expect(entries[5].comment).toBe('old key comment');
  });

  it('reports malformed lines with their line number instead of throwing', () => {
    const bad = parseKnownHosts('host-only\nh ssh-ed25519 !!notbase64\n@weird h ssh-ed25519 AAAA\nh ssh-rsa ' + keyLines[0].split(' ')[1] + '\n');
    expect(bad.entries).toEqual([]);
    expect(bad.errors.map((e) => e.line)).toEqual([1, 2, 3, 4]);
    expect(bad.errors[3].message).toMatch(/does not match/);
  });

  it('matches names in a comma list, [host]:port, wildcards and negations', () => {
    const [list, bracket, wild] = entries;
    expect(entryMatchesHost(list, 'ella.coop.example', 22)).toBe(true);
    expect(entryMatchesHost(list, '192.0.2.11', 22)).toBe(true);
    expect(entryMatchesHost(list, 'ELLA.coop.example', 22)).toBe(true);
    expect(entryMatchesHost(list, 'ella.coop.example', 2222)).toBe(false);
    expect(entryMatchesHost(bracket, '127.0.0.1', 2203)).toBe(true);
    expect(entryMatchesHost(bracket, '127.0.0.1', 22)).toBe(false);
    expect(entryMatchesHost(bracket, '127.0.0.1', 2204)).toBe(false);
    expect(entryMatchesHost(wild, 'www.web.coop.example', 22)).toBe(true);
    expect(entryMatchesHost(wild, 'bad.web.coop.example', 22)).toBe(false);
    expect(entryMatchesHost(wild, 'web.coop.example', 22)).toBe(false);
  });

  it('matches hashed names written by ssh-keygen -H (HMAC-SHA1)', () => {
    const hashed = parseKnownHosts(fx('known_hosts.hashed')).entries;
    expect(hashed).toHaveLength(2);
    expect(hashed[0].hosts.kind).toBe('hashed');
    expect(entryMatchesHost(hashed[0], 'elea.coop.example', 22)).toBe(true);
    expect(entryMatchesHost(hashed[0], 'elsa.coop.example', 22)).toBe(false);
    expect(entryMatchesHost(hashed[1], '10.1.0.5', 2222)).toBe(true);
    expect(entryMatchesHost(hashed[1], '10.1.0.5', 22)).toBe(false);
    // Our own hashing round-trips.
    const salt = Buffer.alloc(20, 7);
    const line = `${formatHashedHost('[fey]:2201', salt)} ${keyLines[0]}`;
    expect(entryMatchesHost(parseKnownHosts(line).entries[0], 'fey', 2201)).toBe(true);
  });
});

describe('host key lookup', () => {
  const { entries } = parseKnownHosts(fx('known_hosts'), 'kh');

  it('match, changed (old keys listed, same type first), unknown', () => {
    expect(lookupHostKey(entries, 'ella.coop.example', 22, A).status).toBe('match');
    const changed = lookupHostKey(entries, 'ella.coop.example', 22, B);
    expect(changed.status).toBe('changed');
    if (changed.status === 'changed') expect(changed.known.map((e) => e.line)).toEqual([2]);
    expect(lookupHostKey(entries, 'elsa.coop.example', 22, A).status).toBe('unknown');
    // A host known only by an RSA key presenting an ed25519 one: still a different key.
    expect(lookupHostKey(entries, 'emma.coop.example', 22, A).status).toBe('changed');
    expect(lookupHostKey(entries, 'emma.coop.example', 22, R).status).toBe('match');
  });

  it('a revoked key is refused even for a host it is otherwise listed for', () => {
    const withE = parseKnownHosts(`ella.coop.example ${keyLines[4]}\n${fx('known_hosts')}`).entries;
    expect(lookupHostKey(withE, 'ella.coop.example', 22, E).status).toBe('revoked');
    expect(lookupHostKey(entries, 'anything', 2000, E).status).toBe('revoked');
  });

  it('@cert-authority lines never vouch for a host key', () => {
    expect(lookupHostKey(entries, 'x.coop.example', 22, D).status).toBe('unknown');
  });

  it('lists known key types for preferring them in the key exchange', () => {
    expect(knownKeyTypes(entries, 'emma.coop.example', 22)).toEqual(['ssh-rsa']);
    expect(knownKeyTypes(entries, 'nowhere', 22)).toEqual([]);
  });
});

describe('fingerprints and lines', () => {
  it('equal ssh-keygen -lf for ed25519, ecdsa and rsa keys', () => {
    expect([A, B, C, D, E, R].map(fingerprint)).toEqual(sshKeygenFingerprints);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOfBlob(A)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(E)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(Buffer.from([0, 0]))).toBeUndefined();
  });

  it('formats lines as OpenSSH writes them, bracketing non-22 ports', () => {
    expect(knownHostsName('Ella', 22)).toBe('ella');
    expect(formatKnownHostsLine('127.0.0.1', 2203, A)).toBe(`[127.0.0.1]:2203 ${keyLines[0]}`);
    expect(formatKnownHostsLine('ella.coop.example', 22, A)).toBe(`ella.coop.example ${keyLines[0]}`);
  });
});
