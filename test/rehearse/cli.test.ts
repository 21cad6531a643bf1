import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BAIE = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const skip = existsSync(BAIE) ? undefined : `${BAIE} is missing: build first (npx tsc -p tsconfig.json)`;

describe.skipIf(!!skip)(`baie rehearse without a terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const root = mkdtempSync(join(tmpdir(), 'baie-rehearse-cli-'));
  const env = { XDG_STATE_HOME: join(root, 'state'), BAIE_CONFIG_DIR: join(root, 'config'), NO_COLOR: '1' };
  const rb = join(root, 'runbooks');
  cpSync(join(import.meta.dirname, 'fixtures', 'runbooks'), rb, { recursive: true });
  writeFileSync(join(rb, 'drills', 'broken.yaml'), 'drill: broken\ntitle: t\nrunbook: r\nbudget: soon\nfaults: [{fault: f, machine: m}]\ngoal: [{machine: m, field: health, equals: ok}]\n');
  const baie = (...args: string[]) => execa('node', [BAIE, ...args], { env, reject: false, stdin: 'ignore' });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--list shows shipped and configured drills, and the broken ones with FILE:LINE:COL', async () => {
    expect((await baie('config', 'set', 'runbookDirs', rb)).exitCode).toBe(0);
    const r = await baie('rehearse', '--list');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^DRILL\s+RUNBOOK\s+BUDGET\s+TITLE$/);
    expect(r.stdout).toMatch(/^service-down-ella\s+restart-service\s+15m\s+Mail stops on a web frontend$/m);
    expect(r.stdout).toMatch(/^disk-swap-mdadm\s+disk-swap-mdadm\s+2h\s+/m);
    expect(r.stdout).not.toContain('broken');
    expect(r.stderr.trim()).toBe(`${join(rb, 'drills', 'broken.yaml')}:4:9: budget: 'soon' is not a duration (like 20m, 1h30m)`);
  });

  it('refuses with one line: no drill, unknown drill, broken drill, bad speed, no terminal', async () => {
    const cases: [string[], string][] = [
      [['rehearse'], 'baie: rehearse needs a DRILL (see baie rehearse --list)'],
      [['rehearse', 'nope'], "baie: no drill 'nope' (see baie rehearse --list)"],
      [['rehearse', 'broken'], `baie: ${join(rb, 'drills', 'broken.yaml')}:4:9: budget: 'soon' is not a duration (like 20m, 1h30m)`],
      [['rehearse', 'service-down-ella', '--speed', 'fast'], "baie: --speed wants a positive number (60: an hour a minute), not 'fast'"],
      [['rehearse', 'service-down-ella'], 'baie: a drill needs a terminal (for scripts: baie lab, baie lab fault, baie run --json)'],
    ];
    for (const [args, want] of cases) {
      const r = await baie(...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(want);
    }
    // nothing was started
    expect(existsSync(join(root, 'state', 'baie', 'lab', 'lab.pid'))).toBe(false);
  });
});
