/**
 * Power and boot of lab machines: state transitions on the lab clock, console output,
 * 'power' events (fired on every power OR boot-state change: listeners re-check
 * `sshReachable`), PXE reinstall, the switched power strip.
 */
import {
  biosSetupText, grubText, installDoneText, installStartText, kernelText, loginText, noBootText,
  panicText, postText, pxeText, shutdownText, systemdText,
} from './bootlog.js';
import { cryptoRng, machineKind } from './hardware.js';
import { installFresh } from './install.js';
import { generateEd25519 } from './keys.js';
import { extra } from './machine-extra.js';
import { consoleWrite, type BootState, type LabMachine } from './state.js';
import type { LabWorld } from './world.js';

/** Lab time from power-on to the login prompt. */
export const BOOT_MS = 90_000;
/** Lab time of an unattended PXE reinstall. */
export const INSTALL_MS = 20 * 60_000;

export type MachineRef = LabMachine | string;

/** The machine named (or given); throws `unknown machine: NAME` when there is none. */
export function machineOf(world: LabWorld, ref: MachineRef): LabMachine {
  if (typeof ref !== 'string') return ref;
  const m = world.machine(ref);
  if (!m) throw new Error(`unknown machine: ${ref} (known: ${[...world.machines.keys()].join(', ')})`);
  return m;
}

/** A fresh OpenSSH-format ed25519 private host key. */
export function newHostKey(): string {
  return generateEd25519().private;
}

/** Append to the serial console and tell listeners. */
export function writeConsole(world: LabWorld, m: LabMachine, text: string): void {
  consoleWrite(m, text);
  world.emit('console', m.name, text);
}

/** True when SSH to the machine would get a shell. */
export function sshReachable(m: LabMachine): boolean {
  return m.power === 'on' && m.boot === 'up' && !m.networkDown;
}

/** AC power reaches the machine (cable in, strip outlet on). Without it the BMC is dead too. */
export function hasAc(world: LabWorld, m: LabMachine): boolean {
  if (extra(m).unplugged) return false;
  if (!m.outlet) return true;
  const outlet = world.strips.get(m.outlet.strip)?.outlets.find((o) => o.n === m.outlet!.outlet);
  return outlet ? outlet.on : true;
}

function emitPower(world: LabWorld, m: LabMachine): void {
  world.emit('power', m.name, m.power === 'on');
}

function setBoot(world: LabWorld, m: LabMachine, boot: BootState, readyAt?: number): void {
  m.boot = boot;
  m.readyAt = readyAt;
  emitPower(world, m);
}

function uptimeSec(world: LabWorld, m: LabMachine): number {
  return m.boot === 'up' ? Math.max(1, (world.now() - m.bootedAt) / 1000) : 1;
}

/** Nothing runs on a machine that is off, panicked or halted. */
function stopEverything(m: LabMachine): void {
  for (const s of m.services) s.active = false;
  if (m.mysql) m.mysql.running = false;
}

function diskOfPart(part: string): string {
  return /^nvme/.test(part) ? part.replace(/p\d+$/, '') : part.replace(/\d+$/, '');
}

/** A healthy disk still holds the root array or pool. Switches and strips boot from flash. */
export function bootable(m: LabMachine): boolean {
  const kind = machineKind(m);
  if (kind === 'switch' || kind === 'pdu' || m.disks.length === 0) return true;
  const ok = (dev: string) => m.disks.some((d) => d.dev === dev && !d.failed && !d.gone && d.label);
  const root = m.md.find((a) => a.name === 'md0');
  if (root?.members.some((x) => x.state === 'active' && ok(diskOfPart(x.dev)))) return true;
  const rpool = m.zpools.find((p) => p.name === 'rpool');
  return !!rpool?.vdevs.some((v) => v.disks.some((d) => (d.state === 'ONLINE' || d.state === 'DEGRADED') && ok(d.disk)));
}

/** Firmware → boot device → GRUB/kernel (or PXE installer, or no boot device). Power must be on. */
function startBoot(world: LabWorld, m: LabMachine, at = world.now()): void {
  extra(m).pendingShutdown = undefined;
  stopEverything(m);
  writeConsole(world, m, postText(m));
  const dev = m.bootDevice;
  if (m.bootDeviceOnce) {
    m.bootDevice = 'disk';
    m.bootDeviceOnce = false;
  }
  if (dev === 'bios') {
    writeConsole(world, m, biosSetupText(m));
    setBoot(world, m, 'hung');
    return;
  }
  if (dev === 'pxe') {
    const armed = extra(m).pxeArmed;
    writeConsole(world, m, pxeText(m, armed));
    if (armed) {
      writeConsole(world, m, installStartText(m));
      setBoot(world, m, 'installing', at + INSTALL_MS);
      return;
    }
  }
  if (dev === 'cdrom') writeConsole(world, m, 'No bootable CD-ROM media found.\nBooting from Hard Disk...');
  if (!bootable(m)) {
    writeConsole(world, m, noBootText(m));
    setBoot(world, m, 'no-boot');
    return;
  }
  const kind = machineKind(m);
  if (kind === 'debian' || kind === 'pve') writeConsole(world, m, `${grubText(m)}\n${kernelText(m)}`);
  setBoot(world, m, 'booting', at + BOOT_MS);
}

