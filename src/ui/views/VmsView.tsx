import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { Fleet } from '../../model/fleet.js';
import type { GuestInfo, MachineProbe } from '../../probe/types.js';
import type { Theme } from '../theme.js';
import { gib, type HypervisorRoom } from '../../app/fleetView.js';
import { hypervisorsOf } from '../../app/fleetSelectors.js';
import { bar } from '../theme.js';

export interface VmLine {
  text: string;
  color?: string;
  bold?: boolean;
  node?: string;
}

/** The VMs view's rows: each hypervisor with the guests the filter keeps; line text is made on demand. */
export interface VmRows {
  length: number;
  line(i: number, theme: Theme): VmLine;
}

let last: { fleet: Fleet; probes: Record<string, MachineProbe>; filter: string; rows: VmRows } | undefined;

/** Once per probe round and filter: which hypervisor and guest each line shows (10,000 guests, 10,000 lines). */
export function vmRows(fleet: Fleet, probes: Record<string, MachineProbe>, filter: string): VmRows {
  if (last && last.fleet === fleet && last.probes === probes && last.filter === filter) return last.rows;
  const f = filter.toLowerCase();
  const blocks: { h: HypervisorRoom; guests: GuestInfo[]; start: number }[] = [];
  let length = 0;
  for (const h of hypervisorsOf(fleet, probes)) {
    const guests = f ? h.guests.filter((g) => g.name.toLowerCase().includes(f) || String(g.vmid).includes(f) || h.node.includes(f)) : h.guests;
    if (f && guests.length === 0) continue;
    blocks.push({ h, guests, start: length });
    length += 1 + guests.length;
  }
  const rows: VmRows = {
    length,
    line(i, theme) {
      // the last block starting at or before line i
      let lo = 0;
      let hi = blocks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (blocks[mid].start <= i) lo = mid;
        else hi = mid - 1;
      }
      const { h, guests, start } = blocks[lo];
      return i === start ? hostLine(h, theme) : guestLine(h, guests[i - start - 1], theme);
    },
  };
  last = { fleet, probes, filter, rows };
  return rows;
}

function hostLine(h: HypervisorRoom, theme: Theme): VmLine {
  const memFrac = h.memTotal ? h.memUsed / h.memTotal : 0;
  const room = h.othersCanHold ? `others can hold its guests (${gib(h.need)} needed, ${gib(h.free)} free)` : `others CANNOT hold its guests (${gib(h.need)} needed, ${gib(h.free)} free)`;
  return { text: `${h.node}  mem ${bar(theme, memFrac, 10)} ${gib(h.memUsed)}/${gib(h.memTotal)}  ${room}`, bold: true, node: h.node, color: h.othersCanHold ? undefined : theme.healthColor.warning };
}

function guestLine(h: HypervisorRoom, g: GuestInfo, theme: Theme): VmLine {
  const cpu = g.cpu !== undefined ? `${(g.cpu * 100).toFixed(0)}%`.padStart(4) : '   -';
  const color = g.status === 'running' ? undefined : g.status === 'stopped' ? theme.healthColor.warning : theme.healthColor.critical;
  return { text: `  ${String(g.vmid).padEnd(5)} ${g.type.padEnd(5)} ${g.name.padEnd(12)} ${g.status.padEnd(8)} cpu ${cpu}  mem ${gib(g.mem).padStart(5)}/${gib(g.maxmem).padEnd(5)} ${g.hastate ? `ha ${g.hastate}` : ''}`, color, node: h.node };
}

/** Every line of the VMs view (tests; the view itself makes only the lines on screen). */
export function vmLines(s: AppState, theme: Theme): VmLine[] {
  const rows = vmRows(s.fleet, s.probes, s.filter);
  return Array.from({ length: rows.length }, (_, i) => rows.line(i, theme));
}

export function VmsView({ s, theme, width, height }: { s: AppState; theme: Theme; width: number; height: number }) {
  const rows = vmRows(s.fleet, s.probes, s.filter);
  const bodyH = Math.max(1, height);
  const start = Math.min(s.scroll, Math.max(0, rows.length - bodyH));
  if (rows.length === 0) return <Text dimColor>no hypervisor known{s.filter ? ' matching the filter' : ''}</Text>;
  const shown: VmLine[] = [];
  for (let i = start; i < Math.min(rows.length, start + bodyH); i++) shown.push(rows.line(i, theme));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Text key={start + i} wrap="truncate" bold={l.bold} color={l.color}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
