import { describe, expect, test } from 'vitest';
import { bmcRequest } from '../../../src/lab/bmc.js';
import { FAULTS, injectFault } from '../../../src/lab/faults.js';
import { doHands } from '../../../src/lab/hands.js';
import { BOOT_MS, INSTALL_MS, reboot, reset, sshReachable, stripOutlet } from '../../../src/lab/power.js';
import { handLab } from './helpers.js';

function vipOn(world: ReturnType<typeof handLab>['world'], name: string): boolean {
  return world.machine(name)!.ifaces.some((i) => i.addrs.includes('192.0.2.100/24'));
}

describe('faults and their real recovery paths', () => {
  test('the list names every fault with its arguments', () => {
    expect(FAULTS.map((f) => f.name)).toEqual([
      'disk-fail', 'host-crash', 'power-loss', 'network-down', 'service-down', 'mysql-primary-crash', 'director-crash', 'hypervisor-fail', 'node-destroyed',
    ]);
    for (const f of FAULTS) expect(f.description.length).toBeGreaterThan(20);
  });

  test('unknown fault or machine: a clear error', () => {
    const { world } = handLab();
    expect(() => injectFault(world, 'meteor', 'emma')).toThrow(/^unknown fault: meteor \(faults: disk-fail, /);
    expect(() => injectFault(world, 'host-crash', 'ghost')).toThrow(/^unknown machine: ghost/);
    expect(() => injectFault(world, 'disk-fail', 'emma', 'sdz')).toThrow('emma has no disk sdz (disks: sda, sdb)');
    expect(() => injectFault(world, 'service-down', 'emma', 'nginx')).toThrow(/emma has no service nginx/);
    expect(() => injectFault(world, 'hypervisor-fail', 'emma')).toThrow('emma is not a Proxmox node');
  });

  test('disk-fail on an md machine: [U_], SMART FAILED, SEL drive fault; swap puts a blank disk in the bay', () => {
    const lab = handLab();
    const { world } = lab;
    const msg = injectFault(world, 'disk-fail', 'emma', 'sdb');
    const emma = world.machine('emma')!;
    const sdb = emma.disks.find((d) => d.dev === 'sdb')!;
    expect(msg).toContain(`sdb (Samsung SSD 870 EVO 500GB, serial ${sdb.serial}, bay 2) failed`);
    expect(sdb.failed).toBe(true);
    expect(sdb.smartPassed).toBe(false);
    expect(emma.md[0].members.find((x) => x.dev === 'sdb2')!.state).toBe('faulty');
    expect(emma.md[0].members.find((x) => x.dev === 'sda2')!.state).toBe('active');
    expect(sshReachable(emma)).toBe(true);
    const sel = bmcRequest(world, 'emma', { user: 'root', password: lab.bmcPassword, op: 'sel', arg: 'list' });
    expect(sel.ok && sel.output).toMatch(/^ {3}2 \| .* \| Drive Slot \/ Bay Drive 2 \| Drive Fault \| Asserted$/m);
    const swap = doHands(world, 'swap-disk', 'emma', ['sdb']);
    const fresh = emma.disks.find((d) => d.dev === 'sdb')!;
    expect(fresh.serial).not.toBe(sdb.serial);
    expect(swap).toContain(`serial ${fresh.serial}`);
    expect(fresh.bay).toBe(2);
    expect(fresh.label).toBeUndefined();
    expect(fresh.smartPassed).toBe(true);
    expect(emma.md[0].members.map((x) => x.dev)).toEqual(['sda2']);
  });

  test('disk-fail on a ZFS node degrades the mirror', () => {
    const { world } = handLab();
    injectFault(world, 'disk-fail', 'pve1', 'sda');
    const disks = world.machine('pve1')!.zpools[0].vdevs[0].disks;
    expect(disks.find((d) => d.disk === 'sda')!.state).toBe('FAULTED');
    expect(disks.find((d) => d.disk === 'sdb')!.state).toBe('ONLINE');
  });

  test('host-crash: panic on the console, SSH gone, power on; a BMC power cycle brings it back', () => {
    const lab = handLab();
    const { world, advance } = lab;
    injectFault(world, 'host-crash', 'elsa');
    const elsa = world.machine('elsa')!;
    expect(elsa.power).toBe('on');
    expect(elsa.boot).toBe('panic');
    expect(sshReachable(elsa)).toBe(false);
    expect(elsa.consoleLog.join('\n')).toMatch(/---\[ end Kernel panic - not syncing: Fatal exception \]---/);
    const sel = bmcRequest(world, 'elsa', { user: 'ADMIN', password: lab.bmcPassword, op: 'sel', arg: 'list' });
    expect(sel.ok && sel.output).toMatch(/OS Critical Stop OS Stop \| Run-time critical stop \| Asserted/);
    advance(10 * 60_000);
    expect(elsa.boot).toBe('panic');
    bmcRequest(world, 'elsa', { user: 'ADMIN', password: lab.bmcPassword, op: 'power', arg: 'cycle' });
    advance(BOOT_MS);
    expect(sshReachable(elsa)).toBe(true);
  });

  test('power-loss: off with AC lost in the SEL, the BMC still answers and powers it on', () => {
    const lab = handLab();
    const { world, advance } = lab;
    injectFault(world, 'power-loss', 'fey');
    const fey = world.machine('fey')!;
    expect(fey.power).toBe('off');
    advance(5 * 60_000);
    expect(fey.power).toBe('off');
    const a = { user: 'ADMIN', password: lab.bmcPassword };
    const st = bmcRequest(world, 'fey', { ...a, op: 'chassis-status' });
    expect(st.ok && st.output).toMatch(/Last Power Event     : ac-failed/);
    const sel = bmcRequest(world, 'fey', { ...a, op: 'sel', arg: 'list' });
    expect(sel.ok && sel.output).toMatch(/Power Unit Pwr Unit Status \| AC lost \| Asserted/);
    bmcRequest(world, 'fey', { ...a, op: 'power', arg: 'on' });
    advance(BOOT_MS);
    expect(sshReachable(fey)).toBe(true);
  });

  test('power-loss on a strip-fed machine without BMC: the outlet is off until switched on', () => {
    const { world, advance } = handLab();
    const msg = injectFault(world, 'power-loss', 'console');
    expect(msg).toMatch(/outlet 3 on apc switched off/);
    const c = world.machine('console')!;
    expect(c.power).toBe('off');
    expect(doHands(world, 'press-power', 'console', [])).toMatch(/Nothing happens: no power reaches console/);
    stripOutlet(world, 'apc', 3, 'on');
    advance(BOOT_MS);
    expect(sshReachable(c)).toBe(true);
  });

  test('network-down (link): unreachable, BMC works; `ip link set eno1 up` fixes it', () => {
    const lab = handLab();
    const { world, advance } = lab;
    injectFault(world, 'network-down', 'emma');
    const emma = world.machine('emma')!;
    expect(sshReachable(emma)).toBe(false);
    expect(emma.power).toBe('on');
    expect(emma.consoleLog.join('\n')).toMatch(/eno1: igb: eno1 NIC Link is Down/);
    expect(bmcRequest(world, 'emma', { user: 'root', password: lab.bmcPassword, op: 'power', arg: 'status' }).ok).toBe(true);
    advance(60_000);
    expect(sshReachable(emma)).toBe(false);
    emma.ifaces.find((i) => i.name === 'eno1')!.up = true; // what `ip link set eno1 up` on the console does
    advance(1000);
    expect(sshReachable(emma)).toBe(true);
  });

  test('network-down (cable): only reseating the cable fixes it', () => {
    const { world, advance } = handLab();
    injectFault(world, 'network-down', 'ella', 'cable');
    const ella = world.machine('ella')!;
    advance(1000);
    expect(sshReachable(ella)).toBe(false);
    expect(doHands(world, 'replug-cable', 'ella', [])).toMatch(/link LED is green again/);
    expect(sshReachable(ella)).toBe(true);
  });

  test('service-down: failed unit; an enabled service comes back with a reboot', () => {
    const { world, advance } = handLab();
    expect(injectFault(world, 'service-down', 'emma', 'apache2')).toBe('emma: apache2 failed (killed)');
    const emma = world.machine('emma')!;
    const svc = emma.services.find((s) => s.name === 'apache2')!;
    expect(svc).toMatchObject({ active: false, enabled: true, failedReason: 'Main process exited, code=killed, status=9/KILL' });
    reboot(world, emma);
    advance(BOOT_MS);
    expect(emma.services.find((s) => s.name === 'apache2')).toMatchObject({ active: true });
  });

  test('mysql-primary-crash: mysqld dead on elea, elma IO thread errors; it reconnects once elea is back', () => {
    const { world, advance } = handLab();
    const msg = injectFault(world, 'mysql-primary-crash', '');
    expect(msg).toMatch(/^elea: mysqld crashed/);
    const elea = world.machine('elea')!;
    const rep = world.machine('elma')!.mysql!.replica!;
    expect(elea.mysql!.running).toBe(false);
    expect(rep.ioRunning).toBe(false);
    expect(rep.secondsBehind).toBeNull();
    expect(rep.lastIoError).toBe(`error reconnecting to master 'repl@192.0.2.31:3306' - retry-time: 60  maximum-retries: 86400  message: Can't connect to MySQL server on '192.0.2.31' (111 "Connection refused")`);
    advance(60_000);
    expect(rep.ioRunning).toBe(false);
    reboot(world, elea);
    advance(BOOT_MS);
    expect(elea.mysql!.running).toBe(true);
    expect(rep).toMatchObject({ ioRunning: true, lastIoError: '', secondsBehind: 0 });
  });

  test('mysql-primary-crash host: the primary panics', () => {
    const { world } = handLab();
    injectFault(world, 'mysql-primary-crash', 'elea', 'host');
    expect(world.machine('elea')!.boot).toBe('panic');
    expect(world.machine('elma')!.mysql!.replica!.lastIoError).toMatch(/110 "Connection timed out"/);
    expect(() => injectFault(world, 'mysql-primary-crash', 'elma')).toThrow('elma is a replica, not a primary');
  });

  test('director-crash: the VIP is gone until estelle is powered on; eva takes it back when it returns', () => {
    const { world, advance } = handLab();
    expect(vipOn(world, 'eva')).toBe(true);
    const msg = injectFault(world, 'director-crash', '');
    expect(msg).toMatch(/^eva: director panicked; VIP 192\.0\.2\.100\/24 is gone/);
    expect(world.machine('eva')!.boot).toBe('panic');
    advance(60_000);
    expect([...world.machines.keys()].filter((n) => vipOn(world, n))).toEqual([]);
    expect(doHands(world, 'press-power', 'estelle', [])).toMatch(/booting/);
    advance(BOOT_MS);
    expect(vipOn(world, 'estelle')).toBe(true);
    expect(world.machine('estelle')!.ipvs.map((s) => s.port)).toEqual([80, 443, 25, 993]);
    reset(world, 'eva');
    advance(BOOT_MS);
    expect(vipOn(world, 'eva')).toBe(true);
    expect(vipOn(world, 'estelle')).toBe(false);
  });

  test('hypervisor-fail: pve2 off, SEL entry; BMC power on brings it and its guests back', () => {
    const lab = handLab();
    const { world, advance } = lab;
    const msg = injectFault(world, 'hypervisor-fail', 'pve2');
    expect(msg).toMatch(/guests on it: 101 mail, 200 dns; cluster rouans loses quorum/);
    const pve2 = world.machine('pve2')!;
    expect(pve2.power).toBe('off');
    const a = { user: 'root', password: lab.bmcPassword };
    bmcRequest(world, 'pve2', { ...a, op: 'power', arg: 'on' });
    advance(BOOT_MS);
    expect(pve2.boot).toBe('up');
    expect(pve2.services.find((s) => s.name === 'corosync')!.active).toBe(true);
    const mail = world.clusters.get('rouans')!.guests.find((g) => g.vmid === 101)!;
    expect(mail.startedAt).toBe(pve2.bootedAt);
  });

  test('node-destroyed: no boot device until a PXE reinstall; then a blank node', () => {
    const lab = handLab();
    const { world, advance } = lab;
    injectFault(world, 'node-destroyed', 'pve1');
    const pve1 = world.machine('pve1')!;
    expect(pve1.boot).toBe('no-boot');
    expect(pve1.consoleLog.join('\n')).toMatch(/No boot device available/);
    const a = { user: 'root', password: lab.bmcPassword };
    bmcRequest(world, 'pve1', { ...a, op: 'power', arg: 'cycle' });
    advance(BOOT_MS);
    expect(pve1.boot).toBe('no-boot');
    bmcRequest(world, 'pve1', { ...a, op: 'bootdev', arg: 'pxe' });
    bmcRequest(world, 'pve1', { ...a, op: 'power', arg: 'cycle' });
    advance(INSTALL_MS + BOOT_MS);
    expect(pve1.boot).toBe('up');
    expect(pve1.cluster).toBeUndefined();
    expect(pve1.zpools[0].vdevs[0].disks.every((d) => d.state === 'ONLINE')).toBe(true);
  });

  test('scheduled faults fire on the lab clock', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { defaultScenarioPath } = await import('../../../src/lab/scenario.js');
    const dir = mkdtempSync(join(tmpdir(), 'baie-faults-'));
    try {
      const file = join(dir, 'timed.yaml');
      writeFileSync(file, readFileSync(defaultScenarioPath(), 'utf8').replace('  faults: []', '  faults:\n    - {fault: host-crash, machine: elsa, at: 10m}'));
      const fired: string[] = [];
      const lab = handLab(file, { onFault: (f) => fired.push(`${f.fault} ${f.machine}: ${f.result}`) });
      expect(lab.scheduledFaults).toMatchObject([{ fault: 'host-crash', machine: 'elsa', fired: false }]);
      lab.advance(9 * 60_000);
      expect(lab.world.machine('elsa')!.boot).toBe('up');
      lab.advance(60_000);
      expect(lab.world.machine('elsa')!.boot).toBe('panic');
      expect(fired).toEqual(['host-crash elsa: elsa: kernel panic (console shows it; SSH times out; power stays on)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
