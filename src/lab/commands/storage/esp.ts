/** ESP (vfat) and bootloader bookkeeping the shared state has no field for; used by grub-install and proxmox-boot-tool. */
import type { LabDisk, LabMachine, LabPartition } from '../../state.js';
import { isPve } from './devices.js';
import { EFI_TYPE, freshPartitions } from './gpt.js';

export const BOOT_UUIDS = '/etc/kernel/proxmox-boot-uuids';

/** vfat filesystems made by `proxmox-boot-tool format` on lab-created partitions. */
const vfat = new WeakMap<LabPartition, string>();
/** Disks the lab's grub-install wrote to (or that were replaced and not written yet). */
const bootloader = new WeakMap<LabDisk, boolean>();

/** vfat volume id of a partition, undefined when it holds no vfat. Original ESPs derive theirs from the PARTUUID. */
export function vfatUuid(p: LabPartition): string | undefined {
  const made = vfat.get(p);
  if (made) return made;
  if (freshPartitions.has(p) || p.type.toUpperCase() !== EFI_TYPE) return undefined;
  const hex = p.uuid.replace(/-/g, '').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}

export function makeVfat(p: LabPartition): string {
  const hex = Array.from({ length: 8 }, () => '0123456789ABCDEF'[Math.floor(Math.random() * 16)]).join('');
  const id = `${hex.slice(0, 4)}-${hex.slice(4)}`;
  vfat.set(p, id);
  return id;
}

/** Does the disk carry a boot loader (grub in the BIOS boot partition)? Original disks do; replaced disks only after grub-install. */
export function hasBootloader(d: LabDisk): boolean {
  const known = bootloader.get(d);
  if (known !== undefined) return known;
  return !!d.label && d.label.partitions.some((p) => !freshPartitions.has(p));
}

export function setBootloader(d: LabDisk, on: boolean): void {
  bootloader.set(d, on);
}

/** Find the partition holding a vfat volume id among present disks. */
export function partitionByVfat(m: LabMachine, id: string): { disk: LabDisk; part: LabPartition } | undefined {
  for (const disk of m.disks) {
    if (disk.gone) continue;
    for (const part of disk.label?.partitions ?? []) if (vfatUuid(part) === id) return { disk, part };
  }
  return undefined;
}

/** /etc/kernel/proxmox-boot-uuids as a list; on a PVE node without the file, it is seeded from the original ESPs. */
export function bootUuids(m: LabMachine): string[] | undefined {
  if (m.files[BOOT_UUIDS] === undefined && isPve(m)) {
    const ids: string[] = [];
    for (const d of m.disks) {
      if (d.gone) continue;
      for (const p of d.label?.partitions ?? []) {
        const id = p.type.toUpperCase() === EFI_TYPE ? vfatUuid(p) : undefined;
        if (id) ids.push(id);
      }
    }
    if (ids.length) m.files[BOOT_UUIDS] = ids.map((x) => `${x}\n`).join('');
  }
  const f = m.files[BOOT_UUIDS];
  if (f === undefined) return undefined;
  return f.split('\n').map((l) => l.trim()).filter(Boolean);
}

export function uefiBooted(m: LabMachine): boolean {
  return Object.keys(m.files).some((k) => k.startsWith('/sys/firmware/efi'));
}
