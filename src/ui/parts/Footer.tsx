import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import { footerHints } from '../keys/bindings.js';

export function Footer({ s, width }: { s: AppState; width: number }) {
  const last = s.notices[s.notices.length - 1];
  if (s.filterOpen) {
    return (
      <Box width={width}>
        <Text bold>/</Text>
        <Text>{s.filter}</Text>
        <Text inverse> </Text>
        <Text dimColor>  Enter keep · Esc clear</Text>
      </Box>
    );
  }
  const hints = footerHints(s.view, s.readOnly).map((h) => `${h.keys} ${h.label}`).join('  ');
  return (
    <Box width={width} flexDirection="column">
      <Text color={last?.level === 'error' ? 'red' : last?.level === 'warn' ? 'yellow' : undefined} wrap="truncate">
        {last && Date.now() - last.at < 15_000 ? last.text : ' '}
      </Text>
      <Text dimColor wrap="truncate">
        {s.filter ? `filter: ${s.filter}  ` : ''}
        {hints}
      </Text>
    </Box>
  );
}
