/**
 * Command line → list of pipelines, tokenised by shell-quote's `parse`.
 * Nothing is evaluated here: `$(…)`, backticks, globs and process substitutions stay literal
 * text in a word. Variables are left as private markers and expanded when the command runs
 * (so `false; echo $?` sees the status of `false`).
 */
import { randomBytes } from 'node:crypto';
import { parse as shellParse } from 'shell-quote';
import { REDIRECT_OPS, scanRedirects } from './scan.js';

export interface Redirect {
  /** File descriptor redirected (1 stdout, 2 stderr, 0 stdin); 'both' for `&>`. */
  fd: number | 'both';
  /** `>` truncate, `>>` append, `<` read, `<<<` here-string, `dup` (`2>&1`: target is the fd). */
  kind: '>' | '>>' | '<' | '<<<' | 'dup';
  /** Word (may hold variable markers). */
  target: string;
}

export interface Stage {
  /** Words; may hold variable markers, see `Parsed.expand`. */
  words: string[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  stages: Stage[];
}

export interface ListItem {
  /** How this pipeline joins the previous one (`;` for the first). */
  connector: ';' | '&&' | '||';
  pipeline: Pipeline;
}

export interface Parsed {
  items: ListItem[];
  /** Replace variable markers in a word: `lookup('?')`, `lookup('HOME')`, `lookup('X:-dflt')`. */
  expand(word: string, lookup: (name: string) => string): string;
}

export class ShellSyntaxError extends Error {}

type Tok = { t: 'w'; v: string } | { t: 'op'; v: string };

const OPEN_LITERAL = new Set(['(', '<(', '>(']);

/** Parse one command line (no newlines; see scan.splitLines). Throws ShellSyntaxError. */
export function parseLine(line: string): Parsed {
  const nonce = randomBytes(8).toString('hex');
  const markerRe = new RegExp(`\u0000${nonce}([^\u0000]*)\u0000`, 'g');
  let entries: ReturnType<typeof shellParse>;
  try {
    // The empty name is `$` followed by something that is no name (`$(`, `$ `): shell-quote
    // then keeps a literal `$` when we answer undefined.
    entries = shellParse(line, (name: string) => (name === '' ? undefined : `\u0000${nonce}${name}\u0000`) as string);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ShellSyntaxError(/bad substitution/i.test(msg) ? `${msg.replace(/^Bad substitution: /, '')}: bad substitution` : msg);
  }

  // Flatten to words and operators; a comment ends the line.
  const toks: Tok[] = [];
  for (const e of entries) {
    if (typeof e === 'string') toks.push({ t: 'w', v: e });
    else if ('comment' in e) break;
    else if ('pattern' in e) toks.push({ t: 'w', v: String((e as { pattern: string }).pattern) });
    else if ('op' in e) toks.push({ t: 'op', v: String((e as { op: string }).op) });
  }

  const merged = mergeLiteralGroups(toks);
  const items = buildList(merged, scanRedirects(line));
  return {
    items,
    expand: (word, lookup) => word.replace(markerRe, (_, name: string) => lookup(name)),
  };
}

/** `$(…)`, `(…)`, `<(…)`, `>(…)` become one literal word: never run. */
function mergeLiteralGroups(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i];
    if (tk.t === 'op' && OPEN_LITERAL.has(tk.v)) {
      let prefix = '';
      const prev = out[out.length - 1];
      if (tk.v === '(' && prev && prev.t === 'w' && prev.v.endsWith('$')) {
        out.pop();
        prefix = prev.v;
      }
      let depth = 1;
      const inner: string[] = [];
      let j = i + 1;
      for (; j < toks.length && depth > 0; j++) {
        const x = toks[j];
        if (x.t === 'op' && OPEN_LITERAL.has(x.v)) depth++;
        else if (x.t === 'op' && x.v === ')') depth--;
        if (depth > 0) inner.push(x.v);
      }
      out.push({ t: 'w', v: `${prefix}${tk.v}${inner.join(' ')}${depth === 0 ? ')' : ''}` });
      i = j - 1;
      continue;
    }
    out.push(tk);
  }
  return out;
}

