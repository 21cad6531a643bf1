/**
 * The lab's shell: runs a command line against a simulated machine's state.
 * Supports `;` `&` (run in order, not in background) `&&` `||` `|` `|&` `!`, quotes, `$VAR`,
 * `${VAR}`, `${VAR:-default}`, `$?`, `NAME=value` assignments, and redirections
 * (`>` `>>` `&>` `2>&1` `1>&2` `<` `<<<`, `/dev/null`) into the machine's files.
 * `$(…)`, backticks, globs and the rest are never evaluated: they stay literal words.
 * Builtins: `cd`, `export`, `unset`, `exit`; `sudo CMD` runs CMD (the lab user is root).
 * Compound commands (if/for/while/case, functions) are refused with exit 2.
 * Nothing here runs on the real machine.
 */
import { posix } from 'node:path';
import type { LabMachine } from '../state.js';
import type { LabWorld } from '../world.js';
import type { LabCommand } from './types.js';
import { COMMANDS } from '../commands/index.js';
import { isDir, readFile, resolvePath, writeFile } from '../files.js';
import { defaultEnv, makeContext } from './context.js';
import { parseLine, ShellSyntaxError, type Parsed, type Stage } from './parse.js';
import { literalizeSubstitutions, splitLines } from './scan.js';

export { makeContext, sleep, defaultEnv } from './context.js';
export type { ContextInput } from './context.js';

export interface RunOptions {
  machine: LabMachine;
  world: LabWorld;
  /** Standard input of the whole line (given to the first command that reads it). */
  stdin?: string;
  out(s: string): void;
  err(s: string): void;
  signal?: AbortSignal;
  /**
   * Shell variables. Missing defaults (HOME, PATH, PWD…) are filled in, and `cd`, `export`
   * and assignments change this object: pass the same one for every line of a session.
   */
  env?: Record<string, string>;
  /** Command table; default COMMANDS from ../commands/index.js. */
  commands?: Record<string, LabCommand>;
}

/** Exit status bash gives a command stopped by Ctrl-C. */
export const STATUS_INTERRUPTED = 130;

type Sink = (s: string) => void;

interface Shell {
  opts: RunOptions;
  env: Record<string, string>;
  commands: Record<string, LabCommand>;
  signal: AbortSignal;
  status: number;
  /** Set by `exit`. */
  exitRequested?: number;
}

/** Shell keywords the lab shell does not run (loops, conditionals, functions). */
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', '{', '}', '[[', ']]']);

