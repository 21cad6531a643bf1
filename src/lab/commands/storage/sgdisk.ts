/** `sgdisk` (gdisk 1.0.9): -p, -R/--replicate, -G/--randomize-guids, -Z/--zap-all. */
import type { CmdContext } from '../../shell/types.js';
import type { LabDisk } from '../../state.js';
import { diskSectors, presentDisk, randomGuid, stripDev } from './devices.js';
import { cloneParts, freshPartitions, gptType, usableLbas } from './gpt.js';
import { diskInUse } from './usage.js';

const OK = 'The operation has completed successfully.\n';
const KERNEL_BUSY = 'Warning: The kernel is still using the old partition table.\nThe new table will be used at the next reboot or after you\nrun partprobe(8) or kpartx(8)\n';

/** gdisk's size wording: `1007.0 KiB`, `1024.0 MiB`, `446.1 GiB`. */
function gdiskSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v > 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

export function sgdiskPrint(d: LabDisk): string {
  const { first, last } = usableLbas(d);
  const parts = [...(d.label?.partitions ?? [])].sort((a, b) => a.n - b.n);
  const used = parts.reduce((s, p) => s + p.sizeSectors, 0);
  const free = last - first + 1 - used;
  let s = d.label ? '' : 'Creating new GPT entries in memory.\n';
  s += `Disk /dev/${d.dev}: ${diskSectors(d)} sectors, ${gdiskSize(d.sizeBytes)}\n`;
  s += `Model: ${d.model.slice(0, 16)}\n`;
  s += 'Sector size (logical/physical): 512/512 bytes\n';
  s += `Disk identifier (GUID): ${d.label?.id ?? randomGuid()}\n`;
  s += 'Partition table holds up to 128 entries\n';
  s += 'Main partition table begins at sector 2 and ends at sector 33\n';
  s += `First usable sector is ${first}, last usable sector is ${last}\n`;
  s += 'Partitions will be aligned on 2048-sector boundaries\n';
  s += `Total free space is ${free} sectors (${gdiskSize(free * 512)})\n\n`;
  s += 'Number  Start (sector)    End (sector)  Size       Code  Name\n';
  for (const p of parts) {
    const t = gptType(p.type);
    s += `${String(p.n).padStart(4)}  ${String(p.startSector).padStart(14)}  ${String(p.startSector + p.sizeSectors - 1).padStart(14)}   ${gdiskSize(p.sizeSectors * 512).padEnd(10)}  ${(t?.code ?? '8300').padEnd(4)}  ${p.name ?? ''}\n`;
  }
  return s;
}

interface Op { kind: 'print' | 'replicate' | 'randomize' | 'zap'; arg?: string }

export function sgdisk(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1);
  const ops: Op[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const withArg = (long: string, short: string): string | undefined => {
      if (a === long || a === short) return args[++i];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      if (a.startsWith(`${short}=`)) return a.slice(short.length + 1);
      if (a.startsWith(short) && a.length > short.length) return a.slice(short.length);
      return undefined;
    };
    if (a === '-p' || a === '--print') ops.push({ kind: 'print' });
    else if (a === '-G' || a === '--randomize-guids') ops.push({ kind: 'randomize' });
    else if (a === '-Z' || a === '--zap-all') ops.push({ kind: 'zap' });
    else if (a === '-R' || a.startsWith('-R') || a.startsWith('--replicate')) {
      const target = withArg('--replicate', '-R');
      if (!target) {
        ctx.err('sgdisk: option requires an argument -- R\n');
        return 1;
      }
      ops.push({ kind: 'replicate', arg: target });
    } else if (a.startsWith('-')) {
      ctx.err(`sgdisk: unknown option ${a}\n`);
      return 1;
    } else rest.push(a);
  }
  const path = rest[0];
  if (!path) {
    ctx.err('Usage: sgdisk [OPTION...] <device>\n');
    return 1;
  }
  const d = presentDisk(m, stripDev(path));
  if (!d) {
    ctx.out(`Problem opening ${path} for reading! Error is 2.\nThe specified file does not exist!\n`);
    return 2;
  }
  if (d.failed) {
    ctx.out(`Warning! Read error 5; strange behavior now likely!\nProblem reading ${path}! Error is 5.\n`);
    return 2;
  }
  for (const op of ops) {
    switch (op.kind) {
      case 'print':
        ctx.out(sgdiskPrint(d));
        break;
      case 'randomize':
        if (!d.label) {
          ctx.out('Creating new GPT entries in memory.\n');
          d.label = { id: randomGuid(), partitions: [] };
        }
        d.label.id = randomGuid();
        for (const p of d.label.partitions) p.uuid = randomGuid();
        if (diskInUse(m, d.dev)) ctx.out(KERNEL_BUSY);
        ctx.out(OK);
        break;
      case 'zap':
        if (diskInUse(m, d.dev)) ctx.out(KERNEL_BUSY);
        delete d.label;
        ctx.out('GPT data structures destroyed! You may now partition the disk using fdisk or\nother utilities.\n');
        break;
      case 'replicate': {
        const t = presentDisk(m, stripDev(op.arg!));
        if (!t) {
          ctx.out(`Problem opening ${op.arg} for reading! Error is 2.\nThe specified file does not exist!\n`);
          return 2;
        }
        if (t === d) {
          ctx.out('Replicating to the same disk makes no sense!\n');
          return 1;
        }
        const parts = cloneParts(d.label?.partitions ?? []);
        const last = usableLbas(t).last;
        const tooBig = parts.find((p) => p.startSector + p.sizeSectors - 1 > last);
        if (tooBig) {
          ctx.out(`Problem: partition ${tooBig.n} is too big for the disk.\nAborting write operation!\nAborting write of new partition table.\n`);
          return 4;
        }
        for (const p of parts) freshPartitions.add(p);
        t.label = { id: d.label?.id ?? randomGuid(), partitions: parts };
        if (diskInUse(m, t.dev)) ctx.out(KERNEL_BUSY);
        ctx.out(OK);
        break;
      }
    }
  }
  return 0;
}
