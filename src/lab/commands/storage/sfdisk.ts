/** `sfdisk -d DISK` (dump) and `sfdisk DISK < dump` (write a table from a script), util-linux 2.38 formats. */
import type { CmdContext } from '../../shell/types.js';
import type { LabDisk, LabMachine, LabPartition } from '../../state.js';
import { diskSectors, partName, presentDisk, randomGuid, stripDev } from './devices.js';
import { fdiskSize, freshPartitions, gptType, usableLbas } from './gpt.js';
import { diskInUse } from './usage.js';

export function sfdiskDump(d: LabDisk): string {
  if (!d.label) return '';
  const { first, last } = usableLbas(d);
  let s = `label: gpt\nlabel-id: ${d.label.id}\ndevice: /dev/${d.dev}\nunit: sectors\nfirst-lba: ${first}\nlast-lba: ${last}\nsector-size: 512\n\n`;
  for (const p of [...d.label.partitions].sort((x, y) => x.n - y.n)) {
    const name = p.name !== undefined ? `, name="${p.name}"` : '';
    s += `/dev/${partName(d.dev, p.n)} : start=${String(p.startSector).padStart(12)}, size=${String(p.sizeSectors).padStart(12)}, type=${p.type}, uuid=${p.uuid}${name}\n`;
  }
  return s;
}

/** Parse an sfdisk script: header lines and `[/dev/x :] start=…, size=…, type=…, uuid=…, name="…"` lines. */
export interface SfdiskScript {
  labelId?: string;
  label?: string;
  /** Header lines read (sfdisk echoes `>>> Script header accepted.` for each). */
  headers: number;
  parts: (Omit<LabPartition, 'n'> & { n?: number })[];
}

export function parseSfdiskScript(text: string): SfdiskScript | string {
  let headers = 0;
  let labelId: string | undefined;
  let label: string | undefined;
  const parts: (Omit<LabPartition, 'n'> & { n?: number })[] = [];
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const hdr = /^([a-z-]+):\s*(.*)$/.exec(line);
    if (hdr && !line.includes('=')) {
      if (hdr[1] === 'label-id') labelId = hdr[2]!.trim();
      if (hdr[1] === 'label') label = hdr[2]!.trim();
      headers++;
      continue;
    }
    const body = line.includes(' : ') ? line.slice(line.indexOf(' : ') + 3) : line;
    const dev = line.includes(' : ') ? line.slice(0, line.indexOf(' : ')).trim() : undefined;
    const fields: Record<string, string> = {};
    for (const m of body.matchAll(/([a-z-]+)\s*=\s*("([^"]*)"|[^,\s]+)/g)) fields[m[1]!] = m[3] ?? m[2]!;
    if (fields.start === undefined || fields.size === undefined) return `sfdisk: line ${lineNo}: unsupported command`;
    const n = dev ? Number(/(\d+)$/.exec(dev)?.[1]) : undefined;
    parts.push({
      n: n !== undefined && !Number.isNaN(n) ? n : undefined,
      startSector: Number(fields.start),
      sizeSectors: Number(fields.size),
      type: (fields.type ?? '0FC63DAF-8483-4772-8E79-3D69D8477DE4').toUpperCase(),
      uuid: (fields.uuid ?? randomGuid()).toUpperCase(),
      ...(fields.name !== undefined ? { name: fields.name } : {}),
    });
  }
  return { labelId, label, headers, parts };
}

function diskHeader(d: LabDisk): string {
  const gib = (d.sizeBytes / 1024 ** 3).toFixed(2);
  return `Disk /dev/${d.dev}: ${gib} GiB, ${d.sizeBytes} bytes, ${diskSectors(d)} sectors\nDisk model: ${d.model.slice(0, 16)}\nUnits: sectors of 1 * 512 = 512 bytes\nSector size (logical/physical): 512 bytes / 512 bytes\nI/O size (minimum/optimal): 512 bytes / 512 bytes\n`;
}

function situation(d: LabDisk): string {
  if (!d.label) return '';
  let s = `Disklabel type: gpt\nDisk identifier: ${d.label.id}\n\n`;
  const rows = d.label.partitions.map((p) => [
    `/dev/${partName(d.dev, p.n)}`, String(p.startSector), String(p.startSector + p.sizeSectors - 1), String(p.sizeSectors),
    fdiskSize(p.sizeSectors * 512), gptType(p.type)?.fdisk ?? p.type,
  ]);
  const head = ['Device', 'Start', 'End', 'Sectors', 'Size', 'Type'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' ').trimEnd();
  s += fmt(head) + '\n' + rows.map(fmt).join('\n') + '\n';
  return s;
}

