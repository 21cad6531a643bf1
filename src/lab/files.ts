/**
 * The simulated file system of a lab machine.
 *
 * Representation in `m.files` (path → content):
 * - keys are absolute, normalised paths (`/etc/hosts`, never `//etc/./hosts/`);
 * - a key ending in `/` marks a directory, its value is ignored (`'/srv/backup/': ''`);
 * - every ancestor of a key is a directory too, so a scenario may list only files;
 * - a small skeleton of standard directories (`/etc`, `/tmp`, `/root`…) always exists.
 * Dynamic files (content computed from state at each read) come, in this order, from files
 * registered on the world with `registerDynamicFile`, from the command modules
 * (`DYNAMIC_FILES`, e.g. /proc/mdstat), then from `m.files`, then from the built-ins
 * below (/proc/loadavg, /proc/uptime, /etc/hostname). Dynamic files are read-only.
 *
 * Import cycle note: commands/index.ts → basic.ts → files.ts → commands/index.ts. Safe because
 * nothing here touches DYNAMIC_FILES at module top level; keep it that way.
 */
import { posix } from 'node:path';
import type { LabMachine } from './state.js';
import type { LabWorld } from './world.js';
import type { DynamicFile } from './shell/types.js';
import { DYNAMIC_FILES } from './commands/index.js';

/** Why a file operation failed: the strerror text the real tools print. */
export type FsError =
  | 'No such file or directory'
  | 'Not a directory'
  | 'Is a directory'
  | 'File exists'
  | 'Directory not empty'
  | 'Permission denied';

/** Directories every machine has. */
export const SKELETON_DIRS: readonly string[] = [
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/mnt', '/opt', '/proc', '/root', '/run',
  '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/sbin', '/var', '/var/lib', '/var/log', '/var/tmp',
];
const skeleton = new Set(SKELETON_DIRS);

/** Home directory of the lab user (root): relative paths resolve against it by default. */
export const HOME = '/root';

/** Absolute normalised path: `resolvePath('x/../y', '/root')` → `/root/y`. */
export function resolvePath(path: string, cwd: string = HOME): string {
  return posix.resolve(cwd.startsWith('/') ? cwd : HOME, path);
}

// ---------------------------------------------------------------------------------------------
// Built-in dynamic files.

function uptimeSeconds(m: LabMachine, world: LabWorld): number {
  return Math.max(0, (world.now() - m.bootedAt) / 1000);
}

/** `/proc/loadavg`: `0.08 0.03 0.01 1/123 4567`. */
export function procLoadavg(m: LabMachine, world: LabWorld): string {
  const up = uptimeSeconds(m, world);
  const total = 110 + m.services.length * 4 + m.disks.length * 2;
  const running = 1 + Math.min(Math.floor(m.load[0]), total - 1);
  const lastPid = 1000 + (Math.floor(up / 3) % 4_000_000);
  return `${m.load.map((l) => l.toFixed(2)).join(' ')} ${running}/${total} ${lastPid}\n`;
}

/** `/proc/uptime`: seconds up and idle seconds summed over CPUs: `1047234.52 8123456.90`. */
export function procUptime(m: LabMachine, world: LabWorld): string {
  const up = uptimeSeconds(m, world);
  const idle = up * Math.max(1, m.hardware.cpus) * 0.93;
  return `${up.toFixed(2)} ${idle.toFixed(2)}\n`;
}

export const BUILTIN_FILES: Record<string, DynamicFile> = {
  '/proc/loadavg': procLoadavg,
  '/proc/uptime': procUptime,
  '/etc/hostname': (m) => `${m.hostname}\n`,
};

// ---------------------------------------------------------------------------------------------
// Per-world extra dynamic files (tests, scenarios).

const worldFiles = new WeakMap<LabWorld, Record<string, DynamicFile>>();

/** Add a dynamic file to every machine of this world only (takes precedence over modules). */
export function registerDynamicFile(world: LabWorld, path: string, fn: DynamicFile): void {
  let table = worldFiles.get(world);
  if (!table) worldFiles.set(world, (table = {}));
  table[resolvePath(path, '/')] = fn;
}

function dynamicBefore(world: LabWorld, p: string): DynamicFile | undefined {
  return worldFiles.get(world)?.[p] ?? (Object.hasOwn(DYNAMIC_FILES, p) ? DYNAMIC_FILES[p] : undefined);
}

function dynamicAfter(p: string): DynamicFile | undefined {
  return Object.hasOwn(BUILTIN_FILES, p) ? BUILTIN_FILES[p] : undefined;
}

function allDynamicPaths(world: LabWorld): string[] {
  return [...Object.keys(worldFiles.get(world) ?? {}), ...Object.keys(DYNAMIC_FILES), ...Object.keys(BUILTIN_FILES)];
}

function isDynamic(m: LabMachine, world: LabWorld, p: string): boolean {
  return dynamicBefore(world, p) !== undefined || (dynamicAfter(p) !== undefined && !Object.hasOwn(m.files, p));
}

// ---------------------------------------------------------------------------------------------
// Queries.

/** Content of a regular file, or undefined when it is missing or a directory. */
export function readFile(m: LabMachine, world: LabWorld, path: string): string | undefined {
  const p = resolvePath(path);
  const before = dynamicBefore(world, p);
  if (before) return before(m, world);
  if (Object.hasOwn(m.files, p)) return m.files[p];
  const after = dynamicAfter(p);
  return after ? after(m, world) : undefined;
}

