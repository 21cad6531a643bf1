/**
 * The console's first frame as plain text: the racks view of a fleet not probed yet, laid out
 * exactly as RackView draws it. It is written before Ink has loaded (Ink alone takes ~0.4 s to
 * import), so the operator sees the racks at once; Ink then takes over the screen.
 */
import type { Fleet } from '../model/fleet.js';
import { machinesInRack } from '../model/fleet.js';
import { asciiText, makeTheme } from './theme.js';
import { rackRowsCached } from './layout/rackRows.js';
import { RACK_COL_WIDTH_PLAIN as COL } from './layout/columns.js';

function pad(s: string, w: number): string {
  return s.length >= w ? s.slice(0, w) : s + ' '.repeat(w - s.length);
}

export function plainRacksFrame(fleet: Fleet, width: number, height: number, opts: { ascii?: boolean; lab?: boolean; readOnly?: boolean } = {}): string {
  const t = makeTheme({ ascii: opts.ascii || undefined, color: false });
  const bodyH = Math.max(4, height - 4);
  const perRow = Math.max(1, Math.floor(width / COL));
  const racks = fleet.racks.slice(0, perRow);
  const bodyRows = Math.max(3, bodyH - 4);
  const sel = fleet.machines[0]?.name;
  const cols = racks.map((r) => {
    const lines = [`${r.site} / ${r.name} (${r.height}U)`];
    for (const row of rackRowsCached(r, machinesInRack(fleet, r.site, r.name)).slice(0, bodyRows)) {
      if (row.kind === 'free') lines.push(`${String(row.toU).padStart(2)} ${t.free.repeat(3)} ${row.toU - row.fromU + 1}U free`);
      else lines.push(`${String(row.u).padStart(2)} ${(row.machine.name === sel && row.first ? t.sel : ' ') + (row.first ? `${t.glyph.unknown} ${row.machine.name}` : t.box.v)}`);
    }
    return lines;
  });
  const out: string[] = [`baie ${t.ascii ? '|' : '│'} racks${opts.lab ? ' [LAB]' : ''}${opts.readOnly ? ' [READ-ONLY]' : ''} ${t.glyph.unknown}${fleet.machines.length}  probing…`];
  const n = Math.max(0, ...cols.map((c) => c.length));
  for (let i = 0; i < n; i++) out.push(cols.map((c) => pad(c[i] ?? '', COL)).join('').trimEnd());
  if (fleet.racks.length > perRow) out.push(`racks 1-${racks.length} of ${fleet.racks.length}  (←/→)`);
  while (out.length < height - 2) out.push('');
  out.push('loading…');
  return out.map((l) => asciiText(t, l).slice(0, width)).join('\r\n');
}
