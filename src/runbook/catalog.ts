/** Shipped and configured runbooks: list them, find one by name or path. */
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRunbookFile, type LoadedRunbook } from './load.js';

/** `runbooks/` at the package root (same depth from src/ and dist/). */
export function shippedRunbooksDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runbooks');
}

export async function runbookFiles(dirs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (/\.ya?ml$/.test(n)) files.push(join(d, n));
  }
  return files;
}

export async function listRunbooks(extraDirs: string[] = []): Promise<LoadedRunbook[]> {
  const files = await runbookFiles([shippedRunbooksDir(), ...extraDirs]);
  return Promise.all(files.map(loadRunbookFile));
}

/** A path to a YAML file, or the name of a shipped/configured runbook. */
export async function findRunbook(nameOrPath: string, extraDirs: string[] = []): Promise<LoadedRunbook | undefined> {
  if (/[/\\]|\.ya?ml$/.test(nameOrPath) || existsSync(nameOrPath)) return loadRunbookFile(resolve(nameOrPath));
  const all = await listRunbooks(extraDirs);
  return all.find((r) => r.runbook?.runbook === nameOrPath) ?? all.find((r) => r.file.replace(/^.*[/\\]/, '').replace(/\.ya?ml$/, '') === nameOrPath);
}
