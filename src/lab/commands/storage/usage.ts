/** Is a disk (or one of its partitions) held by md or ZFS? Used by sfdisk's in-use check and sgdisk's warning. */
import type { LabMachine } from '../../state.js';
import { splitPartName } from './devices.js';

export function diskInUse(m: LabMachine, dev: string): boolean {
  for (const a of m.md) for (const mb of a.members) if (splitPartName(mb.dev).disk === dev) return true;
  for (const p of m.zpools) for (const v of p.vdevs) for (const d of v.disks) {
    if (d.disk === dev && d.state !== 'UNAVAIL' && d.state !== 'REMOVED') return true;
  }
  return false;
}
