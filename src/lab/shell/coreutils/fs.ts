/** ls, mkdir, rm, rmdir, touch on the machine's simulated files. */
import type { CmdContext, LabCommand } from '../types.js';
import { exists, isDir, isFile, listDir, mkdir as mkdirFs, readFile, remove, rmdir as rmdirFs, writeFile } from '../../files.js';
import { strftime } from '../timefmt.js';
import { options, pathOf, usageError } from './io.js';

export const mkdir: LabCommand = (ctx) => {
  const o = options(ctx, 'mkdir', { flags: 'pv', withValue: 'm', long: { parents: 'p', verbose: 'v', 'mode=': 'm' } });
  if (!o) return 1;
  if (o.operands.length === 0) return usageError(ctx, 'mkdir', 'missing operand');
  let status = 0;
  for (const d of o.operands) {
    const why = mkdirFs(ctx.machine, ctx.world, pathOf(ctx, d), { parents: o.flags.has('p') });
    if (why) {
      ctx.err(`mkdir: cannot create directory '${d}': ${why}\n`);
      status = 1;
    } else if (o.flags.has('v')) ctx.out(`mkdir: created directory '${d}'\n`);
  }
  return status;
};

export const rm: LabCommand = (ctx) => {
  const o = options(ctx, 'rm', {
    flags: 'frRidv',
    long: { force: 'f', recursive: 'r', dir: 'd', verbose: 'v', 'no-preserve-root': 'no-preserve-root', 'preserve-root': 'preserve-root' },
  });
  if (!o) return 1;
  const force = o.flags.has('f');
  const recursive = o.flags.has('r') || o.flags.has('R');
  if (o.operands.length === 0) return force ? 0 : usageError(ctx, 'rm', 'missing operand');
  let status = 0;
  for (const f of o.operands) {
    const p = pathOf(ctx, f);
    if (recursive && p === '/' && !o.flags.has('no-preserve-root')) {
      ctx.err(`rm: it is dangerous to operate recursively on '${f}'\nrm: use --no-preserve-root to override this failsafe\n`);
      status = 1;
      continue;
    }
    if (!exists(ctx.machine, ctx.world, p)) {
      if (!force) {
        ctx.err(`rm: cannot remove '${f}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    let why;
    if (isDir(ctx.machine, ctx.world, p) && !recursive) {
      why = o.flags.has('d') ? rmdirFs(ctx.machine, ctx.world, p) : 'Is a directory';
    } else why = remove(ctx.machine, ctx.world, p, { recursive });
    if (why) {
      ctx.err(`rm: cannot remove '${f}': ${why}\n`);
      status = 1;
    } else if (o.flags.has('v')) ctx.out(`removed '${f}'\n`);
  }
  return status;
};

export const rmdir: LabCommand = (ctx) => {
  const o = options(ctx, 'rmdir', { flags: 'pv', long: { parents: 'p', verbose: 'v', 'ignore-fail-on-non-empty': 'ignore' } });
  if (!o) return 1;
  if (o.operands.length === 0) return usageError(ctx, 'rmdir', 'missing operand');
  let status = 0;
  for (const d of o.operands) {
    const why = rmdirFs(ctx.machine, ctx.world, pathOf(ctx, d));
    if (why && !(why === 'Directory not empty' && o.flags.has('ignore'))) {
      ctx.err(`rmdir: failed to remove '${d}': ${why}\n`);
      status = 1;
    }
  }
  return status;
};

export const touch: LabCommand = (ctx) => {
  const o = options(ctx, 'touch', { flags: 'acm' , withValue: 'dtr', long: { 'no-create': 'c', 'date=': 'd' } });
  if (!o) return 1;
  if (o.operands.length === 0) return usageError(ctx, 'touch', 'missing file operand');
  let status = 0;
  for (const f of o.operands) {
    const p = pathOf(ctx, f);
    if (exists(ctx.machine, ctx.world, p) || o.flags.has('c')) continue;
    const why = writeFile(ctx.machine, ctx.world, p, '');
    if (why) {
      ctx.err(`touch: cannot touch '${f}': ${why}\n`);
      status = 1;
    }
  }
  return status;
};

function longLine(ctx: CmdContext, name: string, path: string, dir: boolean, sizeWidth: number): string {
  const size = dir ? 4096 : Buffer.byteLength(readFile(ctx.machine, ctx.world, path) ?? '');
  const mode = dir ? 'drwxr-xr-x' : '-rw-r--r--';
  const when = strftime(ctx.machine.bootedAt, '%b %e %H:%M');
  return `${mode} ${dir ? 2 : 1} root root ${String(size).padStart(sizeWidth)} ${when} ${name}`;
}

export const ls: LabCommand = (ctx) => {
  const o = options(ctx, 'ls', { flags: 'laAdh1rtFS', long: { all: 'a', 'almost-all': 'A', directory: 'd', reverse: 'r' } }, 2);
  if (!o) return 2;
  const m = ctx.machine;
  const w = ctx.world;
  const operands = o.operands.length ? o.operands : ['.'];
  const long = o.flags.has('l');
  let status = 0;
  const files: { name: string; path: string; dir: boolean }[] = [];
  const dirs: { name: string; path: string }[] = [];
  for (const f of operands) {
    const p = pathOf(ctx, f);
    if (isDir(m, w, p) && !o.flags.has('d')) dirs.push({ name: f, path: p });
    else if (isFile(m, w, p) || isDir(m, w, p)) files.push({ name: f, path: p, dir: isDir(m, w, p) });
    else {
      ctx.err(`ls: cannot access '${f}': No such file or directory\n`);
      status = 2;
    }
  }
  const order = <T extends { name: string }>(xs: T[]): T[] => {
    const sorted = [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return o.flags.has('r') ? sorted.reverse() : sorted;
  };
  const render = (entries: { name: string; path: string; dir: boolean }[]): string => {
    if (!long) return entries.map((e) => `${e.name}\n`).join('');
    const sizes = entries.map((e) => (e.dir ? 4096 : Buffer.byteLength(readFile(m, w, e.path) ?? '')));
    const width = Math.max(1, ...sizes.map((s) => String(s).length));
    return entries.map((e) => longLine(ctx, e.name, e.path, e.dir, width) + '\n').join('');
  };
  let out = render(order(files));
  const sortedDirs = order(dirs);
  const headers = operands.length > 1 || status !== 0;
  sortedDirs.forEach((d, k) => {
    let entries = (listDir(m, w, d.path) ?? []).map((e) => ({ name: e.name, path: `${d.path === '/' ? '' : d.path}/${e.name}`, dir: e.dir }));
    if (!o.flags.has('a') && !o.flags.has('A')) entries = entries.filter((e) => !e.name.startsWith('.'));
    entries = order(entries);
    if (o.flags.has('a')) entries = [{ name: '.', path: d.path, dir: true }, { name: '..', path: d.path, dir: true }, ...entries];
    if (headers) out += `${out || k > 0 ? '\n' : ''}${d.name}:\n`;
    if (long) {
      const blocks = entries.reduce((n, e) => n + (e.dir ? 4 : Math.ceil(Buffer.byteLength(readFile(m, w, e.path) ?? '') / 4096) * 4), 0);
      out += `total ${blocks}\n`;
    }
    out += render(entries);
  });
  ctx.out(out);
  return status;
};
