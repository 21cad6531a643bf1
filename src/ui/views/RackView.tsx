import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { MachineProbe } from '../../probe/types.js';
import { asciiText, type Theme } from '../theme.js';
import { levelOf, reasonsOf, isStale } from '../../app/fleetView.js';
import { machineNamed } from '../../app/fleetSelectors.js';
import type { RackRow } from '../layout/rackRows.js';
import { machineMatches, visibleRackInfos, type RackInfo } from '../layout/rackIndex.js';
import { inkRuns } from '../layout/inkRuns.js';

export { RACK_COL_WIDTH_PLAIN as RACK_COL_WIDTH } from '../layout/columns.js';
import { RACK_COL_WIDTH_PLAIN as RACK_COL_WIDTH } from '../layout/columns.js';

/** The racks shown for the state's filter (every rack without one). */
export function visibleRacks(s: AppState) {
  return visibleRackInfos(s.fleet, s.filter).racks.map((r) => r.rack);
}

/** Keep the selected row in view: a window of `height` rows. */
export function windowRows(rows: RackRow[], selected: string | undefined, height: number): RackRow[] {
  if (rows.length <= height) return rows;
  const idx = rows.findIndex((r) => r.kind === 'machine' && r.machine.name === selected);
  const start = Math.max(0, Math.min(rows.length - height, (idx < 0 ? 0 : idx) - Math.floor(height / 2)));
  return rows.slice(start, start + height);
}

/** A run of text in one style; a screen line is a few of these. */
export interface Seg {
  text: string;
  dim?: boolean;
  color?: string;
  inverse?: boolean;
  bold?: boolean;
}

interface CellCtx {
  probes: Record<string, MachineProbe>;
  selected?: string;
  filter: string;
  theme: Theme;
  now: number;
  refreshMs: number;
}

/** One rack row as styled runs, at most RACK_COL_WIDTH wide (cut with … like Ink's truncate). */
export function rackCell(row: RackRow, c: CellCtx): Seg[] {
  if (row.kind === 'free') {
    const n = row.toU - row.fromU + 1;
    return [{ text: `${String(row.toU).padStart(2)} ${c.theme.free.repeat(3)} ${n}U free`, dim: true }];
  }
  const m = row.machine;
  const p = c.probes[m.name];
  const level = levelOf(p);
  const selected = m.name === c.selected;
  const stale = isStale(p, c.now, c.refreshMs);
  const dim = c.filter !== '' && !machineMatches(m, c.filter);
  const label = row.first ? `${c.theme.glyph[level]} ${m.name}${stale ? '~' : ''}` : `${c.theme.box.v}`;
  return [
    { text: `${String(row.u).padStart(2)} `, dim: true },
    { text: (selected && row.first ? c.theme.sel : ' ') + label.padEnd(RACK_COL_WIDTH - 6), color: c.theme.healthColor[level], inverse: selected, bold: selected, dim },
  ];
}

/** Cut runs to `width` columns, the last kept one ending in … when something was cut. */
export function fitSegs(segs: Seg[], width: number): Seg[] {
  let len = 0;
  for (const s of segs) len += s.text.length;
  if (len <= width) return segs;
  const out: Seg[] = [];
  let room = width - 1;
  for (const s of segs) {
    if (room <= 0) break;
    out.push(s.text.length <= room ? s : { ...s, text: s.text.slice(0, room) });
    room -= s.text.length;
  }
  if (out.length) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text + '…' };
  return out;
}

/** Side by side: each column padded to the column width (the last one not), same-style runs joined. */
export function joinColumns(cols: Seg[][], colWidth: number): Seg[] {
  const out: Seg[] = [];
  const push = (s: Seg) => {
    const prev = out[out.length - 1];
    if (prev && !prev.dim === !s.dim && prev.color === s.color && !prev.inverse === !s.inverse && !prev.bold === !s.bold) out[out.length - 1] = { ...prev, text: prev.text + s.text };
    else out.push(s);
  };
  cols.forEach((segs, i) => {
    let len = 0;
    for (const s of segs) {
      push(s);
      len += s.text.length;
    }
    if (i < cols.length - 1 && len < colWidth) push({ text: ' '.repeat(colWidth - len) });
  });
  return out;
}

