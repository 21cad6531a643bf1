/**
 * Contract check: the lab BMC driver against the real lab control socket (src/lab/control.ts and
 * the lab BMC in src/lab/bmc.ts), with the tiny world of the lab server tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../../src/lab/run.js';
import type { RunningLab } from '../../../src/lab/run.js';
import { bmcDriverFor } from '../../../src/transport/ipmi/driver.js';
import type { BmcError } from '../../../src/transport/ipmi/errors.js';
import type { Bmc } from '../../../src/model/fleet.js';
import { fakeShell, tinyWorld } from '../../lab/server/tinyWorld.js';

describe('lab BMC driver against the real lab control socket', () => {
  let dir: string;
  let lab: RunningLab;
  let bmc: Bmc;
  const env = { ELLA_BMC_PW: 's3cret-bmc' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baie-labbmc-real-'));
    lab = await startLab({ dir, world: tinyWorld(), runLine: fakeShell, basePort: 0 });
    bmc = { driver: 'lab', address: '192.0.2.111', port: 623, user: 'admin', password: { env: 'ELLA_BMC_PW' }, socket: join(dir, 'control.sock') };
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('power, boot device, SEL and sensors come back as the ipmitool driver returns them', async () => {
    const d = bmcDriverFor('ella', bmc, { env });
    expect(await d.power('status')).toEqual({ power: 'on', output: 'Chassis Power is on\n' });
    expect(await d.bootdev('pxe')).toBe('Set Boot Device to pxe');
    expect(lab.world.machine('ella')!.bootDevice).toBe('pxe');
    expect(await d.sel()).toEqual([]);
    await d.selClear();
    const sel = await d.sel();
    expect(sel.map((e) => [e.id, e.sensor, e.event, e.direction])).toEqual([[1, 'Event Logging Disabled SEL', 'Log area reset/cleared', 'Asserted']]);
    expect(sel[0]!.date).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    expect(await d.sensors()).toEqual([]);
  });

  it('a wrong password and a machine without BMC fail like ipmitool', async () => {
    const wrong = (await bmcDriverFor('ella', bmc, { env: { ELLA_BMC_PW: 'nope' } }).power('status').catch((e: unknown) => e)) as BmcError;
    expect(wrong.message).toBe('ella-bmc (lab): wrong BMC user or password, or no BMC answering (Unable to establish IPMI v2 / RMCP+ session)');
    const none = (await bmcDriverFor('emma', bmc, { env }).power('status').catch((e: unknown) => e)) as BmcError;
    expect(none.reason).toBe('auth');
  });
});
