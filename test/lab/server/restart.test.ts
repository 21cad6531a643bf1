/** Restarting a lab on the same DIR keeps ports, host keys and the client key; one lab per DIR. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabAlreadyRunningError, startLab } from '../../../src/lab/run.js';
import { fakeShell, tinyWorld } from './tinyWorld.js';

describe('lab directory across restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baie-lab-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses ports and keys, and refuses a second lab on the same DIR', async () => {
    const first = await startLab({ dir, world: tinyWorld(), runLine: fakeShell, basePort: 0 });
    const known = readFileSync(join(dir, 'known_hosts'), 'utf8');
    const key = readFileSync(join(dir, 'id_ed25519'), 'utf8');
    await expect(startLab({ dir, world: tinyWorld(), runLine: fakeShell, basePort: 0 })).rejects.toThrow(LabAlreadyRunningError);
    await first.stop();
    const second = await startLab({ dir, world: tinyWorld(), runLine: fakeShell, basePort: 0 });
    try {
      expect(second.ports).toEqual(first.ports);
      expect(readFileSync(join(dir, 'known_hosts'), 'utf8')).toBe(known);
      expect(readFileSync(join(dir, 'id_ed25519'), 'utf8')).toBe(key);
      expect(second.world.machine('ella')!.sshPort).toBe(first.ports.ella);
    } finally {
      await second.stop();
    }
  });
});
