/** A run's journal as the console's timeline view shows it. Reads the file; throws on I/O errors. */
import { readJournal } from '../../runbook/journal.js';
import { timelineLines } from '../../runbook/timeline.js';

export function journalTimeline(file: string): { run: string; title: string; lines: string[] } {
  const { events, torn, bad } = readJournal(file);
  const start = events.find((e) => e.t === 'run-start');
  const lines = timelineLines(events);
  if (torn) lines.push('(the last line was cut by a crash and is not shown)');
  if (bad) lines.push(`(${bad} unreadable line(s) skipped)`);
  const run = start?.t === 'run-start' ? start.run : file.replace(/^.*[/\\]/, '');
  const title = start?.t === 'run-start' ? start.title : '?';
  return { run, title, lines };
}
