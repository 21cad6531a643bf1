/** A run's question to the operator: typed confirmation, manual checklist and answers, failure choices. */
import React from 'react';
import { Box, Text } from 'ink';
import type { RunPrompt } from '../../../app/runs/types.js';
import type { Theme } from '../../theme.js';
import { TypedConfirmBox } from '../../parts/Overlays.js';
import { asc, fit } from './glyphs.js';

const CHOICE_HELP: Record<string, string> = { retry: 'r  retry the step', skip: 's  skip it and go on', rollback: 'b  roll back the steps done (their undo commands)', abort: 'a  abort the run (resume later)' };

export function PromptBox({ p, theme, width, height }: { p: RunPrompt; theme: Theme; width: number; height: number }) {
  const red = theme.color ? 'red' : undefined;
  switch (p.kind) {
    case 'confirm':
      return (
        <TypedConfirmBox
          title={`DESTRUCTIVE: ${p.step} on ${p.target}`}
          question={p.question}
          expect={p.target}
          typed={p.typed}
          error={p.error}
          note={asc(theme.ascii, `attempt ${p.attempt} of 3 · Esc cancels (the step is refused) · Ctrl-B leaves it waiting`)}
          width={width}
        />
      );
    case 'takeover':
      return <TypedConfirmBox title={`${p.target} is locked by another run`} question={`held by ${p.holder}. Take the lock over only if that run is dead.`} expect={p.target} typed={p.typed} width={width} />;
    case 'changed':
      return (
        <Box flexDirection="column" borderStyle="single" width={Math.min(width, 80)}>
          <Text bold>The runbook file changed since this run started.</Text>
          <Text dimColor>{asc(theme.ascii, `${p.oldHash.slice(0, 12)} → ${p.newHash.slice(0, 12)}`)}</Text>
          <Text>{asc(theme.ascii, 'y go on with the new version · n stop')}</Text>
        </Box>
      );
    case 'choice':
      return (
        <Box flexDirection="column" borderStyle="double" borderColor={red} width={Math.min(width, 90)}>
          <Text bold color={red} wrap="truncate">
            {p.reason === 'failure' ? `${p.step} FAILED` : `${p.step} is IN DOUBT`}
          </Text>
          <Text wrap="wrap">{p.error}</Text>
          {p.choices.map((c, i) => (
            <Text key={c} inverse={i === p.index}>
              {i === p.index ? theme.sel : ' '} {CHOICE_HELP[c] ?? c}
            </Text>
          ))}
          <Text dimColor>{asc(theme.ascii, 'r/s/b/a or ↑/↓ to choose, Enter to do it')}</Text>
        </Box>
      );
    case 'manual': {
      const text = p.text.split('\n');
      const fixed = 4 + p.checklist.length + p.asks.length + (p.hands ? 3 : 0) + (p.problem ? 1 : 0) + (p.handsReport ? 1 : 0);
      const textRows = Math.max(1, Math.min(text.length, height - fixed));
      return (
        <Box flexDirection="column" borderStyle="single" borderColor={theme.color ? 'yellow' : undefined} width={Math.min(width, 100)}>
          <Text bold color={theme.color ? 'yellow' : undefined} wrap="truncate">
            {asc(theme.ascii, `MANUAL — ${p.title}`)}
          </Text>
          {text.slice(0, textRows).map((l, i) => (
            <Text key={i} wrap="truncate">{asc(theme.ascii, l) || ' '}</Text>
          ))}
          {p.checklist.map((c, i) => (
            <Text key={`c${i}`} inverse={p.focus === i} wrap="truncate">
              [{c.checked ? 'x' : ' '}] {c.text}
            </Text>
          ))}
          {p.asks.map((a, i) => {
            const focused = p.focus === p.checklist.length + i;
            return (
              <Text key={a.name} wrap="truncate">
                {focused ? theme.sel : ' '} {fit(a.name, 12, theme.ascii)} <Text bold>{a.value}</Text>
                {focused ? <Text inverse> </Text> : ''}
                <Text dimColor> {a.pattern ? `(${a.pattern})` : ''}{a.doc ? ` ${a.doc}` : ''}</Text>
              </Text>
            );
          })}
          {p.hands && p.handsHere && <Text dimColor wrap="truncate">lab: Ctrl-L lets the lab's hands do it ({p.hands})</Text>}
          {p.hands && !p.handsHere && <Text dimColor wrap="truncate">lab: the lab's hands do it with:</Text>}
          {p.hands && !p.handsHere && <Text wrap="truncate">  {p.handsCommand ?? `baie lab hands ${p.hands}`}</Text>}
          {p.handsReport && <Text color={theme.color ? 'cyan' : undefined} wrap="truncate">hands report: {p.handsReport}</Text>}
          {p.problem && <Text color={red} wrap="truncate">{theme.ascii ? 'x' : '✗'} {p.problem}</Text>}
          <Text dimColor wrap="truncate">
            {asc(theme.ascii, p.abortAsk ? 'Abort the run here? y aborts · any other key goes back' : `${p.checklist.length ? 'Space ticks · ' : ''}${p.asks.length ? 'type the answers · ' : ''}↑/↓ move · Enter: done · Esc: abort…`)}
          </Text>
        </Box>
      );
    }
  }
}
