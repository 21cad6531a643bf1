import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { Theme } from '../theme.js';
import { ageText, isStale, levelOf, reasonsOf } from '../../app/fleetView.js';
import { filteredMachines } from '../../app/fleetSelectors.js';

/** The window of `height` items that keeps `index` visible. */
export function listWindow<T>(items: T[], index: number, height: number): { start: number; items: T[] } {
  if (items.length <= height) return { start: 0, items };
  const start = Math.max(0, Math.min(items.length - height, index - Math.floor(height / 2)));
  return { start, items: items.slice(start, start + height) };
}

const COLS = { name: 12, place: 10, roles: 16, load: 6, age: 6 };

export function MachinesView({ s, theme, width, height, now, refreshMs }: { s: AppState; theme: Theme; width: number; height: number; now: number; refreshMs: number }) {
  const { machines: list, indexOf } = filteredMachines(s.fleet, s.probes, s.filter);
  const idx = Math.max(0, indexOf(s.selected));
  const win = listWindow(list, idx, Math.max(1, height - 2));
  const reasonW = Math.max(10, width - (COLS.name + COLS.place + COLS.roles + COLS.load + COLS.age + 8));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {'  ' + 'NAME'.padEnd(COLS.name) + 'RACK'.padEnd(COLS.place) + 'ROLES'.padEnd(COLS.roles) + 'LOAD'.padEnd(COLS.load) + 'AGE'.padEnd(COLS.age) + 'HEALTH'}
      </Text>
      {win.items.map((m) => {
        const p = s.probes[m.name];
        const level = levelOf(p);
        const sel = m.name === s.selected;
        const stale = isStale(p, now, refreshMs);
        return (
          <Text key={m.name} wrap="truncate" inverse={sel}>
            <Text color={theme.healthColor[level]}>{theme.glyph[level]} </Text>
            {m.name.padEnd(COLS.name).slice(0, COLS.name)}
            {`${m.site}/${m.rack}`.padEnd(COLS.place).slice(0, COLS.place)}
            {m.roles.join(',').padEnd(COLS.roles).slice(0, COLS.roles)}
            {(p?.load ? p.load[0].toFixed(2) : '-').padEnd(COLS.load)}
            <Text color={stale ? theme.healthColor.warning : undefined}>{ageText(p, now).padEnd(COLS.age)}</Text>
            <Text color={theme.healthColor[level]}>{reasonsOf(p).slice(0, reasonW)}</Text>
          </Text>
        );
      })}
      <Text dimColor>{list.length === 0 ? 'no machine matches the filter' : `${idx + 1}/${list.length}`}</Text>
    </Box>
  );
}
