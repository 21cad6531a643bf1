import { describe, expect, it } from 'vitest';
import {
  exists, isDir, isFile, listDir, mkdir, readFile, registerDynamicFile, remove, resolvePath, rmdir, writeFile,
} from '../../../src/lab/files.js';
import { makeMachine, makeWorld } from './factory.js';

function setup(files: Record<string, string> = {}) {
  const m = makeMachine({ files: { ...files } });
  return { m, w: makeWorld(m) };
}

describe('paths', () => {
  it('normalises against /root or a given cwd', () => {
    expect(resolvePath('notes.txt')).toBe('/root/notes.txt');
    expect(resolvePath('../etc//hosts/', '/root')).toBe('/etc/hosts');
    expect(resolvePath('/a/./b/../c', '/tmp')).toBe('/a/c');
  });
});

describe('directories', () => {
  it('are implied by file keys, marked by a trailing slash, or part of the skeleton', () => {
    const { m, w } = setup({ '/srv/backup/dump/a.vma.zst': 'x', '/var/spool/empty/': '' });
    expect(isDir(m, w, '/srv/backup')).toBe(true);
    expect(isDir(m, w, '/srv/backup/dump')).toBe(true);
    expect(isDir(m, w, '/var/spool/empty')).toBe(true);
    expect(isDir(m, w, '/tmp')).toBe(true);
    expect(isDir(m, w, '/srv/backup/dump/a.vma.zst')).toBe(false);
    expect(isFile(m, w, '/srv/backup/dump/a.vma.zst')).toBe(true);
    expect(exists(m, w, '/srv/nothing')).toBe(false);
  });

  it('lists direct children, directories included, sorted', () => {
    const { m, w } = setup({ '/srv/b': '1', '/srv/a/x': '2', '/srv/c/': '' });
    expect(listDir(m, w, '/srv')).toEqual([
      { name: 'a', dir: true },
      { name: 'b', dir: false },
      { name: 'c', dir: true },
    ]);
    expect(listDir(m, w, '/srv/b')).toBeUndefined();
    expect(listDir(m, w, '/proc')?.map((e) => e.name)).toEqual(expect.arrayContaining(['loadavg', 'uptime']));
  });

  it('mkdir refuses an existing path and a missing parent unless -p', () => {
    const { m, w } = setup();
    expect(mkdir(m, w, '/srv/www')).toBeUndefined();
    expect(m.files['/srv/www/']).toBe('');
    expect(mkdir(m, w, '/srv/www')).toBe('File exists');
    expect(mkdir(m, w, '/srv/www', { parents: true })).toBeUndefined();
    expect(mkdir(m, w, '/a/b/c')).toBe('No such file or directory');
    expect(mkdir(m, w, '/a/b/c', { parents: true })).toBeUndefined();
    expect(isDir(m, w, '/a/b')).toBe(true);
  });

  it('removing the last file keeps its directory; rmdir wants it empty', () => {
    const { m, w } = setup({ '/srv/www/index.html': '<h1>hi</h1>' });
    expect(rmdir(m, w, '/srv/www')).toBe('Directory not empty');
    expect(remove(m, w, '/srv/www/index.html')).toBeUndefined();
    expect(isDir(m, w, '/srv/www')).toBe(true);
    expect(remove(m, w, '/srv/www')).toBe('Is a directory');
    expect(rmdir(m, w, '/srv/www')).toBeUndefined();
    expect(exists(m, w, '/srv/www')).toBe(false);
    expect(remove(m, w, '/srv/www')).toBe('No such file or directory');
  });

  it('recursive removal drops everything under the directory', () => {
    const { m, w } = setup({ '/srv/a/x': '1', '/srv/a/y/z': '2', '/srv/keep': '3' });
    expect(remove(m, w, '/srv/a', { recursive: true })).toBeUndefined();
    expect(Object.keys(m.files).sort()).toEqual(['/srv/keep']);
  });
});

describe('files', () => {
  it('write, append, and the errors bash would print', () => {
    const { m, w } = setup({ '/etc/motd': 'hello\n' });
    expect(writeFile(m, w, '/tmp/a', 'one\n')).toBeUndefined();
    expect(writeFile(m, w, '/tmp/a', 'two\n', { append: true })).toBeUndefined();
    expect(readFile(m, w, '/tmp/a')).toBe('one\ntwo\n');
    expect(writeFile(m, w, '/tmp', 'x')).toBe('Is a directory');
    expect(writeFile(m, w, '/nope/a', 'x')).toBe('No such file or directory');
    expect(writeFile(m, w, '/etc/motd/x', 'x')).toBe('Not a directory');
    expect(writeFile(m, w, '/proc/loadavg', 'x')).toBe('Permission denied');
  });

  it('dynamic files: world-registered first, then m.files, then built-ins', () => {
    const { m, w } = setup({ '/etc/hostname': 'from-file\n' });
    expect(readFile(m, w, '/etc/hostname')).toBe('from-file\n');
    delete m.files['/etc/hostname'];
    expect(readFile(m, w, '/etc/hostname')).toBe('emma\n');
    m.hostname = 'debian';
    expect(readFile(m, w, '/etc/hostname')).toBe('debian\n');
    registerDynamicFile(w, '/proc/lab-test', (mm) => `host ${mm.hostname}\n`);
    expect(readFile(m, w, '/proc/lab-test')).toBe('host debian\n');
    expect(isDir(m, w, '/proc')).toBe(true);
    // Only in that world.
    const other = makeWorld(m);
    expect(readFile(m, other, '/proc/lab-test')).toBeUndefined();
    // A world file wins over a module's (the storage module serves /proc/mdstat).
    registerDynamicFile(w, '/proc/mdstat', () => 'Personalities : \nunused devices: <none>\n');
    expect(readFile(m, w, '/proc/mdstat')).toBe('Personalities : \nunused devices: <none>\n');
  });
});
