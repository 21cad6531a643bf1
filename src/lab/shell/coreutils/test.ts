/** test and [ : file tests, strings, integers, ! -a -o and parentheses. Exit 0 true, 1 false, 2 error. */
import type { CmdContext, LabCommand } from '../types.js';
import { isDir, isFile, exists, readFile } from '../../files.js';
import { pathOf } from './io.js';
import { isBlockDevice, isCharDevice } from '../../devnodes.js';

class TestError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-z', '-n', '-L', '-h', '-b', '-c', '-p', '-S', '-a']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-gt', '-le', '-ge', '<', '>']);

function int(name: string, v: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new TestError(`${v}: integer expression expected`);
  return Number(v);
}

function evaluate(ctx: CmdContext, name: string, args: string[]): boolean {
  let i = 0;
  const m = ctx.machine;
  const w = ctx.world;
  const unary = (op: string, arg: string): boolean => {
    const p = pathOf(ctx, arg);
    switch (op) {
      case '-z': return arg.length === 0;
      case '-n': return arg.length > 0;
      case '-e': case '-a': return exists(m, w, p);
      case '-f': return isFile(m, w, p);
      case '-d': return isDir(m, w, p);
      case '-s': return (readFile(m, w, p) ?? '').length > 0 || isDir(m, w, p);
      case '-r': case '-w': return exists(m, w, p);
      case '-x': return isDir(m, w, p);
      case '-b': return isBlockDevice(m, p);
      case '-c': return isCharDevice(m, p);
      default: return false; // -L -h -p -S: no such files in the lab
    }
  };
  const binary = (a: string, op: string, b: string): boolean => {
    switch (op) {
      case '=': case '==': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '>': return a > b;
      case '-eq': return int(name, a) === int(name, b);
      case '-ne': return int(name, a) !== int(name, b);
      case '-lt': return int(name, a) < int(name, b);
      case '-gt': return int(name, a) > int(name, b);
      case '-le': return int(name, a) <= int(name, b);
      default: return int(name, a) >= int(name, b);
    }
  };
  const primary = (): boolean => {
    const rest = args.length - i;
    if (rest <= 0) throw new TestError('argument expected');
    const a = args[i];
    if (rest >= 3 && BINARY.has(args[i + 1])) {
      i += 3;
      return binary(a, args[i - 2], args[i - 1]);
    }
    if (a === '!' && rest >= 2) {
      i++;
      return !primary();
    }
    if (a === '(' && rest >= 2) {
      i++;
      const v = or();
      if (args[i] !== ')') throw new TestError(`')' expected`);
      i++;
      return v;
    }
    if (UNARY.has(a) && rest >= 2) {
      i += 2;
      return unary(a, args[i - 1]);
    }
    i++;
    return a.length > 0;
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  if (args.length === 0) return false;
  const v = or();
  if (i < args.length) throw new TestError(args.length === 2 || args.length === 3 ? `${args[0]}: unary operator expected` : 'too many arguments');
  return v;
}

function run(ctx: CmdContext, name: string, args: string[]): number {
  try {
    return evaluate(ctx, name, args) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    ctx.err(`bash: ${name}: ${e.message}\n`);
    return 2;
  }
}

export const test: LabCommand = (ctx) => run(ctx, 'test', ctx.argv.slice(1));

export const bracket: LabCommand = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[args.length - 1] !== ']') {
    ctx.err("bash: [: missing `]'\n");
    return 2;
  }
  return run(ctx, '[', args.slice(0, -1));
};
