/**
 * Private keys for public-key authentication: IdentityFiles (or OpenSSH's defaults), decrypted
 * with a passphrase asked through a callback (never from argv or a log). Parsed keys are
 * cached per file so a reconnect does not ask again.
 */
import { existsSync, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';

const { utils } = ssh2;

export interface LoadedIdentity {
  file: string;
  key: ParsedKey;
}

export interface KeyProblem {
  file: string;
  message: string;
}

export type PassphraseCallback = (keyFile: string) => Promise<string | undefined>;

/** `~/x` → `$HOME/x`. */
export function expandHome(p: string, home = homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

/** OpenSSH's default identity files that exist, in its order. */
export function defaultIdentityFiles(home = homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(home, '.ssh', n)).filter((f) => existsSync(f));
}

function isEncryptedError(e: Error): boolean {
  return /encrypted/i.test(e.message) && /no passphrase/i.test(e.message);
}

type CacheEntry = { mtimeMs: number; result: LoadedIdentity | KeyProblem };

export class KeyStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<LoadedIdentity | KeyProblem>>();

  constructor(private readonly passphrase?: PassphraseCallback) {}

  /** Loads each file once; unreadable, unparsable or undecryptable keys come back as problems. */
  async load(files: string[]): Promise<{ keys: LoadedIdentity[]; problems: KeyProblem[] }> {
    const keys: LoadedIdentity[] = [];
    const problems: KeyProblem[] = [];
    for (const f of [...new Set(files.map((x) => expandHome(x)))]) {
      const r = await this.loadOne(f);
      if ('key' in r) keys.push(r);
      else problems.push(r);
    }
    return { keys, problems };
  }

  private loadOne(file: string): Promise<LoadedIdentity | KeyProblem> {
    const running = this.inFlight.get(file);
    if (running) return running;
    const p = this.read(file).finally(() => this.inFlight.delete(file));
    this.inFlight.set(file, p);
    return p;
  }

  private async read(file: string): Promise<LoadedIdentity | KeyProblem> {
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      return { file, message: 'key file not found' };
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.result;
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch (e) {
      return { file, message: `cannot read key file (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    let parsed = utils.parseKey(data);
    let result: LoadedIdentity | KeyProblem;
    if (parsed instanceof Error && isEncryptedError(parsed)) {
      const pass = this.passphrase ? await this.passphrase(file) : undefined;
      if (pass === undefined) {
        result = { file, message: 'key is encrypted and no passphrase was given' };
        this.cache.set(file, { mtimeMs: st.mtimeMs, result });
        return result;
      }
      parsed = utils.parseKey(data, pass);
      if (parsed instanceof Error) {
        result = { file, message: 'wrong passphrase for key' };
        this.cache.set(file, { mtimeMs: st.mtimeMs, result });
        return result;
      }
    }
    if (parsed instanceof Error) result = { file, message: `not a usable private key (${parsed.message})` };
    else {
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      result = key ? { file, key } : { file, message: 'no key in file' };
    }
    this.cache.set(file, { mtimeMs: st.mtimeMs, result });
    return result;
  }
}
