/** Block-device naming shared by the storage commands: /dev paths, partitions, major:minor, by-id names. */
import type { LabDisk, LabMachine, LabPartition } from '../../state.js';
import { randomUUID } from 'node:crypto';

/** `/dev/sdb2` → `sdb2`; `/dev/disk/by-id/ata-X` → `ata-X`; other strings unchanged. */
export function stripDev(path: string): string {
  if (path.startsWith('/dev/disk/by-id/')) return path.slice('/dev/disk/by-id/'.length);
  if (path.startsWith('/dev/')) return path.slice('/dev/'.length);
  return path;
}

/** Split a kernel partition name: `sdb2` → [`sdb`, 2], `nvme0n1p3` → [`nvme0n1`, 3]; a whole disk gives n = 0. */
export function splitPartName(name: string): { disk: string; n: number } {
  const nv = /^(nvme\d+n\d+)(?:p(\d+))?$/.exec(name);
  if (nv) return { disk: nv[1]!, n: nv[2] ? Number(nv[2]) : 0 };
  const sd = /^([a-z]+?[a-z])(\d*)$/.exec(name);
  if (sd) return { disk: sd[1]!, n: sd[2] ? Number(sd[2]) : 0 };
  return { disk: name, n: 0 };
}

export function partName(disk: string, n: number): string {
  return /\d$/.test(disk) ? `${disk}p${n}` : `${disk}${n}`;
}

/** A disk that is physically present (not pulled). */
export function presentDisk(m: LabMachine, dev: string): LabDisk | undefined {
  return m.disks.find((d) => d.dev === dev && !d.gone);
}

/** by-id stem as udev builds it: `ata-SAMSUNG_MZ7LH480HAHQ-00005_S45PNA0M123456`. */
export function byIdName(d: LabDisk): string {
  const bus = d.dev.startsWith('nvme') ? 'nvme' : 'ata';
  return `${bus}-${d.model.trim().replace(/\s+/g, '_')}_${d.serial}`;
}

export interface ResolvedBlock {
  disk: LabDisk;
  /** undefined for the whole disk. */
  part?: LabPartition;
  /** Kernel name: `sdb2`. */
  name: string;
}

/**
 * Resolve a path as a user types it (`/dev/sdb2`, `sdb`, `/dev/disk/by-id/ata-…-part3`) to a present
 * disk and optionally one of its partitions. undefined when no such block device exists.
 */
export function resolveBlock(m: LabMachine, path: string): ResolvedBlock | undefined {
  const s = stripDev(path);
  for (const d of m.disks) {
    if (d.gone) continue;
    const id = byIdName(d);
    if (s === id || s === `wwn-${d.wwn ?? ''}`) return { disk: d, name: d.dev };
    const pm = new RegExp(`^${escapeRe(id)}-part(\\d+)$`).exec(s);
    if (pm) {
      const part = d.label?.partitions.find((p) => p.n === Number(pm[1]));
      return part ? { disk: d, part, name: partName(d.dev, part.n) } : undefined;
    }
  }
  const { disk, n } = splitPartName(s);
  const d = presentDisk(m, disk);
  if (!d) return undefined;
  if (n === 0) return s === d.dev ? { disk: d, name: d.dev } : undefined;
  const part = d.label?.partitions.find((p) => p.n === n);
  return part ? { disk: d, part, name: partName(d.dev, n) } : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Linux major:minor for sd/nvme disks and partitions (sda 8:0, sdb2 8:18, sdq 65:0). */
export function majMin(m: LabMachine, name: string): [number, number] {
  const { disk, n } = splitPartName(name);
  if (disk.startsWith('nvme')) {
    const idx = m.disks.filter((d) => d.dev.startsWith('nvme')).findIndex((d) => d.dev === disk);
    return [259, Math.max(idx, 0) * 8 + n];
  }
  const letters = disk.replace(/^sd/, '');
  let idx = 0;
  for (const c of letters) idx = idx * 26 + (c.charCodeAt(0) - 96);
  idx -= 1;
  const majors = [8, 65, 66, 67, 68, 69, 70, 71];
  return [majors[Math.floor(idx / 16)] ?? 8, (idx % 16) * 16 + n];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C `ctime()` in UTC without the newline: `Thu Nov 21 03:20:11 2024`. */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `HH:MM:SS` (hours not wrapped). */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
}

/** Random upper-case GUID (crypto-quality not needed, only uniqueness). */
export function randomGuid(): string {
  return randomUUID().toUpperCase();
}

/** Sectors of 512 bytes a disk holds. */
export function diskSectors(d: LabDisk): number {
  return Math.floor(d.sizeBytes / 512);
}

/** Solid-state disk, judged from the model string (no field in the state). */
export function isSsd(d: LabDisk): boolean {
  return d.dev.startsWith('nvme') || /SSD|MZ7|MZ-|Micron|INTEL SSD|PM8|SSDSC|CT\d+MX|KINGSTON|NVMe/i.test(d.model);
}

/** Kernel release of the lab machine: /proc/sys/kernel/osrelease when present, else Debian 12 / PVE 8 defaults. */
export function kernelRelease(m: LabMachine): string {
  const f = m.files['/proc/sys/kernel/osrelease'];
  if (f?.trim()) return f.trim();
  return isPve(m) ? '6.8.12-4-pve' : '6.1.0-27-amd64';
}

export function isPve(m: LabMachine): boolean {
  return m.cluster !== undefined || m.roles.some((r) => /pve|proxmox|hypervisor/i.test(r));
}
