/**
 * Realistic hardware facts for lab machines: disk models and serials, sizes, GPT layouts,
 * md arrays, ZFS pools, BMC sensors. Deterministic when given a seeded random source.
 */
import { randomBytes } from 'node:crypto';
import type { LabDisk, LabMachine, LabPartition, MdArray, Sensor, ZPool } from './state.js';

/** A random source in [0, 1). */
export type Rng = () => number;

/** A deterministic random source (mulberry32 seeded by an FNV-1a hash of `seed`). */
export function seededRng(seed: string): Rng {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A truly random source, for things that must differ on every run (reinstall). */
export function cryptoRng(): Rng {
  return () => randomBytes(4).readUInt32BE(0) / 4294967296;
}

const HEX = '0123456789ABCDEF';
const DIGITS = '0123456789';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export function pick(rng: Rng, chars: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(rng() * chars.length)];
  return s;
}

/** GPT GUID, uppercase as sgdisk prints it. */
export function guid(rng: Rng): string {
  const h = pick(rng, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-A${h.slice(17, 20)}-${h.slice(20)}`;
}

/** md UUID as mdadm --detail prints it: `3f1c2a9e:0b7d4c12:9e8f7a6b:5c4d3e2f`. */
export function mdUuid(rng: Rng): string {
  const h = pick(rng, HEX, 32).toLowerCase();
  return `${h.slice(0, 8)}:${h.slice(8, 16)}:${h.slice(16, 24)}:${h.slice(24)}`;
}

export const GPT_TYPE = {
  bios: '21686148-6449-6E6F-744E-656564454649',
  esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  raid: 'A19D880F-05FC-4D3B-A006-743F0F84911E',
  zfs: '6A898CC3-1DD2-11B2-99A6-080020736631',
  linux: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
} as const;

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, p: 1e15, pb: 1e15,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, pib: 2 ** 50,
};

export const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgtp]i?b?|b)?$/i;

/** `500G`, `4T` (decimal, as disks are sold), `8GiB`, or a byte count. Undefined when unreadable. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  const m = SIZE_RE.exec(v.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? '').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** Memory sizes are binary: `32G` → 32 GiB. */
export function parseMem(v: string | number): number | undefined {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt])(i?b)?$/i.exec(v.trim());
  if (!m) return parseSize(v);
  const exp = { k: 10, m: 20, g: 30, t: 40 }[m[2].toLowerCase() as 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * 2 ** exp);
}

/** Real capacity of a disk sold as `bytes` (IDEMA LBA1-03 for sizes ≥ 50 GB). */
export function diskCapacity(bytes: number): number {
  const gb = bytes / 1e9;
  if (gb < 50 || !Number.isInteger(Math.round(gb * 1000) / 1000)) return Math.floor(bytes / 4096) * 4096;
  return (97696368 + 1953504 * (Math.round(gb) - 50)) * 512;
}

interface ModelInfo {
  /** Default size when none is given. */
  size: string;
  serial: (rng: Rng) => string;
  rotational: boolean;
}

/** Known disk models and their serial patterns. */
export const DISK_MODELS: Record<string, ModelInfo> = {
  'Samsung SSD 870 EVO 500GB': { size: '500G', rotational: false, serial: (r) => `S62BNJ0R${pick(r, DIGITS, 6)}${pick(r, 'ABCDEFHJKLMNPRTVWXYZ', 1)}` },
  'SAMSUNG MZ7L3960HCJR-00A07': { size: '960G', rotational: false, serial: (r) => `S664NE0T${pick(r, DIGITS, 6)}` },
  'INTEL SSDSC2KB480G8': { size: '480G', rotational: false, serial: (r) => `PHYF${pick(r, DIGITS, 4)}0${pick(r, DIGITS, 2)}${pick(r, 'ABCDEFGHJK', 1)}480BGN` },
  'Micron_5300_MTFDDAK480TDS': { size: '480G', rotational: false, serial: (r) => `2${pick(r, DIGITS, 3)}${pick(r, HEX, 8)}` },
  'KINGSTON SA400S37240G': { size: '240G', rotational: false, serial: (r) => `50026B77${pick(r, HEX, 8)}` },
  'WDC WD80EFZZ-68BTXN0': { size: '8T', rotational: true, serial: (r) => `WD-CA${pick(r, ALNUM, 6)}` },
  'ST8000NM017B-2TJ103': { size: '8T', rotational: true, serial: (r) => `WRQ${pick(r, ALNUM, 5)}` },
  'ST4000NM002A-2HZ101': { size: '4T', rotational: true, serial: (r) => `WJG${pick(r, ALNUM, 5)}` },
};

export function diskSerial(model: string, rng: Rng): string {
  const info = DISK_MODELS[model];
  return info ? info.serial(rng) : `${pick(rng, ALNUM, 4)}${pick(rng, DIGITS, 8)}`;
}

export function isRotational(model: string): boolean {
  return DISK_MODELS[model]?.rotational ?? /^(ST|WDC|HGST|TOSHIBA)/.test(model);
}

export function defaultSmart(rng: Rng, model: string): Record<number, number> {
  return {
    5: 0, 9: 8000 + Math.floor(rng() * 30000), 187: 0, 188: 0,
    194: (isRotational(model) ? 33 : 29) + Math.floor(rng() * 6), 197: 0, 198: 0, 199: 0,
  };
}

export function makeDisk(dev: string, model: string, rng: Rng, opts: { serial?: string; size?: string | number; bay: number }): LabDisk {
  const nominal = parseSize(opts.size ?? DISK_MODELS[model]?.size ?? '500G') ?? 500e9;
  const serial = opts.serial ?? diskSerial(model, rng);
  return {
    dev, model, serial,
    wwn: `0x5${pick(rng, HEX, 15).toLowerCase()}`,
    sizeBytes: diskCapacity(nominal),
    bay: opts.bay,
    smartPassed: true,
    smartRaw: defaultSmart(rng, model),
  };
}

/** How a machine's disks are laid out. */
export type Layout =
  /** 2 disks: p1 ESP, p2 md0 (/), p3 md1 (/srv). */
  | 'raid1'
  /** 4 disks: sda/sdb p1 ESP, p2 md0 (/); sdc/sdd p1 md1 (/srv). */
  | 'raid1-split'
  /** Proxmox: p1 BIOS boot, p2 ESP, p3 ZFS rpool mirror. */
  | 'zfs-mirror'
  /** No disks (switch, strip). */
  | 'none';

const SECTOR = 512;
const MIB = 2048; // sectors

function lastUsable(disk: LabDisk): number {
  return Math.floor((disk.sizeBytes / SECTOR - 34) / MIB) * MIB - 1;
}

function part(rng: Rng, n: number, start: number, end: number, type: string, name?: string): LabPartition {
  return { n, startSector: start, sizeSectors: end - start + 1, type, uuid: guid(rng), ...(name ? { name } : {}) };
}

/** A fresh GPT label for `disk` following `layout` (role = the disk's place in the layout). */
export function labelFor(disk: LabDisk, layout: Layout, index: number, rng: Rng): LabDisk['label'] {
  const end = lastUsable(disk);
  const parts: LabPartition[] = [];
  if (layout === 'zfs-mirror') {
    parts.push(part(rng, 1, 34, 2047, GPT_TYPE.bios));
    parts.push(part(rng, 2, 2048, 2048 + 1024 * MIB - 1, GPT_TYPE.esp));
    parts.push(part(rng, 3, 2048 + 1024 * MIB, end, GPT_TYPE.zfs));
  } else if (layout === 'raid1-split' && index >= 2) {
    parts.push(part(rng, 1, MIB, end, GPT_TYPE.raid));
  } else if (layout === 'raid1' || layout === 'raid1-split') {
    const espEnd = MIB + 512 * MIB - 1;
    if (layout === 'raid1-split') {
      parts.push(part(rng, 1, MIB, espEnd, GPT_TYPE.esp));
      parts.push(part(rng, 2, espEnd + 1, end, GPT_TYPE.raid));
    } else {
      const rootSectors = Math.min(50 * 1024 * MIB, Math.floor((end - espEnd) / 4 / MIB) * MIB);
      parts.push(part(rng, 1, MIB, espEnd, GPT_TYPE.esp));
      parts.push(part(rng, 2, espEnd + 1, espEnd + rootSectors, GPT_TYPE.raid));
      parts.push(part(rng, 3, espEnd + rootSectors + 1, end, GPT_TYPE.raid));
    }
  } else return undefined;
  return { id: guid(rng), partitions: parts };
}

/** md 1.2 data offset in sectors for a member of this size. */
function dataOffset(sectors: number): number {
  return sectors > 200 * 1024 * MIB ? 264192 : 32768;
}

function mdFrom(name: string, members: { dev: string; sectors: number }[], rng: Rng, now: number): MdArray {
  const min = Math.min(...members.map((m) => m.sectors));
  return {
    name, level: 'raid1', raidDisks: 2, uuid: mdUuid(rng), createdAt: now,
    blocks: Math.floor((min - dataOffset(min)) / 2),
    members: members.map((m, i) => ({ dev: m.dev, slot: i, state: 'active' as const })),
  };
}

/** md arrays for disks already labelled with `layout`. Disks without a label are skipped. */
export function mdArraysFor(disks: LabDisk[], layout: Layout, rng: Rng, now: number): MdArray[] {
  const labelled = disks.filter((d) => d.label && !d.gone);
  const member = (d: LabDisk, n: number) => {
    const p = d.label!.partitions.find((x) => x.n === n);
    return p ? [{ dev: `${d.dev}${n}`, sectors: p.sizeSectors }] : [];
  };
  if (layout === 'raid1') {
    const two = labelled.slice(0, 2);
    return [
      mdFrom('md0', two.flatMap((d) => member(d, 2)), rng, now),
      mdFrom('md1', two.flatMap((d) => member(d, 3)), rng, now),
    ].filter((a) => a.members.length > 0);
  }
  if (layout === 'raid1-split') {
    const sys = labelled.filter((d) => d.label!.partitions.length > 1).slice(0, 2);
    const data = labelled.filter((d) => d.label!.partitions.length === 1).slice(0, 2);
    return [
      mdFrom('md0', sys.flatMap((d) => member(d, 2)), rng, now),
      mdFrom('md1', data.flatMap((d) => member(d, 1)), rng, now),
    ].filter((a) => a.members.length > 0);
  }
  return [];
}

/** `/dev/disk/by-id` name as zpool status prints it. */
export function byIdName(d: LabDisk, part?: number): string {
  return `ata-${d.model.replace(/\s+/g, '_')}_${d.serial}${part ? `-part${part}` : ''}`;
}

export function rpoolFor(disks: LabDisk[], rng: Rng, usedFraction: number): ZPool[] {
  const members = disks.filter((d) => d.label && !d.gone).slice(0, 2);
  if (members.length === 0) return [];
  const p3 = Math.min(...members.map((d) => d.label!.partitions.find((p) => p.n === 3)?.sizeSectors ?? 0));
  const sizeBytes = Math.floor((p3 * SECTOR * 0.992) / 2 ** 30) * 2 ** 30;
  return [{
    name: 'rpool', sizeBytes, allocBytes: Math.floor(sizeBytes * usedFraction),
    vdevs: [{
      name: 'mirror-0', type: 'mirror',
      disks: members.map((d) => ({ name: byIdName(d, 3), disk: d.dev, state: 'ONLINE' as const, readErrors: 0, writeErrors: 0, cksumErrors: 0 })),
    }],
    lastScrub: undefined,
  }];
}

/** Threshold sensors a BMC of this machine reports. */
export function defaultSensors(rng: Rng, rotationalDisks: boolean): Sensor[] {
  const j = (base: number, spread: number) => Math.round((base + rng() * spread) * 1000) / 1000;
  return [
    { name: 'CPU Temp', value: j(38, 8), unit: 'degrees C', status: 'ok', unc: 85, ucr: 90 },
    { name: 'System Temp', value: j(27, 4), unit: 'degrees C', status: 'ok', unc: 80, ucr: 85 },
    { name: 'Inlet Temp', value: j(21, 3), unit: 'degrees C', status: 'ok', unc: 42, ucr: 47 },
    ...(rotationalDisks ? [{ name: 'HDD Temp', value: j(33, 4), unit: 'degrees C', status: 'ok' as const, unc: 55, ucr: 60 }] : []),
    { name: 'FAN1', value: 4200 + Math.round(rng() * 8) * 100, unit: 'RPM', status: 'ok', lcr: 700, lnc: 900 },
    { name: 'FAN2', value: 4200 + Math.round(rng() * 8) * 100, unit: 'RPM', status: 'ok', lcr: 700, lnc: 900 },
    { name: '12V', value: j(12.0, 0.2), unit: 'Volts', status: 'ok', lcr: 10.8, lnc: 11.2, unc: 12.8, ucr: 13.2 },
    { name: '5VCC', value: j(5.0, 0.06), unit: 'Volts', status: 'ok', lcr: 4.5, lnc: 4.7, unc: 5.3, ucr: 5.5 },
    { name: '3.3VCC', value: j(3.29, 0.04), unit: 'Volts', status: 'ok', lcr: 2.97, lnc: 3.07, unc: 3.53, ucr: 3.63 },
  ];
}

const MAC_OUI: Record<string, string> = { 'Dell Inc.': 'b0:26:28', Supermicro: '3c:ec:ef', 'PC Engines': '00:0d:b9' };

export function macFor(vendor: string, rng: Rng): string {
  const oui = MAC_OUI[vendor] ?? '52:54:00';
  return `${oui}:${pick(rng, HEX, 2)}:${pick(rng, HEX, 2)}:${pick(rng, HEX, 2)}`.toLowerCase();
}

export function hardwareSerial(vendor: string, rng: Rng): string {
  if (vendor === 'Dell Inc.') return pick(rng, ALNUM, 7);
  if (vendor === 'Supermicro') return `S${pick(rng, DIGITS, 6)}X${pick(rng, DIGITS, 1)}${pick(rng, ALNUM, 1)}${pick(rng, DIGITS, 5)}`;
  if (vendor === 'PC Engines') return pick(rng, DIGITS, 7);
  return pick(rng, ALNUM, 10);
}

/** What a machine is, from its roles: decides layouts, services, console texts. */
export type MachineKind = 'pve' | 'switch' | 'pdu' | 'debian';

export function machineKind(m: Pick<LabMachine, 'roles'>): MachineKind {
  const r = m.roles;
  if (r.some((x) => x === 'proxmox' || x === 'pve' || x === 'hypervisor')) return 'pve';
  if (r.includes('switch')) return 'switch';
  if (r.some((x) => x === 'pdu' || x === 'power-strip' || x === 'strip')) return 'pdu';
  return 'debian';
}

/** Services every installed machine of this kind runs. */
export function baseServices(kind: MachineKind): string[] {
  const debian = ['ssh', 'cron', 'rsyslog', 'systemd-timesyncd'];
  if (kind === 'pve') {
    return [...debian, 'pve-cluster', 'pvedaemon', 'pveproxy', 'pvestatd', 'pve-firewall', 'pve-ha-lrm', 'pve-ha-crm', 'corosync', 'zfs-zed', 'smartmontools'];
  }
  if (kind === 'debian') return [...debian, 'mdmonitor', 'smartmontools'];
  return [];
}
