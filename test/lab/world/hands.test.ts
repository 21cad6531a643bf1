import { describe, expect, test } from 'vitest';
import { bmcRequest, SESSION_ERROR } from '../../../src/lab/bmc.js';
import { injectFault } from '../../../src/lab/faults.js';
import { doHands, HANDS } from '../../../src/lab/hands.js';
import { BOOT_MS, sshReachable } from '../../../src/lab/power.js';
import { handLab } from './helpers.js';

describe('hands in the datacentre', () => {
  test('the list of actions, and clear errors', () => {
    expect(HANDS.map((h) => h.name)).toEqual(expect.arrayContaining(['swap-disk', 'press-power', 'hold-power', 'replug-cable', 'plug-power']));
    const { world } = handLab();
    expect(() => doHands(world, 'kick', 'emma', [])).toThrow(/^unknown action: kick \(actions: /);
    expect(() => doHands(world, 'press-power', 'ghost', [])).toThrow(/^unknown machine: ghost/);
    expect(() => doHands(world, 'swap-disk', 'emma', [])).toThrow('swap-disk needs MACHINE DEV');
    expect(() => doHands(world, 'swap-disk', 'emma', ['sdq'])).toThrow('emma has no disk sdq (disks: sda in bay 1, sdb in bay 2)');
  });

  test('look reads the front panel: bays with serials, the failed one amber', () => {
    const { world } = handLab();
    injectFault(world, 'disk-fail', 'fey', 'sdc');
    const fey = world.machine('fey')!;
    const text = doHands(world, 'look', 'fey', []);
    expect(text).toContain(`bay 3: WDC WD80EFZZ-68BTXN0, label serial ${fey.disks[2].serial} (fault LED amber)`);
    expect(text).toContain(`bay 1: Micron_5300_MTFDDAK480TDS, label serial ${fey.disks[0].serial} (activity LED)`);
    expect(text).toMatch(/status LED: amber, blinking/);
  });

  test('press-power: on when off, clean ACPI shutdown when up, ignored by a panicked kernel; hold forces off', () => {
    const { world, advance } = handLab();
    const estelle = world.machine('estelle')!;
    expect(doHands(world, 'press-power', 'estelle', [])).toBe('estelle: power LED on, fans spin up; it is booting.');
    advance(BOOT_MS);
    expect(sshReachable(estelle)).toBe(true);
    expect(doHands(world, 'press-power', 'estelle', [])).toBe('estelle: the OS shuts down cleanly; power LED off.');
    expect(estelle.power).toBe('off');
    injectFault(world, 'host-crash', 'emma');
    expect(doHands(world, 'press-power', 'emma', [])).toMatch(/nothing happens .*panic.*Hold the button/);
    expect(world.machine('emma')!.power).toBe('on');
    expect(doHands(world, 'hold-power', 'emma', [])).toBe('emma: forced off after 5 seconds; power LED off.');
    expect(world.machine('emma')!.power).toBe('off');
    expect(doHands(world, 'hold-power', 'emma', [])).toBe('emma is already off.');
  });

  test('unplug-power kills host and BMC; plug-power brings the BMC back, the host stays off', () => {
    const lab = handLab();
    const { world, advance } = lab;
    const a = { user: 'root', password: lab.bmcPassword };
    doHands(world, 'unplug-power', 'elea', []);
    expect(world.machine('elea')!.power).toBe('off');
    expect(bmcRequest(world, 'elea', { ...a, op: 'power', arg: 'status' })).toEqual({ ok: false, error: SESSION_ERROR });
    expect(doHands(world, 'plug-power', 'elea', [])).toMatch(/BMC LED on, host stays off/);
    expect(bmcRequest(world, 'elea', { ...a, op: 'power', arg: 'status' })).toEqual({ ok: true, output: 'Chassis Power is off\n' });
    bmcRequest(world, 'elea', { ...a, op: 'power', arg: 'on' });
    advance(BOOT_MS);
    expect(sshReachable(world.machine('elea')!)).toBe(true);
    expect(doHands(world, 'plug-power', 'elea', [])).toMatch(/already plugged in/);
  });

  test('pulling the healthy disk of a degraded mirror takes the machine down', () => {
    const { world } = handLab();
    injectFault(world, 'disk-fail', 'elsa', 'sdb');
    const out = doHands(world, 'swap-disk', 'elsa', ['sda']);
    expect(out).toMatch(/Careful: the disk pulled \(\S+\) was healthy\. elsa lost its root filesystem and crashed\./);
    expect(world.machine('elsa')!.boot).toBe('panic');
  });

  test('replug-cable on a healthy link changes nothing', () => {
    const { world } = handLab();
    expect(doHands(world, 'replug-cable', 'emma', [])).toBe('emma: cable reseated; link LED was already on.');
    expect(sshReachable(world.machine('emma')!)).toBe(true);
  });
});
