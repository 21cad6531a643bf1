/** The drill debrief: the numbers, the runs, the timeline and how they are computed. Scrollable. */
import React from 'react';
import { Box, Text } from 'ink';
import { wrapLines } from '../../layout/wrap.js';

export { wrapLines };
import type { ExtraViewProps } from '../extra.js';
import { debriefLines } from '../../../app/debrief.js';


export function DebriefView({ s, theme, width, height, controller }: ExtraViewProps) {
  const d = s.debrief;
  const lines = d ? wrapLines(debriefLines(d), width) : [];
  const bodyH = Math.max(1, height - 1);
  const max = Math.max(0, lines.length - bodyH);
  const start = Math.min(s.scroll, max);
  if (!d) return <Text dimColor>No debrief yet: it opens when the drill's goal holds (baie rehearse DRILL).</Text>;
  const color = theme.color;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(start, start + bodyH).map((l, i) => {
        const n = start + i;
        const bad = /UNFINISHED|OVER\)|not detected|✗/.test(l);
        const head = n === 0 || /^(Timeline|How these are computed|Goal conditions not holding:|Run \S+:)/.test(l);
        return (
          <Text key={n} wrap="truncate" bold={head} color={color && bad ? 'red' : color && /goal reached|\(within\)/.test(l) ? 'green' : undefined}>
            {l || ' '}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">
        {lines.length > bodyH ? `lines ${start + 1}–${Math.min(lines.length, start + bodyH)} of ${lines.length} · ↑↓ PgUp PgDn scroll · ` : ''}
        {d.finished ? 'goal reached' : 'unfinished'} · q quit
      </Text>
    </Box>
  );
}
