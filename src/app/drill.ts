/**
 * Drills (runbooks/drills/NAME.yaml): a fault scenario on the lab, the runbook the team is expected
 * to use, a time budget and a goal over `baie probe --json`. Loader with FILE:LINE:COL problems;
 * never throws for a user's mistake. Format: .notes/RUNBOOKS.md ("Drill format").
 */
import { runbookFiles } from '../runbook/catalog.js';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { duplicateKeys, locateKey, nodePos, pathPos, type PathKey } from '../inventory/positions.js';
import { sortProblems, type Problem } from '../inventory/problems.js';
import { parseDuration } from '../model/duration.js';

export type { Problem };

const Name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a name of lowercase letters, digits, . _ -');
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Partial = z.record(z.string(), z.unknown());

export const MATCHERS = ['equals', 'contains', 'none', 'every', 'count'] as const;
export type MatcherName = (typeof MATCHERS)[number];

export const GoalConditionSchema = z.strictObject({
  machine: z.string().min(1),
  /** A probeJson field; `a.b` walks into objects, `a.0` into lists. */
  field: z.string().min(1),
  equals: z.unknown().optional(),
  contains: z.unknown().optional(),
  none: Partial.optional(),
  every: Partial.optional(),
  count: z.number().int().min(0).optional(),
});

export const DrillFaultSchema = z.strictObject({
  fault: z.string().min(1),
  machine: z.string().min(1),
  arg: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Lab time after the start (`10m`); absent: injected at the start. */
  at: z.string().optional(),
});

export const DrillSchema = z.strictObject({
  drill: Name,
  title: z.string().min(1),
  doc: z.string().optional(),
  runbook: z.string().min(1),
  params: z.record(z.string(), Scalar).default({}),
  confirm: z.array(z.string()).default([]),
  speed: z.number().positive().max(100_000).optional(),
  budget: z.string().optional(),
  faults: z.array(DrillFaultSchema).min(1, 'a drill needs at least one fault'),
  goal: z.array(GoalConditionSchema).min(1, 'a drill needs at least one goal condition'),
});

export type GoalCondition = z.infer<typeof GoalConditionSchema>;
export type DrillFile = z.infer<typeof DrillSchema>;

export interface DrillFault {
  fault: string;
  machine: string;
  arg?: string;
  /** Lab ms after the start; 0 = at the start. */
  atMs: number;
  /** As written (`10m`). */
  at?: string;
}

export interface Drill extends Omit<DrillFile, 'faults'> {
  file: string;
  budgetMs?: number;
  faults: DrillFault[];
}

export interface LoadedDrill {
  file: string;
  drill?: Drill;
  problems: Problem[];
}

function describe(data: unknown, path: readonly PathKey[]): string {
  if ((path[0] === 'goal' || path[0] === 'faults') && typeof path[1] === 'number') {
    const rest = path.slice(2).join('.');
    return `${path[0] === 'goal' ? 'goal' : 'fault'} #${path[1] + 1}${rest ? ` ${rest}` : ''}`;
  }
  return path.length ? path.join('.') : 'the drill';
}

function expected(iss: z.core.$ZodIssue): string {
  if (iss.code === 'invalid_type') {
    const words: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', array: 'a list', object: 'a mapping (key: value)', boolean: 'true or false', record: 'a mapping (key: value)' };
    return `expected ${words[iss.expected] ?? iss.expected}`;
  }
  if (iss.code === 'invalid_value') return `expected one of: ${iss.values.map(String).join(', ')}`;
  if (iss.code === 'invalid_union') return 'expected text, a number or true/false';
  return iss.message;
}

function zodProblems(issues: readonly z.core.$ZodIssue[], data: unknown, doc: Document, lc: LineCounter, file: string): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    const path = iss.path as PathKey[];
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const { line, col } = nodePos(lc, locateKey(doc, path, key));
        const hint = path[0] === 'goal' ? ` (a goal condition has machine, field and one of: ${MATCHERS.join(', ')})` : '';
        out.push({ file, line, col, message: `unknown key '${key}' in ${describe(data, path)}${hint}` });
      }
      continue;
    }
    const { line, col } = pathPos(doc, lc, path);
    const missing = iss.code === 'invalid_type' && (iss as { input?: unknown }).input === undefined;
    const last = path[path.length - 1];
    out.push({ file, line, col, message: missing ? `${describe(data, path.slice(0, -1))}: missing ${String(last)} (${expected(iss)})` : `${describe(data, path)}: ${expected(iss)}` });
  }
  return out;
}

