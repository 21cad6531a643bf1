import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import { asciiText, type Theme } from '../theme.js';
import { machinesInRack } from '../../model/fleet.js';
import { levelOf, reasonsOf, isStale } from '../../app/fleetView.js';
import { rackRowsCached, type RackRow } from '../layout/rackRows.js';

export { RACK_COL_WIDTH_PLAIN as RACK_COL_WIDTH } from '../layout/columns.js';
import { RACK_COL_WIDTH_PLAIN as RACK_COL_WIDTH } from '../layout/columns.js';

export function visibleRacks(s: AppState) {
  return s.fleet.racks.filter((r) => !s.filter || machinesInRack(s.fleet, r.site, r.name).some((m) => matches(m.name, m.roles, s.filter)));
}

function matches(name: string, roles: string[], filter: string): boolean {
  const f = filter.toLowerCase();
  return name.toLowerCase().includes(f) || roles.some((r) => r.toLowerCase().includes(f));
}

/** Keep the selected row in view: a window of `height` rows. */
export function windowRows(rows: RackRow[], selected: string | undefined, height: number): RackRow[] {
  if (rows.length <= height) return rows;
  const idx = rows.findIndex((r) => r.kind === 'machine' && r.machine.name === selected);
  const start = Math.max(0, Math.min(rows.length - height, (idx < 0 ? 0 : idx) - Math.floor(height / 2)));
  return rows.slice(start, start + height);
}

export function RackView({ s, theme, width, height, now, refreshMs }: { s: AppState; theme: Theme; width: number; height: number; now: number; refreshMs: number }) {
  const racks = visibleRacks(s);
  const perRow = Math.max(1, Math.floor(width / RACK_COL_WIDTH));
  const selRack = racks.findIndex((r) => machinesInRack(s.fleet, r.site, r.name).some((m) => m.name === s.selected));
  const first = Math.max(0, Math.min(racks.length - perRow, selRack - perRow + 1));
  const shown = racks.slice(first, first + perRow);
  const bodyRows = Math.max(3, height - 4);
  const sel = s.fleet.machines.find((m) => m.name === s.selected);
  const selProbe = sel ? s.probes[sel.name] : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box>
        {shown.map((r) => (
          <Box key={`${r.site}/${r.name}`} width={RACK_COL_WIDTH} flexDirection="column">
            <Text bold wrap="truncate">
              {r.site} / {r.name} ({r.height}U)
            </Text>
            {windowRows(rackRowsCached(r, machinesInRack(s.fleet, r.site, r.name)), s.selected, bodyRows).map((row, i) => (
              <RackLine key={i} row={row} s={s} theme={theme} now={now} refreshMs={refreshMs} />
            ))}
          </Box>
        ))}
      </Box>
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

function RackLine({ row, s, theme, now, refreshMs }: { row: RackRow; s: AppState; theme: Theme; now: number; refreshMs: number }) {
  if (row.kind === 'free') {
    const n = row.toU - row.fromU + 1;
    return (
      <Text dimColor wrap="truncate">
        {String(row.toU).padStart(2)} {theme.free.repeat(3)} {n}U free
      </Text>
    );
  }
  const m = row.machine;
  const p = s.probes[m.name];
  const level = levelOf(p);
  const selected = m.name === s.selected;
  const stale = isStale(p, now, refreshMs);
  const dim = s.filter !== '' && !matches(m.name, m.roles, s.filter);
  const label = row.first ? `${theme.glyph[level]} ${m.name}${stale ? '~' : ''}` : `${theme.box.v}`;
  return (
    <Text wrap="truncate" dimColor={dim}>
      <Text dimColor>{String(row.u).padStart(2)} </Text>
      <Text inverse={selected} color={theme.healthColor[level]} bold={selected}>
        {(selected && row.first ? theme.sel : ' ') + label.padEnd(RACK_COL_WIDTH - 6)}
      </Text>
    </Text>
  );
}
