/** The lab's own shell interpreter behind the SSH servers (no stand-in). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startLab } from '../../../src/lab/run.js';
import type { RunningLab } from '../../../src/lab/run.js';
import { tinyWorld } from './tinyWorld.js';

const hasSsh = await execa('ssh', ['-V'], { reject: false }).then((r) => r.exitCode === 0, () => false);

describe.skipIf(!hasSsh)('lab SSH with the lab interpreter (skipped: no ssh binary)', () => {
  let dir: string;
  let lab: RunningLab;
  const ssh = (args: string[], input?: string) =>
    execa('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', ...args], {
      reject: false,
      timeout: 20_000,
      ...(input !== undefined ? { input } : { stdin: 'ignore' }),
    });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baie-lab-interp-'));
    lab = await startLab({ dir, world: tinyWorld(), basePort: 0 });
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a command line with pipes, stderr and exit status', async () => {
    const r = await ssh(['ella', 'hostname; echo oops >&2; echo a b | wc -w; exit 3']);
    expect(r.stdout).toBe('ella\n2');
    expect(r.stderr).toBe('oops');
    expect(r.exitCode).toBe(3);
  });

  it('keeps files across connections', async () => {
    expect((await ssh(['ella', 'test -d /srv/x'])).exitCode).toBe(1);
    expect((await ssh(['ella', 'mkdir -p /srv/x && echo made > /srv/x/f'])).exitCode).toBe(0);
    const r = await ssh(['ella', 'cat /srv/x/f']);
    expect(r.stdout).toBe('made');
  });

  it('says command not found for what the lab does not know', async () => {
    const r = await ssh(['ella', 'frobnicate --now']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/frobnicate: command not found/);
  });
});
