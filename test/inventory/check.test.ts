import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCli, fixtureCopy } from './helpers.js';

// Settings live in a throw-away config dir: set before the settings module is loaded.
const confDir = mkdtempSync(join(tmpdir(), 'baie-conf-'));
process.env.BAIE_CONFIG_DIR = confDir;
const { run, EXTRA_CHECKERS } = await import('../../src/cli/cmd/check.js');
const { settingsStore } = await import('../../src/app/settings.js');
const { UserError } = await import('../../src/cli/errors.js');

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = fixtureCopy());
  writeFileSync(join(dir, 'bmc-password'), 'x\n');
  chmodSync(join(dir, 'bmc-password'), 0o600);
});
afterAll(() => {
  cleanup();
  rmSync(confDir, { recursive: true, force: true });
});

describe('baie check', () => {
  it('prints the counts and exits 0 for a valid inventory', async () => {
    const { ctx, out } = fakeCli('check', { inventory: join(dir, 'full.yaml') });
    expect(await run(ctx)).toBe(0);
    expect(out.stdout).toMatch(/^ok: 2 sites, 2 racks, 4 machines, 2 VMs, \d+ runbooks?\n$/);
    expect(out.stderr).toBe('');
  });

  it('prints every problem as FILE:LINE:COL: message and exits 2', async () => {
    const file = join(dir, 'broken', 'misspelt-section.yaml');
    const { ctx, out } = fakeCli('check', { inventory: file });
    expect(await run(ctx)).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines[0]).toBe(`${file}:1:1: missing top-level machines: (expected a mapping of machine names to {site, rack, u, …})`);
    expect(lines[1]).toMatch(new RegExp(`^${file}:5:1: unknown key 'machine' in the inventory`));
    expect(lines[2]).toBe(`2 problems in ${file}`);
    expect(out.stdout).toBe('');
  });

  it('--json gives problems with positions', async () => {
    const file = join(dir, 'broken', 'overlap.yaml');
    const { ctx, out } = fakeCli('check', { inventory: file, json: true });
    expect(await run(ctx)).toBe(2);
    const j = JSON.parse(out.stdout);
    expect(j).toMatchObject({ ok: false, inventory: file, sites: 1, racks: 1, machines: 2 });
    expect(j.problems).toEqual([{ file, line: 14, col: 8, message: "machine 'emma' (U11) overlaps machine 'fey' (U10-11) in rack paris/A" }]);
  });

  it('without --inventory and without the setting, says the lab is used and exits 2', async () => {
    const { ctx } = fakeCli('check', {});
    const err = await run(ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as InstanceType<typeof UserError>).exitCode).toBe(2);
    expect((err as Error).message).toContain('no inventory configured, so baie uses the built-in lab');
    expect((err as Error).message).toContain('baie lab');
  });

  it('uses the `inventory` setting when no flag is given', async () => {
    (await settingsStore()).set('inventory', join(dir, 'broken', 'unknown-site.yaml'));
    try {
      const { ctx, out } = fakeCli('check', {});
      expect(await run(ctx)).toBe(2);
      expect(out.stderr).toContain("unknown-site.yaml:6:15: machine 'eva': unknown site 'lyon' (sites: paris)");
    } finally {
      (await settingsStore()).delete('inventory');
    }
  });

  it('a missing inventory file is a problem, not a crash', async () => {
    const file = join(dir, 'missing.yaml');
    const { ctx, out } = fakeCli('check', { inventory: file });
    expect(await run(ctx)).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`^${file}:1:1: cannot read: ENOENT`));
  });

  it('runs the extra checkers (runbook hook) and reports their problems and summary', async () => {
    const saved = EXTRA_CHECKERS.splice(0);
    EXTRA_CHECKERS.push(async (fleet) => ({
      problems: fleet.machines.length > 3 ? [{ file: 'runbooks/x.yaml', line: 3, col: 5, message: 'step fail-remove: unknown host' }] : [],
      summary: '1 runbook',
    }));
    try {
      const bad = fakeCli('check', { inventory: join(dir, 'full.yaml') });
      expect(await run(bad.ctx)).toBe(2);
      expect(bad.out.stderr).toContain('runbooks/x.yaml:3:5: step fail-remove: unknown host');
      const small = join(dir, 'small.yaml');
      writeFileSync(small, 'sites:\n  paris:\n    racks:\n      A: {height: 42}\nmachines:\n  eva: {site: paris, rack: A, u: 38, ssh: root@192.0.2.10}\n');
      const good = fakeCli('check', { inventory: small });
      expect(await run(good.ctx)).toBe(0);
      expect(good.out.stdout).toBe('ok: 1 site, 1 rack, 1 machine, 1 runbook\n');
    } finally {
      EXTRA_CHECKERS.splice(0, EXTRA_CHECKERS.length, ...saved);
    }
  });
});