export function sfdisk(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1);
  const dump = args.includes('-d') || args.includes('--dump');
  const force = args.includes('--force') || args.includes('-f');
  const noReread = args.includes('--no-reread');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (paths.length === 0) {
    ctx.err(dump ? 'sfdisk: no disk device specified\n' : 'sfdisk: no disk device specified\nTry \'sfdisk --help\' for more information.\n');
    return 1;
  }
  const path = paths[0]!;
  const d = presentDisk(m, stripDev(path));
  if (!d) {
    ctx.err(`sfdisk: cannot open ${path}: No such file or directory\n`);
    return 1;
  }
  if (d.failed) {
    ctx.err(`sfdisk: cannot open ${path}: Input/output error\n`);
    return 1;
  }
  if (dump) {
    if (!d.label) {
      ctx.err(`sfdisk: ${path}: does not contain a recognized partition table\n`);
      return 1;
    }
    ctx.out(sfdiskDump(d));
    return 0;
  }
  return write(ctx, m, d, path, force || noReread);
}

function write(ctx: CmdContext, m: LabMachine, d: LabDisk, path: string, force: boolean): number {
  const busy = diskInUse(m, d.dev);
  ctx.out(`Checking that no-one is using this disk right now ... ${busy ? 'FAILED' : 'OK'}\n\n`);
  if (busy && !force) {
    ctx.out('This disk is currently in use - repartitioning is probably a bad idea.\nUmount all file systems, and swapoff all swap partitions on this disk.\nUse the --no-reread flag to suppress this check.\n\n');
    ctx.err('sfdisk: Use the --force flag to overrule all checks.\n');
    return 1;
  }
  ctx.out(diskHeader(d) + '\n');
  if (d.label) ctx.out('Old situation:\n\n' + situation(d) + '\n');
  const script = parseSfdiskScript(ctx.stdin);
  if (typeof script === 'string') {
    ctx.err(script + '\n');
    return 1;
  }
  if (script.label && script.label !== 'gpt') {
    ctx.err(`sfdisk: lab supports only GPT labels, not '${script.label}'\n`);
    return 1;
  }
  const { first, last } = usableLbas(d);
  const parts: LabPartition[] = [];
  let n = 0;
  ctx.out('>>> Script header accepted.\n'.repeat(script.headers));
  const labelId = script.labelId ?? randomGuid();
  ctx.out(`>>> Created a new GPT disklabel (GUID: ${labelId}).\n`);
  for (const sp of script.parts) {
    n = sp.n ?? n + 1;
    const end = sp.startSector + sp.sizeSectors - 1;
    if (sp.startSector < first || end > last) {
      ctx.out(`/dev/${partName(d.dev, n)}: Start sector ${sp.startSector} out of range.\n`);
      ctx.err(`sfdisk: Failed to add #${n} partition: Numerical result out of range\nLeaving.\n`);
      return 1;
    }
    const p: LabPartition = { n, startSector: sp.startSector, sizeSectors: sp.sizeSectors, type: sp.type, uuid: sp.uuid, ...(sp.name !== undefined ? { name: sp.name } : {}) };
    freshPartitions.add(p);
    parts.push(p);
    ctx.out(`/dev/${partName(d.dev, n)}: Created a new partition ${n} of type '${gptType(p.type)?.fdisk ?? p.type}' and of size ${humanFdisk(p.sizeSectors * 512)}.\n`);
  }
  ctx.out(`/dev/${partName(d.dev, n + 1)}: Done.\n\n`);
  d.label = { id: labelId, partitions: parts };
  ctx.out('New situation:\n' + situation(d) + '\nThe partition table has been altered.\nCalling ioctl() to re-read partition table.\nSyncing disks.\n');
  return 0;
}

/** fdisk "of size" wording: `1007 KiB`, `1 GiB`, `446.1 GiB`. */
function humanFdisk(bytes: number): string {
  const s = fdiskSize(bytes);
  const unit = s.slice(-1);
  return `${s.slice(0, -1)} ${unit === 'B' ? 'B' : `${unit}iB`}`;
}