/** Booting is over at `at`: enabled services run, links come up, login prompt. */
function finishBoot(world: LabWorld, m: LabMachine, at: number): void {
  m.bootedAt = at;
  for (const s of m.services) {
    s.active = s.enabled;
    s.failedReason = undefined;
  }
  if (m.mysql) {
    const svc = m.services.find((s) => s.name === 'mariadb' || s.name === 'mysql');
    m.mysql.running = svc ? svc.active : true;
  }
  const e = extra(m);
  for (const i of m.ifaces) i.up = true;
  if (e.netCause === 'link') {
    e.netCause = undefined;
    e.netIface = undefined;
    m.networkDown = false;
  }
  if (m.cluster) {
    for (const g of world.clusters.get(m.cluster)?.guests ?? []) {
      if (g.node === m.name && g.status === 'running') g.startedAt = at;
    }
  }
  m.load = [0.61, 0.32, 0.12];
  const kind = machineKind(m);
  if (kind === 'debian' || kind === 'pve') writeConsole(world, m, systemdText(m));
  writeConsole(world, m, loginText(m));
  setBoot(world, m, 'up');
}

/** The machine comes up blank: fresh host key, fresh disks, base services, no cluster. */
export function reinstall(world: LabWorld, m: LabMachine): void {
  const kind = machineKind(m);
  m.hostKey = newHostKey();
  m.hostname = kind === 'pve' ? m.name : 'debian';
  installFresh(m, cryptoRng(), world.now());
  const e = extra(m);
  e.pxeArmed = false;
  e.ipvsConfigured = [];
  e.keepalivedWasActive = false;
  e.netCause = undefined;
  m.networkDown = false;
  world.emit('hostkey', m.name);
}

/** Press "on". False when already on or when no AC reaches it. */
export function powerOn(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'on' || !hasAc(world, m)) return false;
  m.power = 'on';
  startBoot(world, m);
  return true;
}

/** Hard power off (no OS shutdown). False when already off. */
export function powerOff(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off') return false;
  m.power = 'off';
  stopEverything(m);
  extra(m).pendingShutdown = undefined;
  setBoot(world, m, 'off');
  return true;
}

/** Off then on (from off: just on). */
export function powerCycle(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  powerOff(world, m);
  return powerOn(world, m);
}

/** Hardware reset: power stays on, the machine boots again. False when off. */
export function reset(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off') return false;
  startBoot(world, m);
  return true;
}

/**
 * ACPI power button: a running OS shuts down cleanly; firmware screens (no boot device,
 * BIOS setup) power off; a panicked, hung, booting or installing machine ignores it.
 */
export function softOff(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off') return false;
  if (m.boot === 'up') {
    writeConsole(world, m, shutdownText(false));
    return powerOff(world, m);
  }
  if (m.boot === 'no-boot' || (m.boot === 'hung' && m.bootDevice === 'bios')) return powerOff(world, m);
  return false;
}

/** OS reboot (`reboot`): only a running OS can. */
export function reboot(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off' || m.boot !== 'up') return false;
  writeConsole(world, m, shutdownText(true));
  startBoot(world, m);
  return true;
}

/** OS power off (`poweroff`, `shutdown -h now`). */
export function shutdown(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off' || m.boot !== 'up') return false;
  return softOff(world, m);
}

/** OS halt: everything stops, power stays on, console says so. */
export function halt(world: LabWorld, ref: MachineRef): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off' || m.boot !== 'up') return false;
  writeConsole(world, m, shutdownText(false).replace('reboot: Power down', 'reboot: System halted'));
  stopEverything(m);
  setBoot(world, m, 'hung');
  return true;
}

/** Kernel panic: console shows it, nothing answers, power stays on. */
export function crash(world: LabWorld, ref: MachineRef, reason?: string): boolean {
  const m = machineOf(world, ref);
  if (m.power === 'off') return false;
  writeConsole(world, m, panicText(m, uptimeSec(world, m), reason));
  stopEverything(m);
  setBoot(world, m, 'panic');
  return true;
}

/** Arm (or disarm) the PXE server's unattended reinstall for this machine's next PXE boot. */
export function armPxeReinstall(world: LabWorld, ref: MachineRef, armed = true): void {
  extra(machineOf(world, ref)).pxeArmed = armed;
}

