/** /proc/partitions: major, minor, size in 1K blocks, name — disks, their partitions, md arrays. */
import type { LabMachine } from '../../state.js';
import { majMin, partName } from './devices.js';
import { mdMinor } from './md.js';

export function partitionsText(m: LabMachine): string {
  const row = (maj: number, min: number, blocks: number, name: string) =>
    `${String(maj).padStart(4)}  ${String(min).padStart(7)} ${String(blocks).padStart(10)} ${name}\n`;
  let s = 'major minor  #blocks  name\n\n';
  for (const d of m.disks) {
    if (d.gone) continue;
    const [maj, min] = majMin(m, d.dev);
    s += row(maj, min, Math.floor(d.sizeBytes / 1024), d.dev);
    for (const p of [...(d.label?.partitions ?? [])].sort((a, b) => a.n - b.n)) {
      const name = partName(d.dev, p.n);
      const [pm, pn] = majMin(m, name);
      s += row(pm, pn, Math.floor(p.sizeSectors / 2), name);
    }
  }
  for (const a of m.md) s += row(9, mdMinor(a), a.blocks, a.name);
  return s;
}