/** `~` and `~/x` → home. (shell-quote has removed quotes, so a quoted `'~'` expands too.) */
function tilde(word: string, home: string): string {
  return word === '~' ? home : word.startsWith('~/') ? home + word.slice(1) : word;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** Run a command line (or a script of several lines); resolves with its exit status. */
export async function runCommandLine(line: string, opts: RunOptions): Promise<number> {
  const env = opts.env ?? {};
  for (const [k, v] of Object.entries(defaultEnv())) if (!(k in env)) env[k] = v;
  const sh: Shell = {
    opts,
    env,
    commands: opts.commands ?? COMMANDS,
    signal: opts.signal ?? new AbortController().signal,
    // A session passing the same env object keeps `$?` from its previous line.
    status: lastStatus.get(env) ?? 0,
  };
  const status = await runLines(sh, line);
  lastStatus.set(env, status);
  if (sh.exitRequested !== undefined) exits.add(env);
  return status;
}

const exits = new WeakSet<Record<string, string>>();

/**
 * True once a line run with this env object called `exit` (an interactive session should
 * then close, with the status runCommandLine returned). Reading it clears it.
 */
export function exitRequested(env: Record<string, string>): boolean {
  const asked = exits.has(env);
  exits.delete(env);
  return asked;
}

/** `$?` of the previous line, per session env object. */
const lastStatus = new WeakMap<Record<string, string>, number>();

async function runLines(sh: Shell, line: string): Promise<number> {
  const opts = sh.opts;
  // Substitutions become quoted literal text first, so no line split or operator inside
  // them can ever start a command; an unterminated quote refuses the whole input, like bash.
  const literal = literalizeSubstitutions(line);
  if ('error' in literal) {
    opts.err(`bash: ${literal.error}\n`);
    return 2;
  }
  // Parse every line first: a script using compound commands is refused before anything runs.
  const lines: (Parsed | ShellSyntaxError)[] = splitLines(literal.text).map((l) => {
    try {
      return parseLine(l);
    } catch (e) {
      if (e instanceof ShellSyntaxError) return e;
      throw e;
    }
  });
  for (const p of lines) {
    if (p instanceof ShellSyntaxError) continue;
    for (const item of p.items) {
      for (const st of item.pipeline.stages) {
        const first = st.words.find((w) => !ASSIGNMENT.test(w));
        if (first !== undefined && KEYWORDS.has(first)) {
          opts.err(`bash: ${first}: compound commands are not supported by the lab shell\n`);
          return 2;
        }
      }
    }
  }
  let stdin = opts.stdin;
  for (const parsed of lines) {
    if (parsed instanceof ShellSyntaxError) {
      opts.err(`bash: ${parsed.message}\n`);
      sh.status = 2;
      continue;
    }
    for (const item of parsed.items) {
      if (sh.signal.aborted) return STATUS_INTERRUPTED;
      if (item.connector === '&&' && sh.status !== 0) continue;
      if (item.connector === '||' && sh.status === 0) continue;
      let input = '';
      if (stdin !== undefined) {
        input = stdin;
        stdin = undefined;
      }
      const status = await runPipeline(sh, parsed, item.pipeline.stages, input);
      sh.status = item.pipeline.negate ? (status === 0 ? 1 : 0) : status;
      if (sh.exitRequested !== undefined) return sh.exitRequested;
      if (sh.signal.aborted) return STATUS_INTERRUPTED;
    }
  }
  return sh.status;
}

async function runPipeline(sh: Shell, parsed: Parsed, stages: Stage[], stdin: string): Promise<number> {
  let input = stdin;
  let status = 0;
  for (let i = 0; i < stages.length; i++) {
    if (sh.signal.aborted) return STATUS_INTERRUPTED;
    const last = i === stages.length - 1;
    let buffer = '';
    const out: Sink = last ? sh.opts.out : (s) => void (buffer += s);
    status = await runStage(sh, parsed, stages[i], input, out, sh.opts.err);
    input = buffer;
  }
  return status;
}

/** A stage's fds after its redirections, or the status when one fails. */
function openRedirects(
  sh: Shell,
  parsed: Parsed,
  stage: Stage,
  expand: (w: string) => string,
  fds: Map<number, Sink>,
  stdin: { text: string },
): number | undefined {
  const { machine: m, world } = sh.opts;
  for (const r of stage.redirects) {
    const target = expand(r.target);
    if (r.kind === 'dup') {
      const from = r.fd === 'both' ? 1 : r.fd;
      if (target === '-') fds.set(from, () => {});
      else {
        const sink = fds.get(Number(target));
        if (!sink) {
          sh.opts.err(`bash: ${target}: Bad file descriptor\n`);
          return 1;
        }
        fds.set(from, sink);
      }
      continue;
    }
    if (r.kind === '<<<') {
      stdin.text = target + '\n';
      continue;
    }
    if (target === '') {
      sh.opts.err(`bash: : No such file or directory\n`);
      return 1;
    }
    const path = resolvePath(target, sh.env.PWD);
    if (r.kind === '<') {
      if (path === '/dev/null') stdin.text = '';
      else {
        const text = readFile(m, world, path);
        if (text === undefined) {
          const why = isDir(m, world, path) ? 'Is a directory' : 'No such file or directory';
          sh.opts.err(`bash: ${target}: ${why}\n`);
          return 1;
        }
        stdin.text = text;
      }
      continue;
    }
    let sink: Sink | undefined;
    if (path === '/dev/null') sink = () => {};
    else if (path === '/dev/stdout') sink = fds.get(1);
    else if (path === '/dev/stderr') sink = fds.get(2);
    else if (path === '/dev/tty') sink = sh.opts.out;
    else {
      const why = writeFile(m, world, path, '', { append: r.kind === '>>' });
      if (why) {
        sh.opts.err(`bash: ${target}: ${why}\n`);
        return 1;
      }
      sink = (s) => void writeFile(m, world, path, s, { append: true });
    }
    const s = sink ?? (() => {});
    if (r.fd === 'both') {
      fds.set(1, s);
      fds.set(2, s);
    } else fds.set(r.fd, s);
  }
  return undefined;
}

async function runStage(sh: Shell, parsed: Parsed, stage: Stage, stdin: string, out: Sink, err: Sink): Promise<number> {
  const { machine: m, world } = sh.opts;
  world.advance();
  const lookup = (name: string): string => lookupVar(sh, name);
  const expand = (w: string): string => parsed.expand(w, lookup);

  const fds = new Map<number, Sink>([
    [1, out],
    [2, err],
  ]);
  const input = { text: stdin };
  const failed = openRedirects(sh, parsed, stage, expand, fds, input);
  if (failed !== undefined) return failed;
  const stdout = fds.get(1) ?? (() => {});
  const stderr = fds.get(2) ?? (() => {});

  const words = stage.words.map(expand);
  // Leading NAME=value words: for this command only, or for the shell when alone.
  let n = 0;
  const assigned: Record<string, string> = {};
  while (n < words.length && ASSIGNMENT.test(words[n])) {
    const [, k, v] = ASSIGNMENT.exec(words[n]) as RegExpExecArray;
    assigned[k] = v;
    n++;
  }
  let argv = words.slice(n).map((w) => tilde(w, sh.env.HOME || '/root'));
  if (argv.length === 0) {
    Object.assign(sh.env, assigned);
    return 0;
  }
  // The lab user is root already: `sudo [-n] [-E] [-u root] CMD` runs CMD.
  if (argv[0] === 'sudo') {
    const rest = argv.slice(1);
    while (rest.length && /^-[nEHSk]+$|^-u$/.test(rest[0])) if (rest.shift() === '-u') rest.shift();
    if (rest.length === 0) {
      stderr('usage: sudo -h | -K | -k | -V\n');
      return 1;
    }
    argv = rest;
  }
  const name = argv[0];
  if (KEYWORDS.has(name)) {
    stderr(`bash: ${name}: compound commands are not supported by the lab shell\n`);
    return 2;
  }

  const builtin = BUILTINS[name];
  if (builtin) return builtin(sh, argv, stdout, stderr);

  const cmd = findCommand(sh.commands, name);
  if (!cmd) {
    if (name.includes('/')) {
      const path = resolvePath(name, sh.env.PWD);
      const why = isDir(m, world, path) ? 'Is a directory' : readFile(m, world, path) !== undefined ? 'Permission denied' : 'No such file or directory';
      stderr(`bash: ${name}: ${why}\n`);
      return why === 'No such file or directory' ? 127 : 126;
    }
    stderr(`bash: ${name}: command not found\n`);
    return 127;
  }
  const env = n > 0 ? { ...sh.env, ...assigned } : sh.env;
  const ctx = makeContext({ argv, machine: m, world, out: stdout, err: stderr, stdin: input.text, env, signal: sh.signal });
  try {
    const status = await cmd(ctx);
    return Number.isInteger(status) ? status & 0xff : 1;
  } catch (e) {
    if (sh.signal.aborted || (e instanceof Error && e.name === 'AbortError')) return STATUS_INTERRUPTED;
    stderr(`${posix.basename(name)}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** `reboot` or `/sbin/reboot`: a path to a standard bin directory finds the command by name. */
function findCommand(commands: Record<string, LabCommand>, name: string): LabCommand | undefined {
  if (!name.includes('/')) return Object.hasOwn(commands, name) ? commands[name] : undefined;
  const dir = posix.dirname(name);
  const base = posix.basename(name);
  const binDirs = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];
  return binDirs.includes(dir) && Object.hasOwn(commands, base) ? commands[base] : undefined;
}

function lookupVar(sh: Shell, name: string): string {
  const dflt = /^([A-Za-z_][A-Za-z0-9_]*)(:?)-([\s\S]*)$/.exec(name);
  if (dflt) {
    const v = lookupVar(sh, dflt[1]);
    return (dflt[2] ? v === '' : !(dflt[1] in sh.env) && v === '') ? dflt[3] : v;
  }
  switch (name) {
    case '?':
      return String(sh.status);
    case '$':
      return '4242';
    case '0':
      return 'bash';
    case '#':
      return '0';
    case 'HOSTNAME':
      return sh.env.HOSTNAME ?? sh.opts.machine.hostname;
    case 'UID':
    case 'EUID':
      return sh.env[name] ?? '0';
  }
  return Object.hasOwn(sh.env, name) ? sh.env[name] : '';
}

type Builtin = (sh: Shell, argv: string[], out: Sink, err: Sink) => number;

const BUILTINS: Record<string, Builtin> = {
  cd(sh, argv, _out, err) {
    const target = argv[1] === undefined || argv[1] === '~' ? sh.env.HOME || '/root' : argv[1] === '-' ? sh.env.OLDPWD || sh.env.PWD : argv[1];
    if (argv.length > 2) {
      err('bash: cd: too many arguments\n');
      return 1;
    }
    const path = resolvePath(target, sh.env.PWD);
    if (!isDir(sh.opts.machine, sh.opts.world, path)) {
      const why = readFile(sh.opts.machine, sh.opts.world, path) !== undefined ? 'Not a directory' : 'No such file or directory';
      err(`bash: cd: ${target}: ${why}\n`);
      return 1;
    }
    sh.env.OLDPWD = sh.env.PWD;
    sh.env.PWD = path;
    return 0;
  },
  export(sh, argv) {
    for (const a of argv.slice(1)) {
      const m = ASSIGNMENT.exec(a);
      if (m) sh.env[m[1]] = m[2];
    }
    return 0;
  },
  unset(sh, argv) {
    for (const a of argv.slice(1)) delete sh.env[a];
    return 0;
  },
  exit(sh, argv, _out, err) {
    const arg = argv[1];
    if (arg !== undefined && !/^-?\d+$/.test(arg)) {
      err(`bash: exit: ${arg}: numeric argument required\n`);
      sh.exitRequested = 2;
      return 2;
    }
    sh.exitRequested = arg === undefined ? sh.status : Number(arg) & 0xff;
    return sh.exitRequested;
  },
};
