/**
 * Read a runbook file: YAML with positions, the schema, then the checks the schema cannot express
 * (duplicate ids, unknown or quoted {{names}}, bad regexes). Never throws for a user's mistake.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isScalar, type Document, type Node, type Scalar } from 'yaml';
import { locate, nodePos, duplicateKeys, type PathKey } from '../inventory/positions.js';
import { RunbookSchema, stepKind, type Runbook } from './schema.js';
import { malformed, placeholders, quotedPlaceholders } from './template.js';
import { describe, zodProblems, type Problem } from './problems.js';

export interface LoadedRunbook {
  file: string;
  runbook?: Runbook;
  /** sha256 of the file's bytes: a journal notices when the runbook changed under a run. */
  hash: string;
  problems: Problem[];
  source: string;
}

export const BUILTINS = ['operator', 'run_id', 'runbook', 'target'] as const;

export async function loadRunbookFile(file: string): Promise<LoadedRunbook> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (e) {
    return { file, hash: '', source: '', problems: [{ file, line: 1, col: 1, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  return parseRunbook(source, file);
}

export function parseRunbook(source: string, file: string): LoadedRunbook {
  const hash = createHash('sha256').update(source).digest('hex');
  const lc = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const { line, col } = lc.linePos(e.pos[0]);
    problems.push({ file, line, col, message: `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
  }
  if (problems.length) return { file, hash, source, problems };
  for (const d of duplicateKeys(doc)) {
    const { line, col } = nodePos(lc, d.dup);
    const first = nodePos(lc, d.first);
    problems.push({ file, line, col, message: `duplicate key '${d.key}' (first at line ${first.line})` });
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const parsed = RunbookSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error.issues, data, doc, lc, file));
    return { file, hash, source, problems: sortByPos(problems) };
  }
  const rb = parsed.data;
  problems.push(...semanticProblems(rb, doc, lc, file, source));
  return { file, hash, source, runbook: problems.length ? undefined : rb, problems: sortByPos(problems) };
}

function sortByPos(p: Problem[]): Problem[] {
  return p.map((x, i) => ({ x, i })).sort((a, b) => a.x.line - b.x.line || a.x.col - b.x.col || a.i - b.i).map((y) => y.x);
}

/** Position of `index` inside a scalar's text (plain, quoted or block). */
function posInScalar(lc: LineCounter, source: string, node: Node | undefined, index: number): { line: number; col: number } {
  if (!node || !isScalar(node) || !node.range) return nodePos(lc, node);
  const s = node as Scalar;
  const start = node.range[0];
  if (s.type === 'PLAIN') return lc.linePos(start + index);
  if (s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') return lc.linePos(start + 1 + index);
  // block scalar: content starts on the next line, each line indented
  const value = String(s.value);
  const before = value.slice(0, index);
  const lineInValue = before.split('\n').length - 1;
  const colInLine = index - (before.lastIndexOf('\n') + 1);
  const header = lc.linePos(start);
  const firstContentLine = header.line + 1 + lineInValue;
  const lineStart = lc.lineStarts[firstContentLine - 1] ?? start;
  const indent = /^ */.exec(source.slice(lineStart))?.[0].length ?? 0;
  return { line: firstContentLine, col: indent + colInLine + 1 };
}

function semanticProblems(rb: Runbook, doc: Document, lc: LineCounter, file: string, rawSource: string): Problem[] {
  const out: Problem[] = [];
  const at = (path: PathKey[], message: string, index?: number) => {
    const l = locate(doc, path);
    const node = l.depth === path.length ? (l.value ?? l.key) : (l.key ?? l.value);
    const p = index === undefined ? nodePos(lc, node) : posInScalar(lc, rawSource, node, index);
    out.push({ file, line: p.line, col: p.col, message });
  };
  const names = new Set<string>([...BUILTINS, ...Object.keys(rb.params ?? {}), ...Object.keys(rb.vars ?? {})]);
  const regex = (path: PathKey[], re: string | undefined, what: string) => {
    if (re === undefined) return;
    try {
      new RegExp(re);
    } catch (e) {
      at(path, `${what} is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  };
  for (const [name, p] of Object.entries(rb.params ?? {})) {
    if (p.type === 'string') {
      regex(['params', name, 'pattern'], p.pattern, `param '${name}' pattern`);
      if (p.pattern && p.default !== undefined && safeTest(p.pattern, p.default) === false) at(['params', name, 'default'], `param '${name}': default '${p.default}' does not match its pattern`);
    }
    if (p.type === 'enum' && p.default !== undefined && !p.values.includes(p.default)) at(['params', name, 'default'], `param '${name}': default '${p.default}' is not one of: ${p.values.join(', ')}`);
    if (p.type === 'secret' && !p.env && !p.file) at(['params', name], `param '${name}': a secret comes from env: or file:, never inline`);
    if (p.type === 'int' && p.min !== undefined && p.max !== undefined && p.min > p.max) at(['params', name, 'min'], `param '${name}': min ${p.min} is above max ${p.max}`);
  }
  const ids = new Map<string, number>();
  // captures and answers become names for the steps after them
  rb.steps.forEach((s, i) => {
    const base: PathKey[] = ['steps', i];
    if (ids.has(s.id)) at([...base, 'id'], `duplicate step id '${s.id}' (first is step #${ids.get(s.id)! + 1})`);
    else ids.set(s.id, i);
    const fields: [PathKey[], string | undefined, boolean][] = [
      [['on'], s.on, false], [['when'], s.when, true], [['if'], s.if, false], [['run'], s.run, true], [['rollback'], s.rollback, true],
      [['verify', 'pre'], s.verify?.pre, true], [['verify', 'post'], s.verify?.post, true],
      [['wait', 'until'], s.wait?.until, true], [['wait', 'status'], s.wait?.status, true],
      [['manual'], s.manual, false], [['hands'], s.hands, false], [['title'], s.title, false], [['console', 'send'], s.console?.send, false],
      [['console', 'expect'], s.console?.expect, false],
    ];
    for (const [sub, value, shell] of fields) {
      if (value === undefined) continue;
      const path = [...base, ...sub];
      const bad = malformed(value);
      if (bad !== undefined) at(path, `${describe(rb, path)}: malformed placeholder (use {{name}} with a lowercase name)`, bad);
      for (const ph of placeholders(value)) {
        if (!names.has(ph.name)) at(path, `${describe(rb, path)}: unknown name {{${ph.name}}} (known here: ${[...names].filter((n) => !(BUILTINS as readonly string[]).includes(n)).join(', ') || 'none'})`, ph.start);
      }
      if (shell) for (const ph of quotedPlaceholders(value)) at(path, `${describe(rb, path)}: {{${ph.name}}} is inside quotes; values are shell-quoted for you, remove the quotes around it`, ph.start);
    }
    for (const [k, re] of Object.entries(s.capture ?? {})) {
      regex([...base, 'capture', k], re, `capture '${k}'`);
      if (names.has(k) && !(BUILTINS as readonly string[]).includes(k) && !Object.hasOwn(rb.params ?? {}, k)) at([...base, 'capture', k], `capture '${k}' is already defined by an earlier step`);
      else if (Object.hasOwn(rb.params ?? {}, k)) at([...base, 'capture', k], `capture '${k}' has the name of a parameter`);
      names.add(k);
    }
    for (const [k, q] of Object.entries(s.ask ?? {})) {
      regex([...base, 'ask', k, 'pattern'], q.pattern, `answer '${k}' pattern`);
      names.add(k);
    }
    regex([...base, 'wait', 'progress'], s.wait?.progress, 'wait progress');
    regex([...base, 'console', 'expect'], s.console?.expect, 'console expect');
    for (const [k, re] of Object.entries(s.console?.expect_any ?? {})) regex([...base, 'console', 'expect_any', k], re, `console expect_any '${k}'`);
    if (s.console?.expect_any) names.add('matched');
    if (s.destructive && stepKind(s) === 'manual') at([...base, 'destructive'], `step '${s.id}': a manual step cannot be destructive (the people in the datacentre decide)`);
    if (s.destructive && s.read_only) at([...base, 'read_only'], `step '${s.id}': a step cannot be both destructive and read_only`);
    if (s.script !== undefined && !existsSync(resolve(dirname(file), s.script))) at([...base, 'script'], `step '${s.id}': script ${s.script} not found next to the runbook`);
  });
  return out;
}

function safeTest(re: string, v: string): boolean | undefined {
  try {
    return new RegExp(re).test(v);
  } catch {
    return undefined;
  }
}
