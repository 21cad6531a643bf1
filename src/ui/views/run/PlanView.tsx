/** The plan: every step with its resolved commands, the budget, and what `y` would do. */
import React from 'react';
import { Box, Text } from 'ink';
import type { ExtraViewProps } from '../extra.js';
import { asc } from './glyphs.js';

export function PlanView({ s, theme, width, height }: ExtraViewProps) {
  const plan = s.runUi.plan;
  if (!plan) return <Text dimColor>no plan (4: runbooks, Enter on one)</Text>;
  const top: React.ReactElement[] = [];
  if (plan.overBudget) top.push(<Text key="over" color={theme.color ? 'red' : undefined} bold wrap="truncate">{theme.ascii ? '!' : '⚠'} {plan.overBudget}</Text>);
  if (plan.refusal) top.push(<Text key="ref" color={theme.color ? 'yellow' : undefined} bold wrap="truncate">{plan.refusal}</Text>);
  const action = plan.resumeFile ? 'resume the run' : 'start the run';
  const ro = s.readOnly && plan.changing.length > 0;
  const bodyH = Math.max(1, height - 2 - top.length);
  const start = Math.min(s.scroll, Math.max(0, plan.lines.length - bodyH));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        Plan: {plan.title} <Text dimColor>{asc(theme.ascii, `(${plan.runbook}) — nothing has run yet`)}</Text>
      </Text>
      {top}
      {plan.lines.slice(start, start + bodyH).map((l, i) => (
        <Text key={start + i} wrap="truncate" color={/DESTRUCTIVE|OVER BUDGET|^problem:|IN DOUBT/.test(l) && theme.color ? 'red' : undefined}>
          {asc(theme.ascii, l) || ' '}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {asc(theme.ascii, `${ro ? `read-only: y is refused (${plan.changing.length} step(s) change machines)` : `y or Enter: ${action}`} · ↑/↓ scroll (${start + 1}-${Math.min(plan.lines.length, start + bodyH)}/${plan.lines.length}) · Esc back`)}
      </Text>
    </Box>
  );
}
