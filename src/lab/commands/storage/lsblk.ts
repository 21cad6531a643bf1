/** `lsblk` (util-linux 2.38): tree, -o COLS, -d, -n, -l, -p, -b, -J; pulled (`gone`) disks are not listed. */
import type { CmdContext } from '../../shell/types.js';
import type { LabDisk, LabMachine, MdArray } from '../../state.js';
import { byIdName, isSsd, majMin, partName, presentDisk, stripDev } from './devices.js';
import { gptType } from './gpt.js';
import { mdMinor } from './md.js';

interface Node {
  name: string;
  majmin: string;
  sizeBytes: number;
  type: string;
  mountpoint: string | null;
  serial: string | null;
  model: string | null;
  wwn: string | null;
  fstype: string | null;
  parttype: string | null;
  partuuid: string | null;
  rota: boolean;
  tran: string | null;
  children: Node[];
}

const DEFAULT_COLS = ['NAME', 'MAJ:MIN', 'RM', 'SIZE', 'RO', 'TYPE', 'MOUNTPOINTS'];
const RIGHT = new Set(['RM', 'SIZE', 'RO', 'ROTA']);

/** Mount points of md arrays, from /etc/fstab when the machine has one, else the usual Debian layout. */
function mdMounts(m: LabMachine): Map<string, string> {
  const out = new Map<string, string>();
  const fstab = m.files['/etc/fstab'] ?? m.files['/proc/mounts'];
  if (fstab) {
    for (const line of fstab.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 2 && /^\/dev\/md\/?\d+$/.test(f[0]!)) out.set(f[0]!.replace(/^\/dev\/(md)\/?/, '$1'), f[1]!);
    }
    return out;
  }
  if (m.md.length === 0) return out;
  const bySize = [...m.md].sort((a, b) => b.blocks - a.blocks);
  out.set(bySize[0]!.name, '/');
  for (const a of bySize.slice(1)) if (a.blocks * 1024 <= 4 * 1024 ** 3) out.set(a.name, '/boot');
  return out;
}

function mdNode(m: LabMachine, a: MdArray, mounts: Map<string, string>): Node {
  return {
    name: a.name, majmin: `9:${mdMinor(a)}`, sizeBytes: a.blocks * 1024, type: a.level, mountpoint: mounts.get(a.name) ?? null,
    serial: null, model: null, wwn: null, fstype: 'ext4', parttype: null, partuuid: null,
    rota: false, tran: null, children: [],
  };
}

function diskNode(m: LabMachine, d: LabDisk, mounts: Map<string, string>, withChildren: boolean): Node {
  const [maj, min] = majMin(m, d.dev);
  const node: Node = {
    name: d.dev, majmin: `${maj}:${min}`, sizeBytes: d.sizeBytes, type: 'disk', mountpoint: null, serial: d.serial, model: d.model,
    wwn: d.wwn ?? null, fstype: null, parttype: null, partuuid: null, rota: !isSsd(d),
    tran: d.dev.startsWith('nvme') ? 'nvme' : 'sata', children: [],
  };
  if (!withChildren) return node;
  for (const p of [...(d.label?.partitions ?? [])].sort((a, b) => a.n - b.n)) {
    const name = partName(d.dev, p.n);
    const [pmaj, pmin] = majMin(m, name);
    const arrays = m.md.filter((a) => a.members.some((mb) => mb.dev === name));
    const inPool = m.zpools.some((pool) => pool.vdevs.some((v) => v.disks.some((z) => z.disk === d.dev && z.name.endsWith(`-part${p.n}`) || z.name === name)));
    const t = gptType(p.type);
    node.children.push({
      name, majmin: `${pmaj}:${pmin}`, sizeBytes: p.sizeSectors * 512, type: 'part', mountpoint: null, serial: null, model: null, wwn: null,
      fstype: arrays.length ? 'linux_raid_member' : inPool ? 'zfs_member' : t?.code === 'EF00' ? 'vfat' : null,
      parttype: p.type.toLowerCase(), partuuid: p.uuid.toLowerCase(), rota: node.rota, tran: null,
      children: arrays.map((a) => mdNode(m, a, mounts)),
    });
  }
  return node;
}

