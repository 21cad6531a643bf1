/** A run's journal as a timeline for the terminal and a Markdown post-mortem. Pure. */
import type { RunEvent } from './events.js';
import { formatDuration } from '../model/duration.js';

function hms(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

export interface StepRow {
  step: string;
  status: string;
  startedAt?: number;
  endedAt?: number;
  targets: string[];
  reason?: string;
}

export function stepRows(events: RunEvent[]): StepRow[] {
  const rows = new Map<string, StepRow>();
  for (const e of events) {
    if (e.t === 'step-start') {
      const r = rows.get(e.step) ?? { step: e.step, status: 'running', targets: [] };
      r.startedAt ??= e.at;
      if (!r.targets.includes(e.target)) r.targets.push(e.target);
      rows.set(e.step, r);
    } else if (e.t === 'step-done') {
      const r = rows.get(e.step) ?? { step: e.step, status: e.status, targets: [] };
      r.status = e.status;
      r.endedAt = e.at;
      r.reason = e.reason;
      r.startedAt ??= e.at;
      rows.set(e.step, r);
    }
  }
  return [...rows.values()];
}

export function timelineLines(events: RunEvent[]): string[] {
  const L: string[] = [];
  for (const e of events) {
    const t = hms(e.at);
    switch (e.t) {
      case 'run-start':
        L.push(`${t}  start ${e.runbook} by ${e.operator} on ${e.host}${e.budgetMs ? `, budget ${formatDuration(e.budgetMs)}` : ''}, params ${JSON.stringify(e.params)}`);
        break;
      case 'resume':
        L.push(`${t}  resumed by ${e.operator}${e.runbookChanged ? ' (runbook changed)' : ''}`);
        break;
      case 'step-start':
        L.push(`${t}  ▶ ${e.step} on ${e.target}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${e.command ? `: ${e.command}` : ''}`);
        break;
      case 'step-end':
        L.push(`${t}    ${e.status} on ${e.target} after ${formatDuration(e.durationMs)}${e.code !== undefined && e.code !== null ? `, exit ${e.code}` : ''}${e.error ? ` — ${e.error}` : ''}`);
        break;
      case 'step-done':
        L.push(`${t}  ${e.status === 'ok' ? '✓' : e.status === 'skipped' ? '–' : '✗'} ${e.step} ${e.status}${e.reason ? ` (${e.reason})` : ''}`);
        break;
      case 'confirm':
        L.push(`${t}    ${e.operator} typed '${e.typed}' for ${e.target}: ${e.ok ? 'confirmed' : `refused (${e.why})`}`);
        break;
      case 'answer':
        L.push(`${t}    answer ${e.name} = ${e.value}`);
        break;
      case 'capture':
        L.push(`${t}    captured ${e.name} = ${e.value}`);
        break;
      case 'decision':
        L.push(`${t}    decision ${e.choice} by ${e.by}: ${e.why}`);
        break;
      case 'rollback':
        L.push(`${t}    undo ${e.step} on ${e.target}: ${e.status}`);
        break;
      case 'lock':
        L.push(`${t}    lock ${e.action} ${e.target}${e.holder ? ` (held by ${e.holder})` : ''}`);
        break;
      case 'hostkey':
        L.push(`${t}    new host key of ${e.target} ${e.accepted ? 'trusted' : 'refused'}: ${e.fingerprint}`);
        break;
      case 'manual':
        if (e.checked.length) L.push(`${t}    checked: ${e.checked.join('; ')}`);
        break;
      case 'note':
        L.push(`${t}    note: ${e.text}`);
        break;
      case 'run-end':
        L.push(`${t}  end: ${e.status}${e.reason ? ` (${e.reason})` : ''}`);
        break;
    }
  }
  return L;
}

export function postMortem(events: RunEvent[], expects: Record<string, number> = {}): string {
  const start = events.find((e) => e.t === 'run-start');
  const end = [...events].reverse().find((e) => e.t === 'run-end');
  if (!start || start.t !== 'run-start') return '# Run\n\nNo run-start event in this journal.\n';
  const total = (end?.at ?? events[events.length - 1].at) - start.at;
  const L = [
    `# ${start.title} — ${new Date(start.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Runbook: \`${start.runbook}\` (sha256 ${start.hash.slice(0, 12)}…)`,
    `- Operator: ${start.operator} on ${start.host}`,
    `- Parameters: ${Object.entries(start.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || 'none'}`,
    `- Outcome: **${end && end.t === 'run-end' ? end.status : 'unfinished'}**${end && end.t === 'run-end' && end.reason ? ` — ${end.reason}` : ''}`,
    `- Duration: ${formatDuration(total)}${start.budgetMs ? ` against a budget of ${formatDuration(start.budgetMs)} (${total <= start.budgetMs ? 'within' : 'OVER'})` : ''}`,
    '',
    '## Steps',
    '',
    '| step | status | started | took | expected |',
    '|---|---|---|---|---|',
    ...stepRows(events).map((r) => `| ${r.step} | ${r.status} | ${r.startedAt ? hms(r.startedAt) : ''} | ${r.startedAt && r.endedAt ? formatDuration(r.endedAt - r.startedAt) : ''} | ${expects[r.step] ? formatDuration(expects[r.step]) : ''} |`),
    '',
    '## Timeline',
    '',
    '```',
    ...timelineLines(events),
    '```',
    '',
  ];
  const refusals = events.filter((e) => e.t === 'confirm' && !e.ok).length;
  const decisions = events.filter((e) => e.t === 'decision');
  if (refusals || decisions.length) L.push('## Decisions and refusals', '', `- ${refusals} confirmation(s) refused`, ...decisions.map((d) => d.t === 'decision' && `- ${d.step}: ${d.choice} by ${d.by} — ${d.why}`).filter(Boolean) as string[], '');
  return L.join('\n');
}
