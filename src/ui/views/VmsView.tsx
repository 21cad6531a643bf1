import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { Theme } from '../theme.js';
import { gib, hypervisors } from '../../app/fleetView.js';
import { bar } from '../theme.js';

export function vmLines(s: AppState, theme: Theme): { text: string; color?: string; bold?: boolean; node?: string }[] {
  const out: { text: string; color?: string; bold?: boolean; node?: string }[] = [];
  const f = s.filter.toLowerCase();
  for (const h of hypervisors(s.fleet, s.probes)) {
    const guests = h.guests.filter((g) => !f || g.name.toLowerCase().includes(f) || String(g.vmid).includes(f) || h.node.includes(f));
    if (f && guests.length === 0) continue;
    const memFrac = h.memTotal ? h.memUsed / h.memTotal : 0;
    const room = h.othersCanHold ? `others can hold its guests (${gib(h.need)} needed, ${gib(h.free)} free)` : `others CANNOT hold its guests (${gib(h.need)} needed, ${gib(h.free)} free)`;
    out.push({ text: `${h.node}  mem ${bar(theme, memFrac, 10)} ${gib(h.memUsed)}/${gib(h.memTotal)}  ${room}`, bold: true, node: h.node, color: h.othersCanHold ? undefined : theme.healthColor.warning });
    for (const g of guests) {
      const cpu = g.cpu !== undefined ? `${(g.cpu * 100).toFixed(0)}%`.padStart(4) : '   -';
      const color = g.status === 'running' ? undefined : g.status === 'stopped' ? theme.healthColor.warning : theme.healthColor.critical;
      out.push({ text: `  ${String(g.vmid).padEnd(5)} ${g.type.padEnd(5)} ${g.name.padEnd(12)} ${g.status.padEnd(8)} cpu ${cpu}  mem ${gib(g.mem).padStart(5)}/${gib(g.maxmem).padEnd(5)} ${g.hastate ? `ha ${g.hastate}` : ''}`, color, node: h.node });
    }
  }
  return out;
}

export function VmsView({ s, theme, width, height }: { s: AppState; theme: Theme; width: number; height: number }) {
  // 10,000 guests make 10,000 lines: build them when the data changes, not on every scroll step
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const lines = useMemo(() => vmLines(s, theme), [s.fleet, s.probes, s.filter, theme]);
  const bodyH = Math.max(1, height);
  const start = Math.min(s.scroll, Math.max(0, lines.length - bodyH));
  if (lines.length === 0) return <Text dimColor>no hypervisor known{s.filter ? ' matching the filter' : ''}</Text>;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(start, start + bodyH).map((l, i) => (
        <Text key={start + i} wrap="truncate" bold={l.bold} color={l.color} inverse={start + i === s.scroll && lines.length > 0 && false}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
