import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../app/state.js';
import type { PaletteItem } from '../../app/palette.js';
import { helpRows } from '../keys/bindings.js';
import { asciiText, boxStyle, isAscii } from '../theme.js';

export function PaletteBox({ s, results, width }: { s: AppState; results: PaletteItem[]; width: number }) {
  const p = s.palette!;
  return (
    <Box flexDirection="column" borderStyle={boxStyle(s.ascii)} width={Math.min(width, 70)}>
      <Text>
        <Text bold>:</Text>
        {p.query}
        <Text inverse> </Text>
      </Text>
      {results.length === 0 && <Text dimColor>nothing matches</Text>}
      {results.map((r, i) => (
        <Text key={`${r.kind}:${r.label}:${i}`} inverse={i === p.index} wrap="truncate">
          {`${r.kind.padEnd(8)}${r.label.padEnd(14)} `}
          <Text dimColor>{r.detail}</Text>
        </Text>
      ))}
      <Text dimColor>{asciiText(s.ascii, '↑/↓ choose · Enter go · Esc close')}</Text>
    </Box>
  );
}

export function HelpBox({ s, width, height }: { s: AppState; width: number; height: number }) {
  const rows = helpRows(s.view, s.readOnly);
  // as many columns as it takes to fit the height
  const perCol = Math.max(1, height - 4);
  const cols = Math.ceil(rows.length / perCol);
  const colW = Math.max(24, Math.floor((width - 2) / cols));
  return (
    <Box flexDirection="column" borderStyle={boxStyle(s.ascii)} width={Math.min(width, cols === 1 ? 64 : width)}>
      <Text bold>{asciiText(s.ascii, `Keys — ${s.view}${s.readOnly ? ' (read-only)' : ''}`)}</Text>
      <Box>
        {Array.from({ length: cols }, (_, c) => (
          <Box key={c} flexDirection="column" width={colW}>
            {rows.slice(c * perCol, (c + 1) * perCol).map((r) => {
              // cut by hand: Ink's truncation mark is not ASCII
              const line = asciiText(s.ascii, `${r.keys.padEnd(10)} ${r.help}`);
              return (
                <Text key={r.keys + r.help} wrap="truncate">
                  {isAscii(s.ascii) && line.length > colW - 1 ? line.slice(0, colW - 4) + '...' : line}
                </Text>
              );
            })}
          </Box>
        ))}
      </Box>
      <Text dimColor>Esc or ? closes</Text>
    </Box>
  );
}

export function ConfirmBox({ s, width }: { s: AppState; width: number }) {
  const c = s.confirm!;
  return (
    <Box flexDirection="column" borderStyle={boxStyle(s.ascii, 'double')} borderColor="red" width={Math.min(width, 70)}>
      <Text bold color="red">{c.title}</Text>
      <Text>
        Type <Text bold>{c.expect}</Text> to confirm, Esc to cancel:
      </Text>
      <Text>
        {'> '}
        {c.typed}
        <Text inverse> </Text>
      </Text>
      {c.error && <Text color="red">{c.error}</Text>}
    </Box>
  );
}

export function QuitBox({ s }: { s: AppState }) {
  const runs = Object.values(s.runs);
  return (
    <Box flexDirection="column" borderStyle={boxStyle(s.ascii)} width={60}>
      <Text bold>Quit baie?</Text>
      {runs.length > 0 && <Text color="yellow">A run is in progress ({runs.join(', ')}); its journal is kept and `baie resume` continues it.</Text>}
      <Text>y quit · any other key stays</Text>
    </Box>
  );
}

/** The same typed confirmation, for a question that is not in `s.confirm` (a run's destructive step). */
export function TypedConfirmBox({ title, question, expect, typed, error, note, width }: { title: string; question?: string; expect: string; typed: string; error?: string; note?: string; width: number }) {
  return (
    <Box flexDirection="column" borderStyle={boxStyle(false, 'double')} borderColor="red" width={Math.min(width, 80)}>
      <Text bold color="red" wrap="truncate">{title}</Text>
      {question && <Text wrap="wrap">{question}</Text>}
      <Text>
        Type <Text bold>{expect}</Text> to confirm, Esc to cancel:
      </Text>
      <Text>
        {'> '}
        {typed}
        <Text inverse> </Text>
      </Text>
      {error && <Text color="red">{error}</Text>}
      {note && <Text dimColor>{note}</Text>}
    </Box>
  );
}

export function AskBox({ s, width }: { s: AppState; width: number }) {
  const a = s.ask!;
  return (
    <Box flexDirection="column" borderStyle={boxStyle(s.ascii, 'double')} width={Math.min(width, 90)}>
      <Text bold>{asciiText(s.ascii, a.title)}</Text>
      {a.lines.map((l, i) => (
        <Text key={i} wrap="wrap">{asciiText(s.ascii, l)}</Text>
      ))}
      {a.choices ? (
        a.choices.map((c) => (
          <Text key={c.key}>
            <Text bold>{c.key}</Text> {c.label}
          </Text>
        ))
      ) : (
        <Text>
          {'> '}
          {a.secret ? '*'.repeat((a.typed ?? '').length) : a.typed}
          <Text inverse> </Text>
        </Text>
      )}
    </Box>
  );
}
