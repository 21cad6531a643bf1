/** Shared helpers for the lab's coreutils: reading operands, splitting lines, usage errors. */
import type { CmdContext } from '../types.js';
import { isDir, readFile, resolvePath, type FsError } from '../../files.js';
import { getopt, type OptSpec, type ParsedOpts } from '../getopt.js';

/** Absolute path of an operand, relative to the shell's working directory. */
export function pathOf(ctx: CmdContext, operand: string): string {
  return resolvePath(operand, ctx.env.PWD);
}

/** Content of an operand (`-` = standard input), or why it cannot be read. */
export function readOperand(ctx: CmdContext, operand: string): { text: string } | { error: FsError } {
  if (operand === '-') return { text: ctx.stdin };
  const p = pathOf(ctx, operand);
  if (p === '/dev/null') return { text: '' };
  const text = readFile(ctx.machine, ctx.world, p);
  if (text !== undefined) return { text };
  return { error: isDir(ctx.machine, ctx.world, p) ? 'Is a directory' : 'No such file or directory' };
}

/** Lines with their terminators: `"a\nb"` → `["a\n", "b"]`. */
export function linesWithEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Lines without terminators (a final newline does not make an empty last line). */
export function lines(text: string): string[] {
  return linesWithEnds(text).map((l) => (l.endsWith('\n') ? l.slice(0, -1) : l));
}

/** Print GNU's usage error (`cmd: invalid option -- 'x'` + Try line) and return `status`. */
export function usageError(ctx: CmdContext, cmd: string, message: string, status = 1): number {
  ctx.err(`${cmd}: ${message}\nTry '${cmd} --help' for more information.\n`);
  return status;
}

/** getopt, printing the usage error itself: undefined means "return `status`". */
export function options(ctx: CmdContext, cmd: string, spec: OptSpec, status = 1): ParsedOpts | undefined {
  const r = getopt(ctx.argv.slice(1), spec);
  if ('error' in r) {
    usageError(ctx, cmd, r.error, status);
    return undefined;
  }
  return r;
}
