/**
 * known_hosts files, as OpenSSH writes and reads them (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
 * Pure: parsing, host matching (plain, wildcard, negated, `[host]:port`, hashed `|1|salt|hash`),
 * fingerprints and line formatting. No file I/O here.
 */
import { createHash, createHmac } from 'node:crypto';

export type KnownHostsHosts =
  | { kind: 'patterns'; patterns: string[] }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostEntry {
  /** `@revoked` lines refuse the key; `@cert-authority` lines are kept but never match (not supported). */
  marker?: 'revoked' | 'cert-authority';
  hosts: KnownHostsHosts;
  keyType: string;
  /** Raw public key blob (the base64 field decoded). */
  key: Buffer;
  comment?: string;
  /** Where it came from, for messages. */
  file?: string;
  line: number;
}

export interface KnownHostsParseError {
  file?: string;
  line: number;
  message: string;
}

/** `host` for port 22, `[host]:port` otherwise: the name OpenSSH looks up and writes. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** The key type embedded at the start of a public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's SHA256 fingerprint: `SHA256:` + unpadded base64 of sha256(blob). */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** A line to append to known_hosts for this host, port and key (no trailing newline). */
export function formatKnownHostsLine(host: string, port: number, blob: Buffer): string {
  const type = keyTypeOfBlob(blob) ?? 'unknown';
  return `${knownHostsName(host, port)} ${type} ${blob.toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseKnownHosts(text: string, file?: string): { entries: KnownHostEntry[]; errors: KnownHostsParseError[] } {
  const entries: KnownHostEntry[] = [];
  const errors: KnownHostsParseError[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        errors.push({ file, line: lineNo, message: `unknown marker ${m}` });
        continue;
      }
    }
    if (fields.length < 3) {
      errors.push({ file, line: lineNo, message: 'expected "hosts keytype base64-key"' });
      continue;
    }
    const [hostField, keyType, keyB64, ...rest] = fields;
    if (!BASE64.test(keyB64)) {
      errors.push({ file, line: lineNo, message: 'key is not base64' });
      continue;
    }
    const key = Buffer.from(keyB64, 'base64');
    const embedded = keyTypeOfBlob(key);
    if (embedded !== keyType) {
      errors.push({ file, line: lineNo, message: `key type ${keyType} does not match the key (${embedded ?? 'unreadable'})` });
      continue;
    }
    let hosts: KnownHostsHosts;
    if (hostField.startsWith('|1|')) {
      const parts = hostField.split('|');
      // ['', '1', salt, hash]
      if (parts.length !== 4 || !BASE64.test(parts[2]) || !BASE64.test(parts[3])) {
        errors.push({ file, line: lineNo, message: 'malformed hashed host name' });
        continue;
      }
      hosts = { kind: 'hashed', salt: Buffer.from(parts[2], 'base64'), hash: Buffer.from(parts[3], 'base64') };
    } else {
      hosts = { kind: 'patterns', patterns: hostField.split(',').filter((p) => p !== '') };
    }
    entries.push({ marker, hosts, keyType, key, comment: rest.length ? rest.join(' ') : undefined, file, line: lineNo });
  }
  return { entries, errors };
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Hash a host name the way `ssh-keygen -H` / HashKnownHosts does: HMAC-SHA1 keyed by the salt. */
export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

/** Formats a hashed host field `|1|salt|hash` (for tests and for writing hashed lines). */
export function formatHashedHost(name: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${hashHostName(name, salt).toString('base64')}`;
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hosts.kind === 'hashed') {
    const got = hashHostName(name, entry.hosts.salt);
    return got.length === entry.hosts.hash.length && got.equals(entry.hosts.hash);
  }
  let positive = false;
  for (const p of entry.hosts.patterns) {
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    if (globToRegExp(pat).test(name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

export type HostKeyLookup =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** The host is known, with other key(s): `known` lists them (same key type first). */
  | { status: 'changed'; known: KnownHostEntry[] }
  | { status: 'unknown' };

/** Decides what the known_hosts entries say about `blob` presented by host:port. */
export function lookupHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyLookup {
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e, host, port));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const match = plain.find((e) => e.key.equals(blob));
  if (match) return { status: 'match', entry: match };
  if (plain.length === 0) return { status: 'unknown' };
  const type = keyTypeOfBlob(blob);
  const known = [...plain.filter((e) => e.keyType === type), ...plain.filter((e) => e.keyType !== type)];
  return { status: 'changed', known };
}

/** Key types known for the host (non-revoked entries), to prefer them when negotiating like OpenSSH. */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const types: string[] = [];
  for (const e of entries) {
    if (e.marker === undefined && entryMatchesHost(e, host, port) && !types.includes(e.keyType)) types.push(e.keyType);
  }
  return types;
}
