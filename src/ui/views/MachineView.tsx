import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import { asciiText, type Theme } from '../theme.js';
import { machineLines } from '../../app/machineDetail.js';
import { helpRows } from '../keys/bindings.js';

export function MachineView({ s, theme, width, height, now }: { s: AppState; theme: Theme; width: number; height: number; now: number }) {
  const m = s.fleet.machines.find((x) => x.name === s.selected);
  if (!m) return <Text>no machine selected</Text>;
  const lines = machineLines(m, s.probes[m.name], now);
  const actions = helpRows('machine', s.readOnly).filter((r) => /^[scRPOCX]$/.test(r.keys)).map((r) => `${r.keys} ${r.help.split(' (')[0]}`);
  const bodyH = Math.max(1, height - 1);
  const start = Math.min(s.scroll, Math.max(0, lines.length - bodyH));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(start, start + bodyH).map((l, i) => (
        <Text key={start + i} wrap="truncate" bold={l.heading} color={l.level && l.level !== 'ok' ? theme.healthColor[l.level] : undefined}>
          {l.level && l.level !== 'ok' && !l.heading ? `${theme.glyph[l.level]}` : ' '}
          {asciiText(theme, l.text)}
        </Text>
      ))}
      <Text dimColor wrap="truncate">{asciiText(theme, s.readOnly ? 'read-only: no actions' : actions.join(' · '))}</Text>
    </Box>
  );
}
