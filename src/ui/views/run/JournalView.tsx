/** Runs in the journal directory, newest first; Enter shows one's timeline. */
import React from 'react';
import { Box, Text } from 'ink';
import type { ExtraViewProps } from '../extra.js';
import { clampIndex } from '../../../app/runs/select.js';
import { formatDuration } from '../../../model/duration.js';
import { asc, fit, statusColor, windowStart } from './glyphs.js';

export function JournalView({ s, theme, width, height }: ExtraViewProps) {
  const j = s.runUi.journal;
  if (j.timeline) {
    const t = j.timeline;
    const bodyH = Math.max(1, height - 1);
    const start = Math.min(s.scroll, Math.max(0, t.lines.length - bodyH));
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold wrap="truncate">
          {t.title} <Text dimColor>{asc(theme.ascii, `— ${t.run} (${start + 1}-${Math.min(t.lines.length, start + bodyH)}/${t.lines.length}, Esc: list)`)}</Text>
        </Text>
        {t.lines.slice(start, start + bodyH).map((l, i) => (
          <Text key={start + i} wrap="truncate" color={theme.color && /✗|refused|failed|aborted/.test(l) ? 'red' : undefined}>
            {asc(theme.ascii, l) || ' '}
          </Text>
        ))}
      </Box>
    );
  }
  if (!j.loaded) return <Text dimColor>reading the journal…</Text>;
  const idx = clampIndex(j.index, j.runs.length);
  const listH = Math.max(1, height - 1);
  const start = windowStart(idx, j.runs.length, listH);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        Runs ({j.runs.length}) <Text dimColor>{asc(theme.ascii, 'newest first · Enter: timeline')}</Text>
      </Text>
      {j.runs.length === 0 && <Text dimColor>no runs yet (4: runbooks)</Text>}
      {j.runs.slice(start, start + listH).map((r, i) => {
        const took = r.endedAt ? formatDuration(r.endedAt - r.startedAt) : '';
        return (
          <Text key={r.file} inverse={start + i === idx} wrap="truncate">
            {new Date(r.startedAt).toISOString().slice(0, 16).replace('T', ' ')}{' '}
            <Text color={statusColor(theme, r.status)}>{fit(r.status, 11)}</Text> {fit(r.runbook, 22)} {fit(r.operator, 10)} {fit(`${r.steps} steps`, 9)} {fit(took, 8)} <Text dimColor>{r.run}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