export function isDir(m: LabMachine, world: LabWorld, path: string): boolean {
  const p = resolvePath(path);
  if (skeleton.has(p)) return true;
  if (Object.hasOwn(m.files, p + '/')) return true;
  const prefix = p + '/';
  for (const k of Object.keys(m.files)) if (k.startsWith(prefix)) return true;
  for (const k of allDynamicPaths(world)) if (k.startsWith(prefix)) return true;
  return false;
}

export function isFile(m: LabMachine, world: LabWorld, path: string): boolean {
  return readFile(m, world, path) !== undefined;
}

export function exists(m: LabMachine, world: LabWorld, path: string): boolean {
  return isFile(m, world, path) || isDir(m, world, path);
}

export interface DirEntry {
  name: string;
  dir: boolean;
}

/** Direct children of a directory, sorted by name; undefined when it is not a directory. */
export function listDir(m: LabMachine, world: LabWorld, path: string): DirEntry[] | undefined {
  const p = resolvePath(path);
  if (!isDir(m, world, p)) return undefined;
  const prefix = p === '/' ? '/' : p + '/';
  const found = new Map<string, boolean>();
  const add = (key: string, isDirKey: boolean): void => {
    if (!key.startsWith(prefix) || key === prefix) return;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    if (!name) return;
    const dir = slash >= 0 || isDirKey;
    found.set(name, (found.get(name) ?? false) || dir);
  };
  for (const k of Object.keys(m.files)) add(k, k.endsWith('/'));
  for (const k of allDynamicPaths(world)) add(k, false);
  for (const d of SKELETON_DIRS) add(d, true);
  return [...found.entries()]
    .map(([name, dir]) => ({ name, dir }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why the parent of `p` cannot hold a new entry, if it cannot. */
function parentProblem(m: LabMachine, world: LabWorld, p: string): FsError | undefined {
  const parent = posix.dirname(p);
  if (isDir(m, world, parent)) return undefined;
  // A path component that is a file gives ENOTDIR, otherwise ENOENT.
  let cur = parent;
  while (cur !== '/') {
    if (isFile(m, world, cur)) return 'Not a directory';
    cur = posix.dirname(cur);
  }
  return 'No such file or directory';
}

// ---------------------------------------------------------------------------------------------
// Mutations. Each returns undefined on success, or the error the real tool would report.

/** Write (or append to) a regular file; the parent directory must exist. */
export function writeFile(
  m: LabMachine,
  world: LabWorld,
  path: string,
  content: string,
  opts: { append?: boolean } = {},
): FsError | undefined {
  const p = resolvePath(path);
  if (isDir(m, world, p)) return 'Is a directory';
  if (isDynamic(m, world, p)) return 'Permission denied';
  const problem = parentProblem(m, world, p);
  if (problem) return problem;
  const old = Object.hasOwn(m.files, p) ? m.files[p] : '';
  m.files[p] = opts.append ? old + content : content;
  return undefined;
}

/** Create a directory; with `parents`, create missing ancestors and accept an existing one. */
export function mkdir(m: LabMachine, world: LabWorld, path: string, opts: { parents?: boolean } = {}): FsError | undefined {
  const p = resolvePath(path);
  if (isDir(m, world, p)) return opts.parents ? undefined : 'File exists';
  if (isFile(m, world, p)) return 'File exists';
  const problem = parentProblem(m, world, p);
  if (problem === 'No such file or directory' && opts.parents) {
    const err = mkdir(m, world, posix.dirname(p), opts);
    if (err) return err;
  } else if (problem) {
    return problem;
  }
  m.files[p + '/'] = '';
  return undefined;
}

/**
 * Remove a file, or a directory with `recursive` (everything under it). Skeleton directories
 * are emptied but stay. An empty directory needs `recursive` too (like rm; see `rmdir`).
 */
export function remove(m: LabMachine, world: LabWorld, path: string, opts: { recursive?: boolean } = {}): FsError | undefined {
  const p = resolvePath(path);
  if (isDir(m, world, p)) {
    if (!opts.recursive) return 'Is a directory';
    const prefix = p === '/' ? '/' : p + '/';
    for (const k of Object.keys(m.files)) if (k.startsWith(prefix) && !isDynamic(m, world, k)) delete m.files[k];
    keepParent(m, p);
    return undefined;
  }
  if (isDynamic(m, world, p)) return 'Permission denied';
  if (!Object.hasOwn(m.files, p)) {
    return parentProblem(m, world, p) === 'Not a directory' ? 'Not a directory' : 'No such file or directory';
  }
  delete m.files[p];
  keepParent(m, p);
  return undefined;
}

/** After removing `p`, its parent must not vanish just because it was only implied by `p`. */
function keepParent(m: LabMachine, p: string): void {
  const parent = posix.dirname(p);
  if (parent !== '/' && !skeleton.has(parent)) m.files[parent + '/'] = '';
}

/** Remove an empty directory. */
export function rmdir(m: LabMachine, world: LabWorld, path: string): FsError | undefined {
  const p = resolvePath(path);
  if (!isDir(m, world, p)) return isFile(m, world, p) ? 'Not a directory' : 'No such file or directory';
  if ((listDir(m, world, p) ?? []).length > 0) return 'Directory not empty';
  if (skeleton.has(p)) return 'Permission denied';
  delete m.files[p + '/'];
  keepParent(m, p);
  return undefined;
}