export function parseDrill(source: string, file: string): LoadedDrill {
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const { line, col } = lc.linePos(e.pos[0]);
    problems.push({ file, line, col, message: `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
  }
  if (problems.length) return { file, problems };
  for (const d of duplicateKeys(doc)) {
    const { line, col } = nodePos(lc, d.dup);
    problems.push({ file, line, col, message: `duplicate key '${d.key}' (first at line ${nodePos(lc, d.first).line})` });
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { file, problems: [...problems, { file, line: 1, col: 1, message: 'a drill is a mapping with drill, title, runbook, faults and goal' }] };
  }
  const parsed = DrillSchema.safeParse(data);
  if (!parsed.success) return { file, problems: sortProblems([...problems, ...zodProblems(parsed.error.issues, data, doc, lc, file)]) };
  const d = parsed.data;
  const at = (path: PathKey[], message: string) => {
    const p = pathPos(doc, lc, path);
    problems.push({ file, line: p.line, col: p.col, message });
  };
  let budgetMs: number | undefined;
  if (d.budget !== undefined) {
    budgetMs = parseDuration(d.budget);
    if (budgetMs === undefined) at(['budget'], `budget: '${d.budget}' is not a duration (like 20m, 1h30m)`);
  }
  const faults: DrillFault[] = d.faults.map((f, i) => {
    let atMs = 0;
    if (f.at !== undefined) {
      const ms = parseDuration(f.at);
      if (ms === undefined) at(['faults', i, 'at'], `fault #${i + 1} at: '${f.at}' is not a duration of lab time (like 90s, 10m)`);
      else atMs = ms;
    }
    return { fault: f.fault, machine: f.machine, ...(f.arg !== undefined ? { arg: f.arg } : {}), atMs, ...(f.at !== undefined ? { at: f.at } : {}) };
  });
  if (!faults.some((f) => f.atMs === 0) && !problems.length) at(['faults'], 'faults: at least one fault must start the drill (no at:)');
  d.goal.forEach((g, i) => {
    const used = MATCHERS.filter((m) => Object.hasOwn(g, m));
    if (used.length !== 1) at(['goal', i], `goal #${i + 1} (${g.machine}.${g.field}): ${used.length ? `has ${used.join(' and ')}; give exactly one matcher` : `needs one matcher: ${MATCHERS.join(', ')}`}`);
  });
  if (problems.length) return { file, problems: sortProblems(problems) };
  return { file, problems: [], drill: { ...d, file, faults, ...(budgetMs !== undefined ? { budgetMs } : {}) } };
}

export async function loadDrillFile(file: string): Promise<LoadedDrill> {
  try {
    return parseDrill(await readFile(file, 'utf8'), file);
  } catch (e) {
    return { file, problems: [{ file, line: 1, col: 1, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
}

/** `runbooks/drills/` at the package root (same depth from src/ and dist/). */
export function shippedDrillsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runbooks', 'drills');
}

/** Drill directories: the shipped one, then `drills/` inside each configured runbook directory. */
export function drillDirs(runbookDirs: string[] = []): string[] {
  return [shippedDrillsDir(), ...runbookDirs.map((d) => join(d, 'drills'))];
}

export async function listDrills(dirs: string[]): Promise<LoadedDrill[]> {
  // the same YAML files per directory, in the same order, as runbooks
  return Promise.all((await runbookFiles(dirs)).map(loadDrillFile));
}

/** A path to a YAML file, or the name of a drill in `dirs` (its `drill:` or its file name). */
export async function findDrill(nameOrPath: string, dirs: string[]): Promise<LoadedDrill | undefined> {
  if (/[/\\]|\.ya?ml$/.test(nameOrPath) || existsSync(nameOrPath)) return loadDrillFile(resolve(nameOrPath));
  const all = await listDrills(dirs);
  return all.find((d) => d.drill?.drill === nameOrPath) ?? all.find((d) => d.file.replace(/^.*[/\\]/, '').replace(/\.ya?ml$/, '') === nameOrPath);
}

/** Machines the goal names (what must be probed). */
export function goalMachines(d: Pick<Drill, 'goal'>): string[] {
  return [...new Set(d.goal.map((g) => g.machine))];
}
