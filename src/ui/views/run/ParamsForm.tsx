/** The params form: one row per parameter, a picker of machines (by role) or choices under the focused one. */
import React from 'react';
import { Box, Text } from 'ink';
import type { ExtraViewProps } from '../extra.js';
import { fieldHint, pickerItems } from '../../../app/runs/form.js';
import { clampIndex } from '../../../app/runs/select.js';
import { asc, fit, windowStart } from './glyphs.js';

const PICKER_ROWS = 8;

export function ParamsFormView({ s, theme, width, height }: ExtraViewProps) {
  const form = s.runUi.form;
  if (!form) return <Text dimColor>no runbook chosen (4: runbooks)</Text>;
  const nameW = Math.min(16, Math.max(6, ...form.fields.map((f) => f.spec.name.length)) + 1);
  const valW = 28;
  const rows: React.ReactElement[] = [];
  form.fields.forEach((f, i) => {
    const focused = i === form.focus;
    const secret = f.spec.type === 'secret';
    const value = secret ? (f.secretSet ? '(from its source)' : '(not set)') : f.value;
    rows.push(
      <Text key={f.spec.name} wrap="truncate" inverse={focused && !form.picker}>
        {focused ? theme.sel : ' '} {fit(f.spec.name + (f.spec.required && !secret ? '*' : ''), nameW)}
        <Text bold={!secret} color={secret && !f.secretSet && theme.color ? 'red' : undefined}>{fit(value || (focused && !secret ? '' : theme.ascii ? '-' : '—'), valW, theme.ascii)}</Text>
        {focused && !secret && !form.picker ? <Text inverse> </Text> : ' '}
        <Text dimColor> {fieldHint(f)}</Text>
      </Text>,
    );
    if (focused && f.spec.doc) rows.push(<Text key={`${f.spec.name}:doc`} dimColor wrap="truncate">{'    '}{f.spec.doc.split('\n')[0]}</Text>);
    if (focused && form.picker) {
      const items = pickerItems(f, s.fleet, form.picker.query);
      const idx = clampIndex(form.picker.index, items.length);
      const start = windowStart(idx, items.length, PICKER_ROWS);
      rows.push(
        <Box key={`${f.spec.name}:picker`} flexDirection="column" borderStyle="single" marginLeft={4} width={Math.min(width - 4, 64)}>
          <Text>
            <Text bold>pick: </Text>
            {form.picker.query}
            <Text inverse> </Text>
            <Text dimColor>{asc(theme.ascii, '  ↑/↓ Enter · Esc')}</Text>
          </Text>
          {items.length === 0 && <Text dimColor>no machine matches{f.spec.role ? ` (role ${f.spec.role})` : ''}</Text>}
          {items.slice(start, start + PICKER_ROWS).map((it, j) => (
            <Text key={it.value} inverse={start + j === idx} wrap="truncate">
              {fit(it.value, 14)} <Text dimColor>{it.detail}</Text>
            </Text>
          ))}
        </Box>,
      );
    }
  });
  const planFocused = form.focus >= form.fields.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {form.title} <Text dimColor>{asc(theme.ascii, `(${form.runbook}) — fill the parameters, then Enter on “plan”`)}</Text>
      </Text>
      <Text> </Text>
      {rows}
      <Text> </Text>
      <Text inverse={planFocused} bold>
        {planFocused ? theme.sel : ' '} {asc(theme.ascii, '[ plan → ]')}
      </Text>
      {form.problems.slice(0, Math.max(1, height - rows.length - 6)).map((p, i) => (
        <Text key={i} color={theme.color ? 'red' : undefined} wrap="truncate">
          {theme.ascii ? 'x' : '✗'} {p}
        </Text>
      ))}
    </Box>
  );
}
