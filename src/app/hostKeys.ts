/**
 * After a reinstall a machine presents a new host key. It is never accepted silently: a runbook
 * step shows its fingerprint and the operator types the machine's name; then the old entries for
 * that host:port are replaced in the known_hosts files that held them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { SshEndpoint } from '../model/fleet.js';
import { entryMatchesHost, fingerprint, formatKnownHostsLine, parseKnownHosts } from '../transport/ssh/knownHosts.js';

/** The host key the endpoint presents now (no authentication attempted). */
export function presentedKey(ep: SshEndpoint, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    let key: Buffer | undefined;
    const t = setTimeout(() => (c.end(), reject(new Error(`${ep.host}:${ep.port}: no SSH answer within ${timeoutMs / 1000} s`))), timeoutMs);
    c.on('error', (e) => {
      clearTimeout(t);
      if (key) resolve(key);
      else reject(new Error(`${ep.host}:${ep.port}: ${e.message}`));
    });
    c.connect({
      host: ep.host,
      port: ep.port,
      username: ep.user,
      readyTimeout: timeoutMs,
      hostVerifier: (k: Buffer) => {
        key = Buffer.from(k);
        clearTimeout(t);
        resolve(key);
        setImmediate(() => c.end());
        return false;
      },
    });
  });
}

/** Replace host:port's entries by `key` in every file that had one (else append to the first file). */
export async function trustKey(files: string[], host: string, port: number, key: Buffer): Promise<string[]> {
  const changed: string[] = [];
  const line = formatKnownHostsLine(host, port, key);
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch {
      continue;
    }
    const { entries } = parseKnownHosts(text, f);
    const drop = new Set(entries.filter((e) => !e.marker && entryMatchesHost(e, host, port)).map((e) => e.line));
    if (!drop.size) continue;
    const kept = text.split('\n').filter((_l, i) => !drop.has(i + 1));
    await writeFile(f, kept.join('\n').replace(/\n*$/, '\n') + line + '\n');
    changed.push(f);
  }
  if (!changed.length && files[0]) {
    const prev = await readFile(files[0], 'utf8').catch(() => '');
    await writeFile(files[0], prev.replace(/\n*$/, prev ? '\n' : '') + line + '\n', { mode: 0o600 });
    changed.push(files[0]);
  }
  return changed;
}

export function userKnownHosts(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

export { fingerprint };
