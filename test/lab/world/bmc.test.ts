import { describe, expect, test } from 'vitest';
import { bmcRequest, SESSION_ERROR } from '../../../src/lab/bmc.js';
import { BOOT_MS, INSTALL_MS } from '../../../src/lab/power.js';
import { handLab } from './helpers.js';

describe('simulated BMC', () => {
  const lab = handLab();
  const { world, advance } = lab;
  const emma = world.machine('emma')!;
  const auth = { user: emma.bmc!.user, password: lab.bmcPassword };

  test('power status, off, on, cycle with ipmitool text', () => {
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'status' })).toEqual({ ok: true, output: 'Chassis Power is on\n' });
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'off' })).toEqual({ ok: true, output: 'Chassis Power Control: Down/Off\n' });
    expect(emma.power).toBe('off');
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'status' })).toEqual({ ok: true, output: 'Chassis Power is off\n' });
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'cycle' })).toEqual({
      ok: false, error: 'Set Chassis Power Control to Cycle failed: Command not supported in present state',
    });
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'on' })).toEqual({ ok: true, output: 'Chassis Power Control: Up/On\n' });
    expect(emma.boot).toBe('booting');
    advance(BOOT_MS);
    expect(emma.boot).toBe('up');
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'reset' })).toEqual({ ok: true, output: 'Chassis Power Control: Reset\n' });
    expect(emma.boot).toBe('booting');
    advance(BOOT_MS);
    expect(bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'soft' })).toEqual({ ok: true, output: 'Chassis Power Control: Soft\n' });
    expect(emma.power).toBe('off');
    expect(bmcRequest(world, 'emma', { ...auth, op: 'chassis-status' }).ok && (bmcRequest(world, 'emma', { ...auth, op: 'chassis-status' }) as { output: string }).output)
      .toMatch(/^System Power         : off\n[\s\S]*Last Power Event     : command\n/);
    bmcRequest(world, 'emma', { ...auth, op: 'power', arg: 'on' });
    advance(BOOT_MS);
  });

  test('wrong password, no BMC, unknown machine: the RMCP+ session error', () => {
    expect(bmcRequest(world, 'emma', { ...auth, password: 'nope', op: 'power', arg: 'status' })).toEqual({ ok: false, error: SESSION_ERROR });
    expect(bmcRequest(world, 'eva', { ...auth, op: 'power', arg: 'status' })).toEqual({ ok: false, error: 'Error: Unable to establish IPMI v2 / RMCP+ session' });
    expect(bmcRequest(world, 'ghost', { ...auth, op: 'power', arg: 'status' })).toEqual({ ok: false, error: SESSION_ERROR });
    expect(bmcRequest(world, 'emma', { ...auth, user: 'admin', op: 'sensor' }).ok).toBe(false);
  });

  test('sensor table rows in ipmitool layout; na while the host is off', () => {
    const r = bmcRequest(world, 'emma', { ...auth, op: 'sensor' });
    if (!r.ok) throw new Error(r.error);
    const cpu = r.output.split('\n').find((l) => l.startsWith('CPU Temp'))!;
    expect(cpu).toMatch(/^CPU Temp {9}\| \d{2}\.\d{3} {5}\| degrees C  \| ok    \| na        \| na        \| na        \| 85\.000    \| 90\.000    \| na {8}$/);
    expect(r.output).toMatch(/^FAN1 {13}\| \d{4}\.000 {3}\| RPM {8}\| ok/m);
    const elsa = world.machine('elsa')!;
    bmcRequest(world, 'elsa', { user: elsa.bmc!.user, password: lab.bmcPassword, op: 'power', arg: 'off' });
    const off = bmcRequest(world, 'elsa', { user: elsa.bmc!.user, password: lab.bmcPassword, op: 'sensor' });
    if (!off.ok) throw new Error(off.error);
    expect(off.output).toMatch(/^CPU Temp {9}\| na {9}\| degrees C  \| na {4}\|/m);
    expect(off.output).toMatch(/^Inlet Temp {7}\| \d{2}\.\d{3}/m);
  });

  test('SEL list and clear', () => {
    const r = bmcRequest(world, 'fey', { user: 'ADMIN', password: lab.bmcPassword, op: 'sel', arg: 'list' });
    if (!r.ok) throw new Error(r.error);
    expect(r.output).toMatch(/^ {3}1 \| \d{2}\/\d{2}\/\d{4} \| \d{2}:\d{2}:\d{2} \| Event Logging Disabled SEL \| Log area reset\/cleared \| Asserted\n$/);
    expect(bmcRequest(world, 'fey', { user: 'ADMIN', password: lab.bmcPassword, op: 'sel', arg: 'clear' }))
      .toEqual({ ok: true, output: 'Clearing SEL.  Please allow a few seconds to erase.\n' });
    expect(world.machine('fey')!.bmc!.sel.length).toBe(1);
  });

  test('bootdev pxe (once) then power cycle reinstalls the node', () => {
    const pve1 = world.machine('pve1')!;
    const a = { user: pve1.bmc!.user, password: lab.bmcPassword };
    expect(bmcRequest(world, 'pve1', { ...a, op: 'bootdev', arg: 'pxe' })).toEqual({ ok: true, output: 'Set Boot Device to pxe\n' });
    expect(pve1.bootDevice).toBe('pxe');
    expect(pve1.bootDeviceOnce).toBe(true);
    const key = pve1.hostKey;
    bmcRequest(world, 'pve1', { ...a, op: 'power', arg: 'cycle' });
    expect(pve1.boot).toBe('installing');
    advance(INSTALL_MS + BOOT_MS);
    expect(pve1.boot).toBe('up');
    expect(pve1.hostKey).not.toBe(key);
    expect(pve1.bootDevice).toBe('disk');
  });
});
