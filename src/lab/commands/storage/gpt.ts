/** GPT partition types and label helpers shared by sfdisk, sgdisk, lsblk and the boot tools. */
import type { LabDisk, LabPartition } from '../../state.js';
import { diskSectors } from './devices.js';

export interface GptType {
  guid: string;
  /** sgdisk hex code. */
  code: string;
  /** Name as sgdisk prints it. */
  sgdisk: string;
  /** Name as sfdisk/fdisk print it. */
  fdisk: string;
}

export const GPT_TYPES: GptType[] = [
  { guid: '21686148-6449-6E6F-744E-656564454649', code: 'EF02', sgdisk: 'BIOS boot partition', fdisk: 'BIOS boot' },
  { guid: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', code: 'EF00', sgdisk: 'EFI system partition', fdisk: 'EFI System' },
  { guid: 'A19D880F-05FC-4D3B-A006-743F0F84911E', code: 'FD00', sgdisk: 'Linux RAID', fdisk: 'Linux RAID' },
  { guid: '6A898CC3-1DD2-11B2-99A6-080020112233', code: 'BF01', sgdisk: 'Solaris /usr & Mac ZFS', fdisk: 'Solaris /usr & Apple ZFS' },
  { guid: '0FC63DAF-8483-4772-8E79-3D69D8477DE4', code: '8300', sgdisk: 'Linux filesystem', fdisk: 'Linux filesystem' },
  { guid: '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F', code: '8200', sgdisk: 'Linux swap', fdisk: 'Linux swap' },
  { guid: 'E6D6D379-F507-44C2-A23C-238F2A3DF928', code: '8E00', sgdisk: 'Linux LVM', fdisk: 'Linux LVM' },
];

export function gptType(guid: string): GptType | undefined {
  return GPT_TYPES.find((t) => t.guid === guid.toUpperCase());
}

export const EFI_TYPE = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const BIOS_BOOT_TYPE = '21686148-6449-6E6F-744E-656564454649';

/** First and last usable LBA of a standard GPT (128 entries) on this disk. */
export function usableLbas(d: LabDisk): { first: number; last: number } {
  return { first: 34, last: diskSectors(d) - 34 };
}

export function cloneParts(parts: LabPartition[]): LabPartition[] {
  return parts.map((p) => ({ ...p }));
}

/** Partitions created by the lab's sfdisk/sgdisk on a blank disk: they hold no filesystem yet. */
export const freshPartitions = new WeakSet<LabPartition>();

/** fdisk-style size: `1007K`, `1G`, `446.1G`. */
export function fdiskSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${bytes}B`;
  const r = Math.round(v * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}${units[i]}`;
}
