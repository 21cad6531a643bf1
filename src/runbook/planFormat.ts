/** The plan as text for a terminal, and as a Markdown checklist a volunteer carries on paper. */
import { formatDuration } from '../model/duration.js';
import type { Plan, PlanStep } from './plan.js';

function guards(s: PlanStep): string[] {
  const g: string[] = [];
  if (s.destructive) g.push('DESTRUCTIVE: type the machine name');
  if (s.idempotent) g.push('idempotent');
  if (s.retries) g.push(`retries ${s.retries} every ${formatDuration(s.delayMs)}`);
  return g;
}

export function formatPlan(p: Plan): string {
  const L: string[] = [`${p.title} (${p.runbook})`, ''];
  for (const s of p.steps) {
    L.push(`${String(s.index + 1).padStart(2)}. [${s.kind}] ${s.title}  ~${formatDuration(s.expectMs)}${guards(s).length ? `  (${guards(s).join(', ')})` : ''}`);
    if (s.cond !== undefined) L.push(`      if     ${s.cond}`);
    if (s.manual) for (const line of s.manual.trim().split('\n')) L.push(`      ${line}`);
    for (const c of s.checklist ?? []) L.push(`      [ ] ${c}`);
    for (const [k, q] of Object.entries(s.ask ?? {})) L.push(`      ? ${k}${q.pattern ? ` (${q.pattern})` : ''}${q.doc ? `: ${q.doc}` : ''}`);
    if (s.ipmi) L.push(`      ipmi ${s.targets.join(', ')}: ${s.ipmi}`);
    if (s.console) L.push(`      console ${s.targets.join(', ')}: ${s.console.send ? `send ${JSON.stringify(s.console.send)}, ` : ''}wait for ${s.console.expect ?? Object.keys(s.console.expectAny ?? {}).join(' | ')}${s.console.scrollback ? ' (the replayed lines count)' : ''}`);
    for (const c of s.commands) {
      const on = c.target;
      if (c.when) L.push(`      when   ${on}$ ${c.when}`);
      if (c.pre) L.push(`      pre    ${on}$ ${c.pre}`);
      if (c.run) L.push(`      run    ${on}$ ${c.run}`);
      if (c.until) L.push(`      until  ${on}$ ${c.until}  (every ${formatDuration(s.wait!.everyMs)}, up to ${formatDuration(s.wait!.timeoutMs)})`);
      if (c.post) L.push(`      post   ${on}$ ${c.post}`);
      if (c.rollback) L.push(`      undo   ${on}$ ${c.rollback}`);
    }
    if (s.acceptNewHostKey) L.push(`      accept the new host key of ${s.targets.join(', ')} (typed confirmation, fingerprint shown)`);
  }
  L.push('');
  L.push(`expected ${formatDuration(p.totalExpectMs)}${p.budgetMs ? ` of a ${formatDuration(p.budgetMs)} budget${p.totalExpectMs > p.budgetMs ? ` — OVER BUDGET by ${formatDuration(p.totalExpectMs - p.budgetMs)}` : ''}` : ''}`);
  for (const pr of p.problems) L.push(`problem: ${pr}`);
  return L.join('\n');
}

export function planMarkdown(p: Plan): string {
  const L: string[] = [`# ${p.title}`, '', `Runbook \`${p.runbook}\` — expected ${formatDuration(p.totalExpectMs)}${p.budgetMs ? `, budget ${formatDuration(p.budgetMs)}` : ''}.`, ''];
  if (p.doc) L.push(p.doc.trim(), '');
  L.push('Operator: ____________  Date: ____________  Start time: ______', '');
  for (const s of p.steps) {
    L.push(`## ${s.index + 1}. ${s.title}${s.destructive ? ' ⚠ destructive' : ''}`, '');
    L.push(`- [ ] done at ______ (expected ~${formatDuration(s.expectMs)})`);
    if (s.cond !== undefined) L.push(`- only if: ${s.cond}`);
    if (s.manual) L.push('', ...s.manual.trim().split('\n').map((l) => `> ${l}`));
    for (const c of s.checklist ?? []) L.push(`- [ ] ${c}`);
    for (const [k, q] of Object.entries(s.ask ?? {})) L.push(`- ${k}: ______________________${q.doc ? ` (${q.doc})` : ''}`);
    if (s.ipmi) L.push(`- IPMI on ${s.targets.join(', ')}: \`${s.ipmi}\``);
    const cmds = s.commands.flatMap((c) => [c.pre && `${c.target}$ ${c.pre}   # check before`, c.run && `${c.target}$ ${c.run}`, c.until && `${c.target}$ ${c.until}   # repeat until it succeeds`, c.post && `${c.target}$ ${c.post}   # check after`].filter(Boolean) as string[]);
    if (cmds.length) L.push('', '```', ...cmds, '```');
    const undo = s.commands.filter((c) => c.rollback).map((c) => `${c.target}$ ${c.rollback}`);
    if (undo.length) L.push('', 'To undo:', '```', ...undo, '```');
    L.push('');
  }
  return L.join('\n');
}
