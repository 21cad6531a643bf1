/**
 * The hands of the people in the datacentre: what a volunteer can do to the hardware.
 * Each action returns what they would report back (one or a few lines).
 */
import { cryptoRng, diskSerial } from './hardware.js';
import { replaceDisk } from './commands/storage/index.js';
import { extra } from './machine-extra.js';
import { bootable, crash, hasAc, machineOf, powerOff, powerOn, setUnplugged, softOff } from './power.js';
import type { LabMachine } from './state.js';
import { vrrpTicker } from './vrrp.js';
import type { LabWorld } from './world.js';

export interface HandsInfo {
  name: string;
  args: string;
  description: string;
}

export const HANDS: HandsInfo[] = [
  { name: 'look', args: 'MACHINE', description: 'Read the front panel: power and status LEDs, disk bays with their labels and LEDs.' },
  { name: 'swap-disk', args: 'MACHINE DEV', description: 'Pull the disk DEV from its bay and insert a new blank disk of the same model in that bay (prints the new serial).' },
  { name: 'press-power', args: 'MACHINE', description: 'Short press of the power button: on when off, ACPI shutdown when a running OS handles it.' },
  { name: 'hold-power', args: 'MACHINE', description: 'Hold the power button 5 seconds: hard power off.' },
  { name: 'replug-cable', args: 'MACHINE', description: 'Reseat the network cable of the machine\'s main port.' },
  { name: 'plug-power', args: 'MACHINE', description: 'Plug the power cable back in.' },
  { name: 'unplug-power', args: 'MACHINE', description: 'Pull the power cable out (host and BMC lose power).' },
];

function swapDisk(world: LabWorld, m: LabMachine, dev: string | undefined): string {
  if (!dev) throw new Error('swap-disk needs MACHINE DEV');
  const name = dev.replace(/^\/dev\//, '');
  const idx = m.disks.findIndex((d) => d.dev === name && !d.gone);
  if (idx < 0) throw new Error(`${m.name} has no disk ${name} (disks: ${m.disks.map((d) => `${d.dev} in bay ${d.bay}`).join(', ') || 'none'})`);
  const old = m.disks[idx];
  const serial = diskSerial(old.model, cryptoRng());
  // The storage module owns what a pulled disk does to md (members drop out) and ZFS (UNAVAIL).
  const fresh = replaceDisk(m, old.dev, serial)!;
  const wasHealthy = !old.failed;
  let after = '';
  if (m.power === 'on' && m.boot === 'up' && !bootable(m)) {
    crash(world, m, 'Attempted to kill init! exitcode=0x00000007');
    vrrpTicker(world);
    after = ` ${m.name} lost its root filesystem and crashed.`;
  }
  const warn = wasHealthy ? ` Careful: the disk pulled (${old.serial}) was healthy.` : '';
  // the last line is what the volunteer reads out for the runbook's question
  return `Pulled ${old.dev} (${old.model}, serial ${old.serial}) from bay ${old.bay} of ${m.name}; inserted a new blank ${fresh.model}, serial ${fresh.serial}.${warn}${after}\nserial: ${fresh.serial}`;
}

function pressPower(world: LabWorld, m: LabMachine): string {
  if (m.power === 'off') {
    if (!hasAc(world, m)) return `Nothing happens: no power reaches ${m.name} (check the power cable and the strip outlet).`;
    powerOn(world, m);
    extra(m).lastPowerEvent = 'power-button';
    return `${m.name}: power LED on, fans spin up; it is booting.`;
  }
  const before = m.boot;
  if (softOff(world, m)) {
    extra(m).lastPowerEvent = 'power-button';
    return before === 'up' ? `${m.name}: the OS shuts down cleanly; power LED off.` : `${m.name}: power LED off.`;
  }
  return `${m.name}: nothing happens (the machine does not react to a short press: ${before}). Hold the button to force it off.`;
}

function holdPower(world: LabWorld, m: LabMachine): string {
  if (m.power === 'off') return `${m.name} is already off.`;
  powerOff(world, m);
  extra(m).lastPowerEvent = 'power-button';
  vrrpTicker(world);
  return `${m.name}: forced off after 5 seconds; power LED off.`;
}

function replugCable(world: LabWorld, m: LabMachine): string {
  const e = extra(m);
  if (!m.networkDown) return `${m.name}: cable reseated; link LED was already on.`;
  const iface = m.ifaces.find((i) => i.name === e.netIface);
  if (iface) iface.up = true;
  m.networkDown = false;
  e.netCause = undefined;
  e.netIface = undefined;
  vrrpTicker(world);
  return `${m.name}: cable reseated; link LED is green again.`;
}

function plugPower(world: LabWorld, m: LabMachine): string {
  if (!setUnplugged(world, m, false)) return `${m.name}: the power cable was already plugged in.`;
  const outletOff = m.outlet && !hasAc(world, m);
  if (outletOff) return `${m.name}: cable plugged in, but outlet ${m.outlet!.outlet} on ${m.outlet!.strip} is off.`;
  return `${m.name}: power cable plugged in; ${m.power === 'on' ? 'it powers on by itself (restore policy).' : m.bmc ? 'BMC LED on, host stays off.' : 'standby LED on.'}`;
}

function unplugPower(world: LabWorld, m: LabMachine): string {
  if (!setUnplugged(world, m, true)) return `${m.name}: the power cable was already out.`;
  vrrpTicker(world);
  return `${m.name}: power cable pulled; everything is dark.`;
}

function look(world: LabWorld, m: LabMachine): string {
  const ac = hasAc(world, m);
  const fault = m.disks.some((d) => d.failed) || m.boot === 'panic';
  const lines = [
    `${m.name} (${m.hardware.vendor} ${m.hardware.model}, serial ${m.hardware.serial}) in ${m.site} rack ${m.rack}:`,
    `  power LED: ${m.power === 'on' ? 'on' : ac ? 'off (standby)' : 'off, no power'}; status LED: ${!ac || m.power === 'off' ? 'off' : fault ? 'amber, blinking' : 'blue'}`,
    `  network: ${m.networkDown ? 'link LED off' : 'link LED green'}`,
  ];
  for (const d of [...m.disks].sort((a, b) => a.bay - b.bay)) {
    const led = d.failed ? 'fault LED amber' : d.locateLed ? 'locate LED blinking' : 'activity LED';
    lines.push(`  bay ${d.bay}: ${d.model}, label serial ${d.serial} (${led})`);
  }
  return lines.join('\n');
}

/** Do `action` on `machine` with `args` (e.g. ['sdb']). Throws a clear Error on unknown action or machine. */
export function doHands(world: LabWorld, action: string, machine: string, args: string[] = []): string {
  world.advance();
  if (!HANDS.some((h) => h.name === action)) throw new Error(`unknown action: ${action} (actions: ${HANDS.map((h) => h.name).join(', ')})`);
  const m = machineOf(world, machine);
  switch (action) {
    case 'look': return look(world, m);
    case 'swap-disk': return swapDisk(world, m, args[0]);
    case 'press-power': return pressPower(world, m);
    case 'hold-power': return holdPower(world, m);
    case 'replug-cable': return replugCable(world, m);
    case 'plug-power': return plugPower(world, m);
    case 'unplug-power': return unplugPower(world, m);
    default: throw new Error(`unknown action: ${action}`);
  }
}