/** lsblk's size_to_human_string: `447.1G`, `1G`, `1007K`. */
export function lsblkSize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${bytes}B`;
  const r = Math.round(v * 10) / 10;
  return r === Math.floor(r) ? `${r}${units[i]}` : `${r.toFixed(1)}${units[i]}`;
}

function cell(n: Node, col: string, bytes: boolean, fullPath: boolean, json = false): string | boolean | null {
  switch (col) {
    case 'NAME': return fullPath ? `/dev/${n.name}` : n.name;
    case 'KNAME': return n.name;
    case 'PATH': return `/dev/${n.name}`;
    case 'MAJ:MIN': {
      const [maj, min] = n.majmin.split(':');
      return json ? n.majmin : `${maj!.padStart(3)}:${min!.padEnd(3)}`;
    }
    case 'RM': return false;
    case 'RO': return false;
    case 'SIZE': return bytes ? String(n.sizeBytes) : lsblkSize(n.sizeBytes);
    case 'TYPE': return n.type;
    case 'MOUNTPOINT':
    case 'MOUNTPOINTS': return n.mountpoint;
    case 'SERIAL': return n.serial;
    case 'MODEL': return n.model;
    case 'WWN': return n.wwn ? `0x${n.wwn.replace(/^0x/, '')}` : null;
    case 'FSTYPE': return n.fstype;
    case 'PARTTYPE': return n.parttype;
    case 'PARTUUID': return n.partuuid;
    case 'ROTA': return n.rota;
    case 'TRAN': return n.tran;
    default: return null;
  }
}

function text(v: string | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return v;
}

export function lsblk(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1);
  let cols = DEFAULT_COLS;
  let noHeader = false, disksOnly = false, json = false, list = false, bytes = false, fullPath = false, pairs = false;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') cols = (args[++i] ?? '').split(',').map((c) => c.toUpperCase());
    else if (a.startsWith('--output=')) cols = a.slice(9).split(',').map((c) => c.toUpperCase());
    else if (a.startsWith('-o') && a.length > 2) cols = a.slice(2).split(',').map((c) => c.toUpperCase());
    else if (a.startsWith('-') && !a.startsWith('--') && a.length > 1) {
      const flags = a.slice(1);
      for (let j = 0; j < flags.length; j++) {
        const f = flags[j]!;
        if (f === 'o') {
          // getopt: `-dno NAME,SERIAL` or `-doNAME`: the rest of the cluster, else the next argument
          const v = j + 1 < flags.length ? flags.slice(j + 1) : (args[++i] ?? '');
          cols = v.split(',').map((c) => c.toUpperCase());
          break;
        }
        if (f === 'n') noHeader = true;
        else if (f === 'd') disksOnly = true;
        else if (f === 'J') json = true;
        else if (f === 'l') list = true;
        else if (f === 'b') bytes = true;
        else if (f === 'p') fullPath = true;
        else if (f === 'P') pairs = true;
        else if (f === 'a' || f === 'i') continue;
        else {
          ctx.err(`lsblk: invalid option -- '${f}'\nTry 'lsblk --help' for more information.\n`);
          return 1;
        }
      }
    } else if (a === '--nodeps') disksOnly = true;
    else if (a === '--noheadings') noHeader = true;
    else if (a === '--json') json = true;
    else if (a === '--bytes') bytes = true;
    else if (a === '--list') list = true;
    else if (a === '--paths') fullPath = true;
    else if (a.startsWith('--')) {
      ctx.err(`lsblk: unrecognized option '${a}'\nTry 'lsblk --help' for more information.\n`);
      return 1;
    } else targets.push(a);
  }
  const known = new Set(['NAME', 'KNAME', 'PATH', 'MAJ:MIN', 'RM', 'RO', 'SIZE', 'TYPE', 'MOUNTPOINT', 'MOUNTPOINTS', 'SERIAL', 'MODEL', 'WWN', 'FSTYPE', 'PARTTYPE', 'PARTUUID', 'ROTA', 'TRAN']);
  const bad = cols.find((c) => !known.has(c));
  if (bad) {
    ctx.err(`lsblk: unknown column: ${bad}\n`);
    return 1;
  }
  const mounts = mdMounts(m);
  let disks = m.disks.filter((d) => !d.gone);
  let rc = 0;
  if (targets.length) {
    const found: LabDisk[] = [];
    for (const t of targets) {
      const d = presentDisk(m, stripDev(t)) ?? m.disks.find((x) => !x.gone && `/dev/disk/by-id/${byIdName(x)}` === t);
      if (!d) {
        ctx.err(`lsblk: ${t}: not a block device\n`);
        rc = 32;
      } else found.push(d);
    }
    if (found.length === 0) return 32;
    disks = found;
    rc = rc === 32 ? 64 : 0;
  }
  const roots = disks.map((d) => diskNode(m, d, mounts, !disksOnly));

  if (json) {
    const toJson = (n: Node): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (const c of cols) {
        const v = cell(n, c, bytes, fullPath, true);
        if (c === 'MOUNTPOINTS') o['mountpoints'] = [v];
        else if (c === 'SIZE' && bytes) o['size'] = n.sizeBytes;
        else o[c.toLowerCase()] = v;
      }
      if (!list && n.children.length) o['children'] = n.children.map(toJson);
      return o;
    };
    const flat: Node[] = [];
    const walk = (n: Node) => { flat.push(n); n.children.forEach(walk); };
    roots.forEach(walk);
    ctx.out(JSON.stringify({ blockdevices: list ? flat.map(toJson) : roots.map(toJson) }, null, 3) + '\n');
    return rc;
  }

  const rows: string[][] = [];
  const visit = (n: Node, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 || list ? '' : `${prefix}${last ? '└─' : '├─'}`;
    rows.push(cols.map((c) => (c === 'NAME' && !pairs ? branch : '') + text(cell(n, c, bytes, fullPath))));
    const childPrefix = depth === 0 || list ? '' : `${prefix}${last ? '  ' : '│ '}`;
    n.children.forEach((ch, i) => visit(ch, childPrefix, i === n.children.length - 1, depth + 1));
  };
  roots.forEach((r) => visit(r, '', true, 0));
  if (pairs) {
    for (const r of rows) ctx.out(cols.map((c, i) => `${c}="${r[i]}"`).join(' ') + '\n');
    return rc;
  }
  const header = cols.map((c) => (c === 'MOUNTPOINTS' ? 'MOUNTPOINTS' : c));
  const all = noHeader ? rows : [header, ...rows];
  const width = cols.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  for (const r of all) {
    const line = r.map((v, i) => {
      const pad = width[i]! - [...v].length;
      const col = cols[i]!;
      return RIGHT.has(col) ? ' '.repeat(pad) + v : i === r.length - 1 ? v : v + ' '.repeat(pad);
    }).join(' ');
    ctx.out(line.trimEnd() + '\n');
  }
  return rc;
}
