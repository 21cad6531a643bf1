import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BAIE = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const env = { BAIE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'baie-conf-')) };
const baie = (...args: string[]) => execa('node', [BAIE, ...args], { reject: false, env });

describe('cli', () => {
  it('lists every command in --help', async () => {
    const r = await baie('--help');
    expect(r.exitCode).toBe(0);
    for (const c of ['check', 'probe', 'lab fault', 'config set', 'plan', 'run', 'resume', 'journal export', 'rehearse']) expect(r.stdout).toContain(c);
  });
  it('shows a command\'s flags with COMMAND --help', async () => {
    const r = await baie('lab', '--help');
    expect(r.stdout).toContain('--speed N');
    expect(r.stdout).toContain('--dir DIR');
  });
  it('refuses an unknown command with one line and exit 2', async () => {
    const r = await baie('frobnicate');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
  it('refuses an unknown flag with one line and exit 2', async () => {
    const r = await baie('config', 'list', '--bogus');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--bogus/);
  });
  it('sets, gets, lists and unsets settings', async () => {
    expect((await baie('config', 'set', 'refreshSeconds', '5')).exitCode).toBe(0);
    expect((await baie('config', 'get', 'refreshSeconds')).stdout.trim()).toBe('5');
    expect((await baie('config', 'list')).stdout).toMatch(/refreshSeconds\s+5/);
    const bad = await baie('config', 'set', 'refreshSeconds', 'soon');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('refreshSeconds takes a number');
    await baie('config', 'unset', 'refreshSeconds');
    expect((await baie('config', 'get', 'refreshSeconds')).stdout.trim()).toBe('10');
    expect((await baie('config', 'get', 'nope')).exitCode).toBe(2);
  });
});

describe('README', () => {
  it('starts with the two commands and documents every command and flag of the table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const top = readme.split('\n').slice(0, 6).join('\n');
    expect(top).toContain('npm install && npm start');
    expect(top).toContain('npm install && npm test');
    const { COMMANDS, GLOBAL_FLAGS } = await import('../src/cli/table.js');
    for (const c of COMMANDS) {
      expect(readme, `README lacks baie ${c.name}`).toContain(`\`baie ${c.name}`);
      for (const f of Object.keys(c.flags)) expect(readme, `README lacks --${f} of ${c.name}`).toContain(`--${f}`);
    }
    for (const f of Object.keys(GLOBAL_FLAGS)) expect(readme).toContain(`--${f}`);
  });
});