export function isPxeArmed(world: LabWorld, ref: MachineRef): boolean {
  return extra(machineOf(world, ref)).pxeArmed;
}

/** Schedule an OS shutdown/reboot `delayMs` of lab time from now (`shutdown -r +5`). */
export function scheduleShutdown(world: LabWorld, ref: MachineRef, delayMs: number, rebootAfter: boolean): number {
  const m = machineOf(world, ref);
  const at = world.now() + delayMs;
  extra(m).pendingShutdown = { at, reboot: rebootAfter };
  return at;
}

export function cancelShutdown(world: LabWorld, ref: MachineRef): boolean {
  const e = extra(machineOf(world, ref));
  const had = !!e.pendingShutdown;
  e.pendingShutdown = undefined;
  return had;
}

/** AC comes back to a machine: the BIOS restore policy decides whether it starts. */
function acRestored(world: LabWorld, m: LabMachine): void {
  const e = extra(m);
  if (!hasAc(world, m) || m.power === 'on') return;
  if (m.bmc) {
    const id = (m.bmc.sel.at(-1)?.id ?? 0) + 1;
    m.bmc.sel.push({ id, at: world.now(), sensor: 'Power Unit Pwr Unit Status', event: 'AC lost', asserted: true });
  }
  if (e.acRestore === 'always-on' || (e.acRestore === 'previous' && e.poweredBeforeAcLoss)) powerOn(world, m);
}

/** AC goes away from a machine (outlet off, cable pulled). */
function acLost(world: LabWorld, m: LabMachine): void {
  const e = extra(m);
  e.poweredBeforeAcLoss = m.power === 'on';
  e.lastPowerEvent = 'ac-failed';
  powerOff(world, m);
}

/** Pull the power cable (true) or plug it back (false). Returns false when nothing changed. */
export function setUnplugged(world: LabWorld, ref: MachineRef, unplugged: boolean): boolean {
  const m = machineOf(world, ref);
  const e = extra(m);
  if (e.unplugged === unplugged) return false;
  const hadAc = hasAc(world, m);
  e.unplugged = unplugged;
  if (hadAc && !hasAc(world, m)) acLost(world, m);
  else if (!hadAc && hasAc(world, m)) acRestored(world, m);
  return true;
}

/**
 * Switch a power strip outlet: `on`, `off`, `reboot` (off then on) or `status`.
 * Returns what an APC NMC CLI prints (`E000: Success` + outlet lines). Throws on unknown strip/outlet.
 */
export function stripOutlet(world: LabWorld, stripName: string, outlet: number | 'all', action: 'on' | 'off' | 'reboot' | 'status'): string {
  const strip = world.strips.get(stripName);
  if (!strip) throw new Error(`unknown power strip: ${stripName}`);
  const outlets = outlet === 'all' ? strip.outlets : strip.outlets.filter((o) => o.n === outlet);
  if (outlets.length === 0) throw new Error(`${stripName} has no outlet ${outlet} (outlets 1-${strip.outlets.length})`);
  const fed = (n: number) => [...world.machines.values()].filter((m) => m.outlet?.strip === stripName && m.outlet.outlet === n);
  for (const o of outlets) {
    if (action === 'off' || action === 'reboot') {
      if (o.on) {
        o.on = false;
        for (const m of fed(o.n)) acLost(world, m);
      }
    }
    if (action === 'on' || action === 'reboot') {
      if (!o.on) {
        o.on = true;
        for (const m of fed(o.n)) acRestored(world, m);
      }
    }
  }
  return `E000: Success\n${outlets.map((o) => ` ${o.n}: ${o.name}: ${o.on ? 'On' : 'Off'}`).join('\n')}\n`;
}

/** Brings boots, installs and scheduled shutdowns up to date with the lab clock. */
export function powerTicker(world: LabWorld): void {
  const now = world.now();
  for (const m of world.machines.values()) {
    for (let i = 0; i < 4; i++) {
      const e = extra(m);
      if (m.power === 'on' && m.boot === 'booting' && m.readyAt !== undefined && now >= m.readyAt) {
        finishBoot(world, m, m.readyAt);
      } else if (m.power === 'on' && m.boot === 'installing' && m.readyAt !== undefined && now >= m.readyAt) {
        const at = m.readyAt;
        reinstall(world, m);
        writeConsole(world, m, installDoneText());
        startBoot(world, m, at);
      } else if (e.pendingShutdown && now >= e.pendingShutdown.at) {
        const p = e.pendingShutdown;
        e.pendingShutdown = undefined;
        if (p.reboot) reboot(world, m);
        else shutdown(world, m);
      } else break;
    }
  }
}
