/** A lab started for one test file, with a Reach onto its inventory (own known_hosts, no ssh_config). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startLab, type RunningLab } from '../../src/lab/run.js';
import { loadInventory } from '../../src/inventory/index.js';
import { Reach } from '../../src/app/reach.js';

export interface LabReach {
  /** The test's temp directory (the lab lives in `lab/` under it). */
  dir: string;
  lab: RunningLab;
  reach: Reach;
}

/** Starts the lab before the file's tests and stops it after; the fields are set once beforeAll ran. */
export function useLabReach(prefix: string): LabReach {
  const h = {} as LabReach;
  beforeAll(async () => {
    h.dir = mkdtempSync(join(tmpdir(), prefix));
    h.lab = await startLab({ dir: join(h.dir, 'lab'), basePort: 0 });
    const { fleet, problems } = await loadInventory(h.lab.ready.inventory, { home: h.dir, sshConfigFile: join(h.dir, 'no-ssh-config') });
    expect(problems).toEqual([]);
    fleet.lab = true;
    h.reach = new Reach(fleet, { userKnownHosts: join(h.dir, 'known_hosts') });
  });
  afterAll(async () => {
    await h.reach?.close();
    await h.lab?.stop();
    if (h.dir) rmSync(h.dir, { recursive: true, force: true });
  });
  return h;
}
