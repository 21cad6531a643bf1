/**
 * What to do with the host key a server presents. Reads known_hosts files (the user's, which
 * is also where accepted keys are appended, plus extra trusted files), and decides:
 * known → ok; revoked → refuse; changed → always refuse, with both fingerprints; unknown → ask
 * `onUnknown`, else accept only with `acceptNew` (and remember it in the user's file).
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import {
  fingerprint,
  formatKnownHostsLine,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  lookupHostKey,
  parseKnownHosts,
  type KnownHostEntry,
} from './knownHosts.js';

/** 'accept' trusts and appends to the user's known_hosts; 'accept-once' trusts for this process only. */
export type UnknownHostAnswer = 'accept' | 'accept-once' | 'refuse';

export interface UnknownHostQuestion {
  /** Machine name (inventory) the connection is for. */
  machine: string;
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:…` */
  fingerprint: string;
}

export interface HostKeyPolicyOptions {
  /** Asked for an unknown host key (the TUI shows it). Without it, unknown keys are refused unless `acceptNew`. */
  onUnknown?(host: string, port: number, keyType: string, fingerprint: string, q: UnknownHostQuestion): Promise<UnknownHostAnswer>;
  /** Accept and record unknown keys without asking (like StrictHostKeyChecking=accept-new). Never changed ones. */
  acceptNew?: boolean;
}

export interface HostKeyCheck {
  machine: string;
  host: string;
  port: number;
  /** Raw public key blob as presented. */
  key: Buffer;
  /** The user's known_hosts: read, and appended to when a key is accepted. */
  userKnownHosts: string;
  /** Other trusted files (global, inventory-provided, the lab's). Read only. */
  knownHostsFiles: string[];
}

export type HostKeyVerdict =
  | { ok: true; how: 'known' | 'accepted' | 'accepted-once'; savedTo?: string }
  | { ok: false; kind: 'hostkey-unknown' | 'hostkey-changed' | 'hostkey-revoked'; message: string };

interface CachedFile {
  mtimeMs: number;
  size: number;
  entries: KnownHostEntry[];
}

export class HostKeyPolicy {
  private readonly cache = new Map<string, CachedFile>();
  private readonly acceptedOnce = new Set<string>();
  private readonly pending = new Map<string, Promise<HostKeyVerdict>>();

  constructor(private readonly opts: HostKeyPolicyOptions = {}) {}

  async check(req: HostKeyCheck): Promise<HostKeyVerdict> {
    const fp = fingerprint(req.key);
    const keyType = keyTypeOfBlob(req.key) ?? 'unknown';
    const where = knownHostsName(req.host, req.port);
    const entries = await this.entries([req.userKnownHosts, ...req.knownHostsFiles]);
    const found = lookupHostKey(entries, req.host, req.port, req.key);
    switch (found.status) {
      case 'match':
        return { ok: true, how: 'known' };
      case 'revoked':
        return {
          ok: false,
          kind: 'hostkey-revoked',
          message: `host key for ${where} is REVOKED (${keyType} ${fp}, ${loc(found.entry)}); refusing to connect`,
        };
      case 'changed': {
        const old = found.known.map((e) => `${e.keyType} ${fingerprint(e.key)} (${loc(e)})`).join(', ');
        return {
          ok: false,
          kind: 'hostkey-changed',
          message:
            `host key for ${where} has CHANGED (possible man-in-the-middle attack): known ${old}, ` +
            `presented ${keyType} ${fp}; refusing to connect (if the change is expected, remove the old line)`,
        };
      }
      case 'unknown':
        break;
    }
    const onceKey = `${where} ${fp}`;
    if (this.acceptedOnce.has(onceKey)) return { ok: true, how: 'accepted-once' };
    // Concurrent connects to the same new host ask once.
    const inFlight = this.pending.get(onceKey);
    if (inFlight) return inFlight;
    const p = this.decideUnknown(req, keyType, fp, where, onceKey).finally(() => this.pending.delete(onceKey));
    this.pending.set(onceKey, p);
    return p;
  }

  /** Key types already known for this host, to offer them first during key exchange (as OpenSSH does). */
  async knownTypes(req: Omit<HostKeyCheck, 'key' | 'machine'>): Promise<string[]> {
    const entries = await this.entries([req.userKnownHosts, ...req.knownHostsFiles]);
    return knownKeyTypes(entries, req.host, req.port);
  }

  private async decideUnknown(req: HostKeyCheck, keyType: string, fp: string, where: string, onceKey: string): Promise<HostKeyVerdict> {
    let answer: UnknownHostAnswer;
    if (this.opts.onUnknown) {
      answer = await this.opts.onUnknown(req.host, req.port, keyType, fp, {
        machine: req.machine,
        host: req.host,
        port: req.port,
        keyType,
        fingerprint: fp,
      });
    } else {
      answer = this.opts.acceptNew ? 'accept' : 'refuse';
    }
    if (answer === 'refuse') {
      return {
        ok: false,
        kind: 'hostkey-unknown',
        message: `host key for ${where} is not known (${keyType} ${fp}); refusing: check the fingerprint, then add it to ${req.userKnownHosts}`,
      };
    }
    if (answer === 'accept-once') {
      this.acceptedOnce.add(onceKey);
      return { ok: true, how: 'accepted-once' };
    }
    await appendKnownHost(req.userKnownHosts, formatKnownHostsLine(req.host, req.port, req.key));
    this.cache.delete(req.userKnownHosts);
    return { ok: true, how: 'accepted', savedTo: req.userKnownHosts };
  }

  private async entries(files: string[]): Promise<KnownHostEntry[]> {
    const all: KnownHostEntry[] = [];
    for (const f of [...new Set(files)]) all.push(...(await this.readFile(f)));
    return all;
  }

  private async readFile(file: string): Promise<KnownHostEntry[]> {
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      return [];
    }
    const c = this.cache.get(file);
    if (c && c.mtimeMs === st.mtimeMs && c.size === st.size) return c.entries;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return [];
    }
    const { entries } = parseKnownHosts(text, file);
    this.cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, entries });
    return entries;
  }
}

function loc(e: KnownHostEntry): string {
  return `${e.file ?? 'known_hosts'}:${e.line}`;
}

/** Appends one line to a known_hosts file, creating it (0600, directory 0700) if needed. */
export async function appendKnownHost(file: string, line: string): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const fh = await fs.open(file, 'r');
    try {
      const st = await fh.stat();
      if (st.size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, st.size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
    } finally {
      await fh.close();
    }
  } catch {
    // new file
  }
  await fs.appendFile(file, `${prefix}${line}\n`, { mode: 0o600 });
}