function segsKey(segs: Seg[]): string {
  let k = '';
  for (const s of segs) k += `${s.text}\u0001${s.dim ? 1 : 0}${s.color ?? ''}${s.inverse ? 1 : 0}${s.bold ? 1 : 0}\u0002`;
  return k;
}

/**
 * One screen line: a row of text nodes (see inkRuns: ASCII apart from glyphs, which Ink measures
 * far faster); redrawn by React only when its text or styles change.
 */
const Line = memo(
  function Line({ segs }: { segs: Seg[]; k: string }) {
    return (
      <Box height={1}>
        {inkRuns(segs).map((s, i) => (
          <Text key={i} wrap="truncate" dimColor={s.dim} color={s.color} inverse={s.inverse} bold={s.bold}>
            {s.text}
          </Text>
        ))}
      </Box>
    );
  },
  (a, b) => a.k === b.k,
);

/**
 * The rack columns as screen lines: a title line, then one line per elevation row, each line
 * holding every shown rack's row side by side (fewer, wider Ink nodes than a Box per rack).
 */
export function rackLines(shown: RackInfo[], c: CellCtx, bodyRows: number): { title: string; lines: Seg[][] } {
  const title = shown
    .map((r, i) => {
      const t = `${r.rack.site} / ${r.rack.name} (${r.rack.height}U)`;
      const cut = t.length > RACK_COL_WIDTH ? t.slice(0, RACK_COL_WIDTH - 1) + '…' : t;
      return i < shown.length - 1 ? cut.padEnd(RACK_COL_WIDTH) : cut;
    })
    .join('');
  const cols = shown.map((r) => windowRows(r.rows, c.selected, bodyRows));
  const n = Math.max(0, ...cols.map((rows) => rows.length));
  const lines: Seg[][] = [];
  for (let i = 0; i < n; i++) {
    // a rack with fewer rows leaves its column blank; trailing blank columns are dropped
    let last = cols.length - 1;
    while (last >= 0 && !cols[last][i]) last--;
    const cells = cols.slice(0, last + 1).map((rows) => (rows[i] ? fitSegs(rackCell(rows[i], c), RACK_COL_WIDTH) : []));
    lines.push(joinColumns(cells, RACK_COL_WIDTH));
  }
  return { title, lines };
}

export function RackView({ s, theme, width, height, now, refreshMs }: { s: AppState; theme: Theme; width: number; height: number; now: number; refreshMs: number }) {
  const { racks, rackOf } = visibleRackInfos(s.fleet, s.filter);
  const perRow = Math.max(1, Math.floor(width / RACK_COL_WIDTH));
  const selRack = rackOf(s.selected);
  const first = Math.max(0, Math.min(racks.length - perRow, selRack - perRow + 1));
  const shown = racks.slice(first, first + perRow);
  const bodyRows = Math.max(3, height - 4);
  const sel = machineNamed(s.fleet, s.selected);
  const selProbe = sel ? s.probes[sel.name] : undefined;
  const { title, lines } = rackLines(shown, { probes: s.probes, selected: s.selected, filter: s.filter, theme, now, refreshMs }, bodyRows);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.length > 0 && (
        <Text bold wrap="truncate">
          {title}
        </Text>
      )}
      {lines.map((segs, i) => (
        <Line key={i} segs={segs} k={segsKey(segs)} />
      ))}
      {racks.length > perRow && <Text dimColor>{`racks ${first + 1}-${first + shown.length} of ${racks.length}  (←/→)`}</Text>}
      {sel && (
        <Text wrap="truncate">
          <Text color={theme.healthColor[levelOf(selProbe)]}>{theme.glyph[levelOf(selProbe)]} </Text>
          <Text bold>{sel.name}</Text>
          <Text>{asciiText(theme, ` ${sel.roles.join(',')} · U${sel.u}${sel.height > 1 ? `-${sel.u + sel.height - 1}` : ''} · `)}</Text>
          <Text>{asciiText(theme, reasonsOf(selProbe))}</Text>
          {isStale(selProbe, now, refreshMs) && <Text color={theme.healthColor.warning}> (stale)</Text>}
        </Text>
      )}
    </Box>
  );
}
