/** A run going on: steps with their state, the budget clock, the current step's output per machine, its questions. */
import React from 'react';
import { Box, Text } from 'ink';
import type { ExtraViewProps } from '../extra.js';
import type { LiveRun } from '../../../app/runs/types.js';
import { shownRun } from '../../../app/runs/select.js';
import { budgetView } from '../../../runbook/budget.js';
import { formatClock, formatDuration } from '../../../model/duration.js';
import { bar, type Theme } from '../../theme.js';
import { asc, fit, statusColor, stepColor, stepGlyph, windowStart } from './glyphs.js';
import { PromptBox } from './PromptBox.js';

export function clockLine(r: LiveRun, now: number): { text: string; over: boolean } {
  const b = budgetView(r.steps.map((s) => ({ id: s.id, expectMs: s.expectMs })), r.clock, r.endedAt ?? now);
  const text = `${formatClock(b.elapsedMs)}${b.budgetMs !== undefined ? ` / ${formatDuration(b.budgetMs)}` : ''}${r.status === 'running' ? `, projected ${formatClock(b.projectedMs)}` : ''}${b.overBudget && r.status === 'running' ? ' OVER BUDGET' : ''}`;
  return { text, over: b.overBudget };
}

/** The step whose output is shown: the one running, else the last that started. */
function outputStep(r: LiveRun) {
  const cur = r.steps.find((s) => s.id === r.current) ?? r.steps.find((s) => s.state === 'running' || s.state === 'waiting');
  return cur ?? [...r.steps].reverse().find((s) => s.state !== 'pending');
}

function OutputPanes({ r, theme, width, height, now }: { r: LiveRun; theme: Theme; width: number; height: number; now: number }) {
  const st = outputStep(r);
  const targets = (st?.targets ?? []).filter((t) => r.output[t] || r.progress[t]);
  if (!st || !targets.length) return <Text dimColor>{r.status === 'running' ? 'waiting for output…' : ' '}</Text>;
  const each = Math.max(2, Math.floor(height / targets.length));
  const shown = targets.slice(0, Math.max(1, Math.floor(height / 2)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((t) => {
        const buf = r.output[t];
        const all = buf ? [...buf.lines, ...(buf.tail ? [buf.tail] : [])] : [];
        const pr = r.progress[t];
        const rows = Math.max(1, each - 1 - (pr ? 1 : 0));
        const lines = all.slice(-rows);
        const eta = pr?.etaMs !== undefined ? Math.max(0, pr.etaMs - (now - pr.at)) : undefined;
        return (
          <Box key={t} flexDirection="column" height={each}>
            <Text bold wrap="truncate">
              {theme.ascii ? '--' : '──'} {t} <Text dimColor>{st.id}</Text>
            </Text>
            {pr && (
              <Text wrap="truncate" color={theme.color ? 'cyan' : undefined}>
                {bar(theme, (pr.percent ?? 0) / 100, 20)} {pr.percent !== undefined ? `${pr.percent.toFixed(1)}%` : '...'}
                {eta !== undefined ? `  ETA ${formatDuration(eta)}` : ''}
                {pr.text ? `  ${pr.text}` : ''}
              </Text>
            )}
            {lines.map((l, i) => (
              <Text key={i} wrap="truncate" dimColor={l.startsWith('──')}>
                {asc(theme.ascii, l) || ' '}
              </Text>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

export function RunView({ s, theme, width, height, now }: ExtraViewProps) {
  const r = shownRun(s);
  if (!r) return <Text dimColor>no run in this console (4: runbooks, 5: journal of past runs)</Text>;
  const all = Object.values(s.runUi.live);
  const clock = clockLine(r, now);
  const side = width >= 90;
  const stepsW = side ? Math.min(44, Math.floor(width * 0.4)) : width;
  const notes = r.notes.slice(-2);
  const bodyH = Math.max(3, height - 2 - notes.length - (s.runUi.abortAsk ? 1 : 0));
  const stepsH = side ? bodyH : Math.max(3, Math.min(r.steps.length, Math.floor(bodyH / 3)));
  const curIdx = Math.max(0, r.steps.findIndex((x) => x.id === (outputStep(r)?.id ?? '')));
  const start = Math.min(Math.max(0, r.steps.length - stepsH), windowStart(curIdx, r.steps.length, stepsH) + 0);
  const rightW = side ? width - stepsW - 1 : width;
  const rightH = side ? bodyH : bodyH - stepsH;
  const prompt = r.status === 'running' ? r.prompt : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{r.title}</Text> <Text color={statusColor(theme, r.status)} bold>[{r.status}{r.aborting && r.status === 'running' ? ', aborting' : ''}]</Text>{' '}
        <Text color={clock.over && theme.color ? 'red' : undefined}>{clock.text}</Text>
        <Text dimColor>{all.length > 1 ? `  run ${all.indexOf(r) + 1}/${all.length} (Tab)` : ''}{r.reason ? `  ${r.reason}` : ''}</Text>
      </Text>
      <Box flexDirection={side ? 'row' : 'column'} height={bodyH}>
        <Box flexDirection="column" width={stepsW} height={stepsH}>
          {r.steps.slice(start, start + stepsH).map((st) => (
            <Text key={st.id} wrap="truncate" color={stepColor(theme, st.state)} bold={st.state === 'running' || st.state === 'waiting'}>
              {stepGlyph(theme, st.state)} {fit(asc(theme.ascii, `${st.title}${st.destructive ? ' !' : ''}`), stepsW - 12, theme.ascii)} <Text dimColor>{fit(st.state, 8)}</Text>
            </Text>
          ))}
        </Box>
        <Box flexDirection="column" width={rightW} height={rightH} marginLeft={side ? 1 : 0}>
          {prompt ? <PromptBox p={prompt} theme={theme} width={rightW} height={rightH} /> : <OutputPanes r={r} theme={theme} width={rightW} height={rightH} now={now} />}
        </Box>
      </Box>
      {notes.map((n, i) => (
        <Text key={i} dimColor wrap="truncate">
          {asc(theme.ascii, n)}
        </Text>
      ))}
      {s.runUi.abortAsk && <Text color={theme.color ? 'red' : undefined} bold>Abort {r.runbook}? The current step is cancelled; the journal is kept (resume later). y aborts · any other key: no</Text>}
      <Text dimColor wrap="truncate">
        journal {r.file || '...'}
      </Text>
    </Box>
  );
}
