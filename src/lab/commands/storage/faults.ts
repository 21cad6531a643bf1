/** What a disk failure and a disk swap do to the storage state; called by the fault injector and the `hands` helper. */
import type { LabDisk, LabMachine } from '../../state.js';
import { consoleWrite } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { partName, splitPartName } from './devices.js';
import { bumpEvents } from './md.js';

/**
 * Make `dev` fail like a dying drive: I/O errors, md members on it marked faulty `(F)`, SMART health FAILED with
 * reallocated / pending / uncorrectable sectors, ZFS vdevs on it FAULTED (UNAVAIL when the disk is gone).
 * Kernel messages go to the serial console. Returns false when the machine has no such disk.
 */
export function failDisk(world: LabWorld, m: LabMachine, dev: string, opts: { gone?: boolean } = {}): boolean {
  const d = m.disks.find((x) => x.dev === dev);
  if (!d) return false;
  d.failed = true;
  d.smartPassed = false;
  d.smartRaw[5] = Math.max(d.smartRaw[5] ?? 0, 2872);
  d.smartRaw[187] = Math.max(d.smartRaw[187] ?? 0, 63);
  d.smartRaw[197] = Math.max(d.smartRaw[197] ?? 0, 184);
  d.smartRaw[198] = Math.max(d.smartRaw[198] ?? 0, 184);
  if (opts.gone) d.gone = true;
  const ata = `ata${d.bay + 1}`;
  const lines = [
    `[${uptime(world, m)}] ${ata}.00: exception Emask 0x0 SAct 0x1000 SErr 0x0 action 0x0`,
    `[${uptime(world, m)}] ${ata}.00: failed command: READ FPDMA QUEUED`,
    `[${uptime(world, m)}] blk_update_request: I/O error, dev ${dev}, sector 104376320 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0`,
  ];
  for (const a of m.md) {
    for (const mb of a.members) {
      if (splitPartName(mb.dev).disk !== dev || mb.state === 'faulty') continue;
      if (mb.state === 'rebuilding') delete a.recovery;
      mb.state = 'faulty';
      bumpEvents(a);
      const left = a.members.filter((x) => x.state === 'active').length;
      lines.push(`[${uptime(world, m)}] md/raid1:${a.name}: Disk failure on ${mb.dev}, disabling device.`);
      lines.push(`[${uptime(world, m)}] md/raid1:${a.name}: Operation continuing on ${left} devices.`);
    }
  }
  for (const p of m.zpools) {
    for (const v of p.vdevs) {
      for (const z of v.disks) {
        if (z.disk !== dev) continue;
        z.state = opts.gone ? 'UNAVAIL' : 'FAULTED';
        z.readErrors += 3;
        z.writeErrors += 127;
      }
    }
  }
  const text = lines.join('\n');
  consoleWrite(m, text);
  world.emit('console', m.name, text + '\n');
  return true;
}

function uptime(world: LabWorld, m: LabMachine): string {
  return ((world.now() - m.bootedAt) / 1000).toFixed(6).padStart(12, ' ');
}

/**
 * Pull the disk in `dev`'s bay and insert a blank one of the same size: new serial (and model when given), no
 * partition table, clean SMART. md members on the old disk drop out of their arrays (udev's `mdadm -If`), ZFS
 * vdevs on it become UNAVAIL. The new disk keeps the kernel name. Returns the new disk.
 */
export function replaceDisk(m: LabMachine, dev: string, newSerial: string, newModel?: string): LabDisk | undefined {
  const i = m.disks.findIndex((x) => x.dev === dev);
  const old = m.disks[i];
  if (!old) return undefined;
  const fresh: LabDisk = {
    dev, model: newModel ?? old.model, serial: newSerial, sizeBytes: old.sizeBytes, bay: old.bay, smartPassed: true,
    smartRaw: { 5: 0, 9: 0, 12: 1, 187: 0, 188: 0, 194: 29, 197: 0, 198: 0, 199: 0 },
  };
  if (old.wwn) fresh.wwn = `5${newSerial.split('').map((c) => c.charCodeAt(0).toString(16)).join('').padEnd(15, '0').slice(0, 15)}`;
  m.disks[i] = fresh;
  for (const a of m.md) {
    const before = a.members.length;
    a.members = a.members.filter((mb) => {
      if (splitPartName(mb.dev).disk !== dev) return true;
      if (mb.state === 'rebuilding') delete a.recovery;
      return false;
    });
    if (a.members.length !== before) bumpEvents(a);
  }
  for (const p of m.zpools) for (const v of p.vdevs) for (const z of v.disks) if (z.disk === dev) z.state = 'UNAVAIL';
  void partName;
  return fresh;
}
