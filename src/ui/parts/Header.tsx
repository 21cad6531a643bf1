import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { Theme } from '../theme.js';
import { formatClock } from '../../model/duration.js';
import { healthCounts } from '../../app/fleetSelectors.js';

export function Header({ s, theme, width, now }: { s: AppState; theme: Theme; width: number; now: number }) {
  const counts = healthCounts(s.fleet, s.probes);
  const runs = Object.values(s.runs);
  const left = `baie ${theme.ascii ? '|' : '│'} ${s.view}`;
  return (
    <Box width={width}>
      <Text bold>{left}</Text>
      {s.lab && <Text color={theme.color ? 'cyan' : undefined} bold> [LAB]</Text>}
      {s.readOnly && <Text color={theme.color ? 'yellow' : undefined} bold> [READ-ONLY]</Text>}
      {s.rehearsal && (
        <Text color={theme.color ? 'magenta' : undefined} bold>
          {' '}[DRILL {formatClock((s.rehearsal.stoppedAt ?? now) - s.rehearsal.startedAt)}{s.rehearsal.stoppedAt ? ' stopped' : ''}]
        </Text>
      )}
      {runs.length > 0 && <Text color={theme.color ? 'blue' : undefined} bold> [RUN {runs.join(', ')}]</Text>}
      <Text> </Text>
      <Text color={theme.healthColor.ok}>{theme.glyph.ok}{counts.ok} </Text>
      <Text color={theme.healthColor.warning}>{theme.glyph.warning}{counts.warning} </Text>
      <Text color={theme.healthColor.critical}>{theme.glyph.critical}{counts.critical} </Text>
      <Text color={theme.healthColor.unknown}>{theme.glyph.unknown}{counts.unknown}</Text>
      <Text dimColor>{s.refreshing ? '  probing…' : s.lastRoundAt ? `  probed ${Math.max(0, Math.round((now - s.lastRoundAt) / 1000))}s ago` : ''}</Text>
    </Box>
  );
}
