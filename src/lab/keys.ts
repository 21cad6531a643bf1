/** ed25519 keys for the lab: host keys, the lab client key, and checking a client's public key. */
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader only gives the default export.
const { utils } = ssh2;

export interface KeyPair {
  /** OpenSSH-format private key. */
  private: string;
  /** `ssh-ed25519 AAAA… comment` line. */
  public: string;
}

/**
 * A fresh ed25519 key pair. ssh2 1.17's generator now and then (about 1 in 200) writes a
 * public key with its leading zero byte dropped, which its own parser then rejects: retry.
 */
export function generateEd25519(comment = ''): KeyPair {
  for (let i = 0; ; i++) {
    const k = utils.generateKeyPairSync('ed25519', comment ? { comment } : undefined);
    if (validPrivateKey(k.private) || i >= 50) return { private: k.private, public: k.public.trim() };
  }
}

/** Does ssh2 (and so the lab's SSH server) accept this private key? */
export function validPrivateKey(text: string): boolean {
  if (!text) return false;
  const k = utils.parseKey(text);
  return !(k instanceof Error) && (Array.isArray(k) ? k.length > 0 : true);
}

/** Parse a private or public key; throws with `what` in the message when it is not a key. */
export function parseOneKey(text: string | Buffer, what: string): ParsedKey {
  const k = utils.parseKey(text);
  if (k instanceof Error) throw new Error(`${what}: ${k.message}`);
  return Array.isArray(k) ? k[0] : k;
}

/** `ssh-ed25519 AAAA…` (no comment) for a private or public key. */
export function publicKeyLine(key: string | Buffer): string {
  const k = parseOneKey(key, 'key');
  return `${k.type} ${k.getPublicSSH().toString('base64')}`;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What ssh2 hands to a `publickey` authentication attempt. */
export interface PublicKeyAttempt {
  key: { algo: string; data: Buffer };
  blob?: Buffer;
  signature?: Buffer;
  hashAlgo?: string;
}

/**
 * Does the attempt use `allowed`? Compares key type and blob; when a signature is present it
 * must verify (ssh2 README server example). Without a signature the client is only asking
 * whether the key would be accepted.
 */
export function publicKeyAccepted(allowed: ParsedKey, ctx: PublicKeyAttempt): boolean {
  if (ctx.key.algo !== allowed.type) return false;
  if (!sameBytes(ctx.key.data, allowed.getPublicSSH())) return false;
  if (ctx.signature && ctx.blob) return allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo as never) === true;
  return true;
}
