/** Prints run events for a person (status lines, output prefixed by machine, budget clock) or as JSON lines. */
import type { RunEvent } from '../runbook/events.js';
import { formatClock, formatDuration } from '../model/duration.js';

export function runPrinter(out: NodeJS.WritableStream, json: boolean, color = !process.env.NO_COLOR && (out as NodeJS.WriteStream).isTTY === true) {
  if (json) return (e: RunEvent) => void out.write(JSON.stringify(e) + '\n');
  let started = 0;
  let budget: number | undefined;
  let expectLeft = 0;
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const clock = (at: number) => `[${formatClock(at - started)}${budget ? ` / ${formatDuration(budget)}` : ''}]`;
  let partial = new Map<string, string>();
  return (e: RunEvent) => {
    switch (e.t) {
      case 'run-start':
        started = e.at;
        budget = e.budgetMs;
        expectLeft = e.expectMs;
        out.write(`${c('1', e.title)} (${e.runbook}) run ${e.run} by ${e.operator}${budget ? `, budget ${formatDuration(budget)}` : ''}\n`);
        break;
      case 'resume':
        out.write(`resuming${e.runbookChanged ? c('33', ' — the runbook changed since the run started') : ''}\n`);
        started ||= e.at;
        break;
      case 'step-start':
        out.write(`${clock(e.at)} ${c('36', '▶')} ${e.step} on ${e.target}${e.command ? `: ${e.command}` : ''}\n`);
        break;
      case 'output': {
        const key = `${e.step}/${e.target}`;
        const text = (partial.get(key) ?? '') + e.chunk;
        const lines = text.split('\n');
        partial.set(key, lines.pop() ?? '');
        for (const l of lines) out.write(`  ${c('2', e.target + '|')} ${l.replace(/\r$/, '')}\n`);
        break;
      }
      case 'progress':
        if (e.percent !== undefined) out.write(`  ${c('2', e.target + '|')} ${e.percent.toFixed(1)}%${e.etaMs !== undefined ? `, ETA ${formatDuration(e.etaMs)}` : ''}\n`);
        break;
      case 'step-end':
        if (e.status !== 'ok') out.write(`  ${e.status === 'skipped' ? c('2', '–') : c('31', '✗')} ${e.step} on ${e.target}: ${e.status}${e.error ? ` (${e.error})` : ''}\n`);
        break;
      case 'step-done':
        out.write(`${clock(e.at)} ${e.status === 'ok' ? c('32', '✓') : e.status === 'skipped' ? c('2', '–') : c('31', '✗')} ${e.step} ${e.status}${e.reason ? `: ${e.reason}` : ''}\n`);
        break;
      case 'confirm':
        if (!e.ok) out.write(`  ${c('31', 'refused')}: ${e.why ?? 'not confirmed'}\n`);
        break;
      case 'capture':
        out.write(`  captured ${e.name}=${e.value}\n`);
        break;
      case 'lock':
        if (e.action !== 'take' && e.action !== 'release') out.write(`  lock ${e.target}: ${e.action}${e.holder ? ` (${e.holder})` : ''}\n`);
        break;
      case 'rollback':
        out.write(`  undo ${e.step} on ${e.target}: ${e.status} (${e.command})\n`);
        break;
      case 'decision':
        out.write(`  decision: ${e.choice} (${e.why})\n`);
        break;
      case 'hostkey':
        out.write(`  trusted new host key of ${e.target}: ${e.fingerprint}\n`);
        break;
      case 'note':
        out.write(`  note: ${e.text}\n`);
        break;
      case 'run-end':
        out.write(`${clock(e.at)} run ${e.status === 'done' ? c('32', 'done') : c('31', e.status)}${e.reason ? `: ${e.reason}` : ''} in ${formatDuration(e.at - started)}\n`);
        void expectLeft;
        break;
    }
  };
}
