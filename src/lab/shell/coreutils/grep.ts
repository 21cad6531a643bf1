/** grep: -q -v -c -i -E -F -P -o -n -l -L -h -H -w -x -s -m -e -A -B -C, GNU exit codes (0 match, 1 none, 2 error). */
import type { LabCommand } from '../types.js';
import { posixToJs, escapeRegex } from '../regex.js';
import { lines, options, readOperand, usageError } from './io.js';

export const grep: LabCommand = (ctx) => {
  const o = options(
    ctx,
    'grep',
    {
      flags: 'qvciEFGPonlLhHwxsyr',
      withValue: 'emABC',
      long: {
        quiet: 'q', silent: 'q', 'invert-match': 'v', count: 'c', 'ignore-case': 'i', 'extended-regexp': 'E',
        'fixed-strings': 'F', 'basic-regexp': 'G', 'perl-regexp': 'P', 'only-matching': 'o', 'line-number': 'n',
        'files-with-matches': 'l', 'files-without-match': 'L', 'no-filename': 'h', 'with-filename': 'H',
        'word-regexp': 'w', 'line-regexp': 'x', 'no-messages': 's', 'regexp=': 'e', 'max-count=': 'm', 'after-context=': 'A', 'before-context=': 'B', 'context=': 'C',
      },
    },
    2,
  );
  if (!o) return 2;
  const f = o.flags;
  if (f.has('r')) {
    ctx.err('grep: recursive search is not available in the lab\n');
    return 2;
  }
  const operands = [...o.operands];
  let patterns = o.values.get('e');
  if (!patterns) {
    const p = operands.shift();
    if (p === undefined) {
      ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    patterns = [p];
  }
  patterns = patterns.flatMap((p) => p.split('\n'));

  let re: RegExp;
  let reAll: RegExp;
  try {
    const sources = patterns.map((p) => {
      let src = f.has('F') ? escapeRegex(p) : f.has('P') ? p : posixToJs(p, f.has('E'));
      if (f.has('x')) src = `^(?:${src})$`;
      else if (f.has('w')) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      return `(?:${src})`;
    });
    const flags = f.has('i') || f.has('y') ? 'i' : '';
    re = new RegExp(sources.join('|'), flags);
    reAll = new RegExp(sources.join('|'), flags + 'g');
  } catch (e) {
    ctx.err(`grep: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : 'invalid regular expression'}\n`);
    return 2;
  }

  const files = operands.length ? operands : ['-'];
  const withName = f.has('H') || (files.length > 1 && !f.has('h'));
  const max = o.values.get('m')?.at(-1);
  const maxCount = max === undefined ? Infinity : Number(max);
  if (max !== undefined && !/^\d+$/.test(max)) return usageError(ctx, 'grep', `invalid max count`, 2);
  const ctxArg = (k: string): number | undefined => {
    const v = o.values.get(k)?.at(-1) ?? o.values.get('C')?.at(-1);
    return v === undefined ? 0 : /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const after = ctxArg('A');
  const before = ctxArg('B');
  if (after === undefined || before === undefined) {
    ctx.err('grep: invalid context length argument\n');
    return 2;
  }
  const withContext = (after > 0 || before > 0) && !['c', 'l', 'L', 'q'].some((k) => f.has(k));
  let anySelected = false;
  let error = false;
  let printedGroup = false;

  for (const file of files) {
    const r = readOperand(ctx, file);
    const label = file === '-' ? '(standard input)' : file;
    if ('error' in r) {
      if (!f.has('s')) ctx.err(`grep: ${file}: ${r.error}\n`);
      error = true;
      continue;
    }
    let count = 0;
    const prefix = withName ? `${label}:` : '';
    const ls = lines(r.text);
    let lastPrinted = -1;
    let pendingAfter = 0;
    const contextLine = (i: number): void => {
      ctx.out(`${withName ? `${label}-` : ''}${f.has('n') ? `${i + 1}-` : ''}${ls[i]}\n`);
      lastPrinted = i;
    };
    let i = 0;
    for (; i < ls.length && count < maxCount; i++) {
      const line = ls[i];
      if (re.test(line) === f.has('v')) {
        if (withContext && pendingAfter > 0) {
          contextLine(i);
          pendingAfter--;
        }
        continue;
      }
      count++;
      anySelected = true;
      if (f.has('q')) return 0;
      if (f.has('c') || f.has('l') || f.has('L')) continue;
      if (withContext) {
        const from = Math.max(lastPrinted + 1, i - before);
        if (printedGroup && (lastPrinted < 0 || from > lastPrinted + 1)) ctx.out('--\n');
        for (let k = from; k < i; k++) contextLine(k);
        printedGroup = true;
        lastPrinted = i;
        pendingAfter = after;
      }
      const at = `${prefix}${f.has('n') ? `${i + 1}:` : ''}`;
      if (f.has('o')) {
        if (f.has('v')) continue;
        reAll.lastIndex = 0;
        for (const m of line.matchAll(reAll)) if (m[0] !== '') ctx.out(`${at}${m[0]}\n`);
      } else ctx.out(`${at}${line}\n`);
    }
    // Trailing context after the last selected line (also after -m stops).
    for (; withContext && pendingAfter > 0 && i < ls.length; i++, pendingAfter--) contextLine(i);
    if (f.has('l')) {
      if (count > 0) ctx.out(`${label}\n`);
    } else if (f.has('L')) {
      if (count === 0) ctx.out(`${label}\n`);
    } else if (f.has('c')) ctx.out(`${prefix}${count}\n`);
  }
  if (error) return 2;
  return anySelected ? 0 : 1;
};
