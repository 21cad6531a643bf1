import { describe, expect, test } from 'vitest';
import {
  armPxeReinstall, BOOT_MS, crash, INSTALL_MS, powerCycle, powerOff, powerOn, reboot, reset, softOff, sshReachable, stripOutlet,
} from '../../../src/lab/power.js';
import { powerCmds } from '../../../src/lab/commands/power.js';
import type { CmdContext } from '../../../src/lab/shell/types.js';
import type { LabMachine } from '../../../src/lab/state.js';
import type { LabWorld } from '../../../src/lab/world.js';
import { handLab } from './helpers.js';

function events(world: LabWorld) {
  const power: [string, boolean][] = [];
  const hostkey: string[] = [];
  const consoleText: Record<string, string> = {};
  world.on('power', (m, on) => power.push([m, on]));
  world.on('hostkey', (m) => hostkey.push(m));
  world.on('console', (m, t) => { consoleText[m] = (consoleText[m] ?? '') + t + '\n'; });
  return { power, hostkey, consoleText };
}

function run(world: LabWorld, m: LabMachine, argv: string[]) {
  let out = '';
  let err = '';
  const ctx: CmdContext = {
    argv, stdin: '', out: (t) => { out += t; }, err: (t) => { err += t; }, machine: m, world, env: {},
    signal: new AbortController().signal, sleep: async () => undefined,
  };
  const code = powerCmds.commands[argv[0]](ctx) as number;
  return { code, out, err };
}