function unexpected(tok: string): ShellSyntaxError {
  return new ShellSyntaxError(`syntax error near unexpected token \`${tok}'`);
}

function buildList(toks: Tok[], scanned: { op: string; fd?: number }[]): ListItem[] {
  // Trust the scan's fd prefixes only when it saw the same redirections as shell-quote.
  const redirOps = toks.filter((x) => x.t === 'op' && REDIRECT_OPS.has(x.v)).map((x) => x.v);
  const scanOk = scanned.length === redirOps.length && scanned.every((s, k) => s.op === redirOps[k]);
  let redirIndex = 0;

  const items: ListItem[] = [];
  let connector: ListItem['connector'] = ';';
  let pipeline: Pipeline = { negate: false, stages: [] };
  let stage: Stage = { words: [], redirects: [] };
  let stageHasContent = false;
  let lastOp = '';

  const endStage = (op: string): void => {
    if (!stageHasContent) throw unexpected(op);
    pipeline.stages.push(stage);
    stage = { words: [], redirects: [] };
    stageHasContent = false;
  };
  const endPipeline = (op: string): void => {
    endStage(op);
    items.push({ connector, pipeline });
    pipeline = { negate: false, stages: [] };
  };

  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i];
    if (tk.t === 'w') {
      if (tk.v === '!' && !stageHasContent && pipeline.stages.length === 0 && !pipeline.negate) {
        pipeline.negate = true;
        continue;
      }
      stage.words.push(tk.v);
      stageHasContent = true;
      continue;
    }
    const op = tk.v;
    lastOp = op;
    if (REDIRECT_OPS.has(op)) {
      const scan = scanOk ? scanned[redirIndex] : undefined;
      redirIndex++;
      // The fd prefix was tokenised as the previous word: take it back.
      let fd: number | undefined;
      const prevWord = stage.words[stage.words.length - 1];
      const glued = scanOk ? scan?.fd !== undefined : prevWord !== undefined && /^\d$/.test(prevWord);
      if (glued && prevWord !== undefined && /^\d+$/.test(prevWord)) {
        fd = Number(prevWord);
        stage.words.pop();
      }
      const next = toks[i + 1];
      if (!next || next.t !== 'w') throw unexpected(next ? next.v : 'newline');
      i++;
      stage.redirects.push(makeRedirect(op, fd, next.v));
      stageHasContent = true;
      continue;
    }
    switch (op) {
      case '|':
      case '|&':
        if (op === '|&') stage.redirects.push({ fd: 2, kind: 'dup', target: '1' });
        endStage(op);
        break;
      case ';':
      case '&':
        endPipeline(op);
        connector = ';';
        break;
      case '&&':
      case '||':
        endPipeline(op);
        connector = op;
        break;
      default:
        throw unexpected(op);
    }
  }
  if (stageHasContent || pipeline.stages.length > 0 || pipeline.negate) {
    if (!stageHasContent) throw unexpected('newline');
    endPipeline('newline');
  } else if (lastOp === '&&' || lastOp === '||' || lastOp === '|') {
    throw unexpected('newline');
  }
  return items;
}

function makeRedirect(op: string, fd: number | undefined, target: string): Redirect {
  switch (op) {
    case '>':
    case '>|':
      return { fd: fd ?? 1, kind: '>', target };
    case '>>':
      return { fd: fd ?? 1, kind: '>>', target };
    case '&>':
      return { fd: 'both', kind: '>', target };
    case '&>>':
      return { fd: 'both', kind: '>>', target };
    case '>&':
      // `2>&1` duplicates; `>& file` (no digits) sends both to a file, like bash.
      if (/^\d+$/.test(target) || target === '-') return { fd: fd ?? 1, kind: 'dup', target };
      return { fd: fd === undefined ? 'both' : fd, kind: '>', target };
    case '<':
      return { fd: fd ?? 0, kind: '<', target };
    case '<<<':
      return { fd: fd ?? 0, kind: '<<<', target };
    case '<<':
    case '<<-':
      throw new ShellSyntaxError('here-documents are not supported in the lab shell');
    default:
      throw unexpected(op);
  }
}
