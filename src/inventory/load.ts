/** Read inventory.yaml into a Fleet, with every problem positioned. Never throws for user input. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Fleet } from '../model/fleet.js';
import { buildFleet } from './build.js';
import { describePath, fallbackError, issuesToProblems } from './issues.js';
import { duplicateKeys, nodePos, posOf } from './positions.js';
import { sortProblems, type Problem } from './problems.js';
import { inventorySchema, isTemplateKey } from './schema.js';
import { loadSshConfig } from './sshConfig.js';

export interface LoadOptions {
  /** Default: HOME/.ssh/config. */
  sshConfigFile?: string;
  /** Default: os.homedir(). Used for `~` and the default ssh config. */
  home?: string;
}

export interface LoadResult {
  fleet: Fleet;
  problems: Problem[];
}

const empty = (file: string): Fleet => ({ sites: [], racks: [], machines: [], vms: [], source: resolve(file) });

function duplicateMessage(path: (string | number)[], key: string, firstLine: number): string {
  const where = path.join('.');
  if (where === 'machines') return `duplicate machine name '${key}' (first defined at line ${firstLine})`;
  if (where === 'vms') return `duplicate VM name '${key}' (first defined at line ${firstLine})`;
  if (where === 'sites') return `duplicate site name '${key}' (first defined at line ${firstLine})`;
  if (path.length === 3 && path[0] === 'sites' && path[2] === 'racks') return `duplicate rack name '${key}' in site '${path[1]}' (first defined at line ${firstLine})`;
  const { where: w, field } = describePath(path);
  return `duplicate key '${key}' in ${field ? `${field} of ${w}` : w} (first at line ${firstLine})`;
}

export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EISDIR' ? 'EISDIR: it is a directory' : (err.message ?? String(e));
    return { fleet: empty(file), problems: [{ file, line: 1, col: 1, message: `cannot read: ${why}` }] };
  }
  const home = opts.home ?? homedir();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const { line, col } = posOf(lc, e.pos[0]);
      return { file, line, col, message: `YAML syntax error: ${e.message.split('\n')[0]}` };
    });
    return { fleet: empty(file), problems };
  }

  const problems: Problem[] = [];
  for (const d of duplicateKeys(doc)) {
    const { line, col } = nodePos(lc, d.dup);
    problems.push({ file, line, col, message: duplicateMessage(d.path, d.key, nodePos(lc, d.first).line) });
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    problems.push({ file, line: 1, col: 1, message: `YAML error: ${(e as Error).message.split('\n')[0]}` });
    return { fleet: empty(file), problems };
  }
  if (data === null || data === undefined) {
    problems.push({ file, line: 1, col: 1, message: 'the inventory is empty (expected sites: and machines:, see baie inventory format)' });
    return { fleet: empty(file), problems: sortProblems(problems) };
  }

  if (typeof data === 'object' && !Array.isArray(data)) {
    data = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([k]) => !isTemplateKey(k)));
  }
  const checked = inventorySchema.safeParse(data, { error: fallbackError });
  if (!checked.success) problems.push(...issuesToProblems(checked.error.issues, data, doc, lc, file));

  const sshConfigFile = opts.sshConfigFile ?? join(home, '.ssh', 'config');
  const built = buildFleet(data, { doc, lc, file, dir: dirname(resolve(file)), home, sshConfig: loadSshConfig(sshConfigFile, home) });
  problems.push(...built.problems);
  return { fleet: { ...built.fleet, source: resolve(file) }, problems: sortProblems(problems) };
}