describe('power and boot on the lab clock', () => {
  test('power off, then on: boots for BOOT_MS, console shows POST, kernel and the login prompt', () => {
    const { world, advance } = handLab();
    const ev = events(world);
    const emma = world.machine('emma')!;
    expect(powerOff(world, 'emma')).toBe(true);
    expect(emma.power).toBe('off');
    expect(emma.services.every((s) => !s.active)).toBe(true);
    expect(sshReachable(emma)).toBe(false);
    expect(powerOn(world, 'emma')).toBe(true);
    expect(emma.boot).toBe('booting');
    expect(emma.readyAt).toBe(world.now() + BOOT_MS);
    advance(BOOT_MS - 1000);
    expect(emma.boot).toBe('booting');
    expect(sshReachable(emma)).toBe(false);
    advance(1000);
    expect(emma.boot).toBe('up');
    expect(sshReachable(emma)).toBe(true);
    expect(emma.services.find((s) => s.name === 'apache2')!.active).toBe(true);
    expect(ev.power.filter(([m]) => m === 'emma').map(([, on]) => on)).toEqual([false, true, true]);
    const text = ev.consoleText.emma;
    expect(text).toMatch(/PowerEdge R250/);
    expect(text).toMatch(/Linux version 6\.1\.0-\d+-amd64/);
    expect(text).toMatch(/md\/raid1:md0: active with 2 out of 2 mirrors/);
    expect(text).toMatch(/Debian GNU\/Linux 12 emma ttyS0\n\nemma login: \n$/);
    expect(emma.consoleLog.at(-1)).toBe('emma login: ');
    expect(emma.bootedAt).toBe(emma.readyAt ?? world.now());
  });

  test('powerOn is refused when already on; reset and cycle reboot a panicked machine', () => {
    const { world, advance } = handLab();
    const elsa = world.machine('elsa')!;
    expect(powerOn(world, elsa)).toBe(false);
    crash(world, elsa);
    expect(elsa.boot).toBe('panic');
    expect(elsa.consoleLog.join('\n')).toMatch(/Kernel panic - not syncing: Fatal exception/);
    expect(softOff(world, elsa)).toBe(false); // ACPI ignored by a dead kernel
    expect(reset(world, elsa)).toBe(true);
    advance(BOOT_MS);
    expect(elsa.boot).toBe('up');
    crash(world, elsa);
    expect(powerCycle(world, elsa)).toBe(true);
    advance(BOOT_MS);
    expect(elsa.boot).toBe('up');
  });

  test('ACPI soft off shuts a running OS down cleanly; OS reboot goes through a boot', () => {
    const { world, advance } = handLab();
    const ella = world.machine('ella')!;
    expect(reboot(world, ella)).toBe(true);
    expect(ella.boot).toBe('booting');
    expect(ella.consoleLog.join('\n')).toMatch(/reboot: Restarting system/);
    advance(BOOT_MS);
    expect(ella.boot).toBe('up');
    expect(softOff(world, ella)).toBe(true);
    expect(ella.power).toBe('off');
    expect(ella.consoleLog.join('\n')).toMatch(/reboot: Power down/);
  });

  test('PXE once with the installer armed: installs for INSTALL_MS and comes up blank with a new host key', () => {
    const { world, advance } = handLab();
    const ev = events(world);
    const pve2 = world.machine('pve2')!;
    const oldKey = pve2.hostKey;
    const oldLabel = pve2.disks[0].label!.id;
    armPxeReinstall(world, pve2);
    pve2.bootDevice = 'pxe';
    pve2.bootDeviceOnce = true;
    powerCycle(world, pve2);
    expect(pve2.boot).toBe('installing');
    expect(pve2.consoleLog.join('\n')).toMatch(/PXELINUX/);
    advance(INSTALL_MS - 1000);
    expect(pve2.boot).toBe('installing');
    expect(pve2.hostKey).toBe(oldKey);
    advance(1000);
    expect(ev.hostkey).toEqual(['pve2']);
    expect(pve2.hostKey).not.toBe(oldKey);
    expect(pve2.hostKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(pve2.cluster).toBeUndefined();
    expect(pve2.disks[0].label!.id).not.toBe(oldLabel);
    expect(pve2.zpools[0].name).toBe('rpool');
    expect(pve2.services.find((s) => s.name === 'corosync')!.active).toBe(false);
    expect(pve2.bootDevice).toBe('disk');
    expect(pve2.boot).toBe('booting');
    advance(BOOT_MS);
    expect(pve2.boot).toBe('up');
    expect(pve2.hostname).toBe('pve2');
    expect(pve2.consoleLog.join('\n')).toMatch(/Installation complete/);
  });

  test('a Debian machine reinstalled answers as `debian`, with base services only', () => {
    const { world, advance } = handLab();
    const elea = world.machine('elea')!;
    elea.bootDevice = 'pxe';
    elea.bootDeviceOnce = true;
    powerCycle(world, elea);
    advance(INSTALL_MS + BOOT_MS);
    expect(elea.boot).toBe('up');
    expect(elea.hostname).toBe('debian');
    expect(elea.mysql).toBeUndefined();
    expect(elea.services.map((s) => s.name)).not.toContain('mariadb');
    expect(elea.md.map((a) => a.members.map((x) => x.state).join(','))).toEqual(['active,active', 'active,active']);
    expect(elea.consoleLog.at(-1)).toBe('debian login: ');
  });

  test('persistent PXE without an armed installer falls back to the disk', () => {
    const { world, advance } = handLab();
    const fey = world.machine('fey')!;
    armPxeReinstall(world, fey, false);
    fey.bootDevice = 'pxe';
    fey.bootDeviceOnce = false;
    const key = fey.hostKey;
    reset(world, fey);
    expect(fey.consoleLog.join('\n')).toMatch(/PXE-E53: No boot filename received/);
    advance(BOOT_MS);
    expect(fey.boot).toBe('up');
    expect(fey.hostKey).toBe(key);
    expect(fey.bootDevice).toBe('pxe');
  });

  test('BIOS boot device stops at the setup screen', () => {
    const { world } = handLab();
    const m = world.machine('baloo')!;
    m.bootDevice = 'bios';
    m.bootDeviceOnce = true;
    reset(world, m);
    expect(m.boot).toBe('hung');
    expect(m.consoleLog.join('\n')).toMatch(/Entering System Setup/);
  });

  test('strip outlet off cuts eva; on again boots it (no BMC, restore always-on)', () => {
    const { world, advance } = handLab();
    const eva = world.machine('eva')!;
    const out = stripOutlet(world, 'apc', 1, 'off');
    expect(out).toBe('E000: Success\n 1: eva: Off\n');
    expect(eva.power).toBe('off');
    expect(powerOn(world, eva)).toBe(false);
    stripOutlet(world, 'apc', 1, 'on');
    expect(eva.power).toBe('on');
    advance(BOOT_MS);
    expect(eva.boot).toBe('up');
    expect(() => stripOutlet(world, 'apc', 12, 'on')).toThrow(/apc has no outlet 12/);
  });

  test('reboot, poweroff and shutdown commands', () => {
    const { world, advance } = handLab();
    const emma = world.machine('emma')!;
    expect(run(world, emma, ['reboot'])).toEqual({ code: 0, out: '', err: '' });
    expect(emma.boot).toBe('booting');
    advance(BOOT_MS);
    expect(run(world, emma, ['shutdown', '-r', 'now']).code).toBe(0);
    expect(emma.boot).toBe('booting');
    advance(BOOT_MS);
    const r = run(world, emma, ['shutdown', '-r', '+5']);
    expect(r.out).toMatch(/^Reboot scheduled for \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC, use 'shutdown -c' to cancel\.\n$/);
    advance(4 * 60_000);
    expect(emma.boot).toBe('up');
    advance(60_000);
    expect(emma.boot).toBe('booting');
    advance(BOOT_MS);
    expect(run(world, emma, ['shutdown', '-h', 'now']).code).toBe(0);
    expect(emma.power).toBe('off');
    const ella = world.machine('ella')!;
    expect(run(world, ella, ['poweroff']).code).toBe(0);
    expect(ella.power).toBe('off');
    expect(run(world, ella, ['reboot', '--bogus'])).toMatchObject({ code: 1, err: "reboot: unrecognized option '--bogus'\n" });
    expect(run(world, world.machine('ada')!, ['reboot']).code).toBe(127);
  });
});
