import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BAIE = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

describe('baie check and runbooks', () => {
  it('validates the shipped runbooks and the user\'s runbook directories, naming file, line and column', async () => {
    const d = mkdtempSync(join(tmpdir(), 'baie-check-'));
    const env = { BAIE_CONFIG_DIR: join(d, 'conf'), XDG_STATE_HOME: join(d, 'state') };
    const inv = join(d, 'inventory.yaml');
    writeFileSync(inv, 'sites:\n  paris:\n    racks:\n      A: {height: 42}\nmachines:\n  eva: {site: paris, rack: A, u: 38, ssh: root@192.0.2.10}\n');
    const ok = await execa('node', [BAIE, 'check', '--inventory', inv], { env, reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 1 site, 1 rack, 1 machine, \d+ runbooks?$/);
    const rbs = join(d, 'mine');
    mkdirSync(rbs);
    writeFileSync(join(rbs, 'broken.yaml'), 'runbook: broken\ntitle: Broken\nsteps:\n  - id: a\n    on: eva\n    rnu: uptime\n');
    await execa('node', [BAIE, 'config', 'set', 'runbookDirs', rbs], { env });
    const bad = await execa('node', [BAIE, 'check', '--inventory', inv], { env, reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${join(rbs, 'broken.yaml')}:6:5: unknown key 'rnu' in step 'a'`);
    const list = await execa('node', [BAIE, 'runbooks'], { env, reject: false });
    expect(list.exitCode).toBe(2);
  });
});
