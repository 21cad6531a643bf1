/** The runbooks list: unfinished runs to resume first, then every runbook; the selected one's doc beside it. */
import React from 'react';
import { Box, Text } from 'ink';
import { wrapLines } from '../../layout/wrap.js';
import type { ExtraViewProps } from '../extra.js';
import { clampIndex, runbookRows, type RunbookRow } from '../../../app/runs/select.js';
import { asc, fit, windowStart } from './glyphs.js';

function rowText(r: RunbookRow, w: number, ascii: boolean): string {
  if (r.kind === 'resume') return fit(`${ascii ? '@' : '↻'} resume ${r.run.runbook}  ${new Date(r.run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} by ${r.run.operator}`, w, ascii);
  const e = r.entry;
  return fit(`${e.name.padEnd(22)} ${(e.budget ?? '').padEnd(6)} ${e.problems.length ? '(does not load) ' : ''}${e.title}`, w, ascii);
}

function docLines(r: RunbookRow | undefined): { text: string; bold?: boolean; dim?: boolean; warn?: boolean }[] {
  if (!r) return [];
  if (r.kind === 'resume') {
    const u = r.run;
    return [
      { text: `${u.title}`, bold: true },
      { text: `run ${u.run}`, dim: true },
      { text: `started ${new Date(u.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC by ${u.operator}` },
      { text: '' },
      { text: 'This run never ended (the console quit or crashed).' },
      { text: 'Enter shows what is done and what is in doubt, then y resumes it:' },
      { text: 'done steps are skipped; a step in doubt asks retry/skip/rollback/abort.' },
    ];
  }
  const e = r.entry;
  const L: { text: string; bold?: boolean; dim?: boolean; warn?: boolean }[] = [{ text: e.title, bold: true }, { text: `${e.name}${e.budget ? ` · budget ${e.budget}` : ''}${e.appliesTo.length ? ` · for ${e.appliesTo.join(', ')}` : ''}`, dim: true }];
  for (const p of e.problems.slice(0, 5)) L.push({ text: p, warn: true });
  if (e.doc) L.push({ text: '' }, ...e.doc.trim().split('\n').map((text) => ({ text })));
  if (e.params.length) {
    L.push({ text: '' }, { text: 'Parameters', bold: true });
    for (const p of e.params) L.push({ text: `  ${p.name}: ${p.type}${p.role ? ` (${p.role})` : ''}${p.type === 'secret' ? ` from ${p.from}` : ''}${p.required ? '' : ' (optional)'}${p.doc ? ` — ${p.doc.split('\n')[0]}` : ''}` });
  }
  L.push({ text: '' }, { text: e.file, dim: true });
  return L;
}

export function RunbooksView({ s, theme, width, height }: ExtraViewProps) {
  const ui = s.runUi;
  if (!ui.catalog.loaded) return <Text dimColor>loading runbooks…</Text>;
  const rows = runbookRows(s);
  const sel = clampIndex(ui.index, rows.length);
  const m = ui.forMachine ? s.fleet.machines.find((x) => x.name === ui.forMachine) : undefined;
  const head = m ? `Runbooks for ${m.name} (roles ${m.roles.join(', ') || 'none'}) — 4 shows all` : `Runbooks (${ui.catalog.entries.length})${ui.catalog.unfinished.length ? ` · ${ui.catalog.unfinished.length} unfinished run(s) to resume` : ''}`;
  const side = width >= 100;
  const listW = side ? Math.min(60, Math.floor(width * 0.5)) : width;
  const listH = side ? height - 1 : Math.max(3, Math.min(rows.length, Math.floor((height - 1) / 2)));
  const start = windowStart(sel, rows.length, listH);
  const docW = side ? width - listW - 2 : width;
  // wrap the doc to its pane: a cut line loses the part of the procedure that matters
  const doc = docLines(rows[sel]).flatMap((l) => wrapLines([l.text], docW - 1).map((text) => ({ ...l, text })));
  const docH = side ? height - 1 : height - 1 - listH - 1;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {asc(theme.ascii, head)}
        {s.filter ? `  filter: ${s.filter}` : ''}
        {ui.catalog.error ? `  (${ui.catalog.error})` : ''}
      </Text>
      <Box flexDirection={side ? 'row' : 'column'}>
        <Box flexDirection="column" width={listW} height={listH}>
          {rows.length === 0 && <Text dimColor>{s.filter || m ? 'no runbook matches' : 'no runbooks (shipped ones in runbooks/, yours: baie config set runbookDirs DIR)'}</Text>}
          {rows.slice(start, start + listH).map((r, i) => (
            <Text key={start + i} inverse={start + i === sel} color={r.kind === 'resume' ? 'yellow' : undefined} wrap="truncate">
              {rowText(r, listW, theme.ascii)}
            </Text>
          ))}
        </Box>
        {!side && <Text dimColor>{theme.box.h.repeat(Math.max(0, width - 1))}</Text>}
        <Box flexDirection="column" width={docW} marginLeft={side ? 2 : 0} height={Math.max(1, docH)}>
          {doc.slice(0, Math.max(1, docH)).map((l, i) => (
            <Text key={i} bold={l.bold} dimColor={l.dim} color={l.warn ? 'red' : undefined} wrap="truncate">
              {asc(theme.ascii, l.text) || ' '}
            </Text>
          ))}
        </Box>
      </Box>
    </Box>
  );
}
