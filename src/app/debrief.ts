/**
 * The debrief of a drill: from what the rehearsal recorded (fault times, probe health transitions,
 * the team's actions in the console, when the goal held) and the journals of the runs started
 * during the drill. Pure: the caller reads the journals.
 *
 * Definitions (also printed in every debrief, see HOW_COMPUTED):
 * - time to detect a fault: from its injection to the team's first action on its machine taken at or
 *   after the first probe that showed that machine not ok. Actions: opening the machine in the
 *   console, a shell or serial console on it, or starting a runbook whose parameters or step
 *   targets name it.
 * - time to recover: from the drill's start to the end of the first probe round in which every goal
 *   condition held; compared with the drill's budget.
 * All times are real (wall-clock) time: the team's minutes are real, while lab operations (resync,
 * restore, boot) ran `speed` times faster.
 */
import type { RunEvent } from '../runbook/events.js';
import { stepRows, timelineLines, type StepRow } from '../runbook/timeline.js';
import { formatClock, formatDuration as fullDuration } from '../model/duration.js';

/** Whole seconds, cut like the header's clock (never one second more than it shows). */
const formatDuration = (ms: number): string => fullDuration(Math.sign(ms) * Math.floor(Math.abs(ms) / 1000) * 1000);

export type ActionKind = 'opened' | 'shell' | 'console' | 'runbook';

export interface DrillAction {
  at: number;
  machine: string;
  what: ActionKind;
  /** The runbook for `runbook`. */
  detail?: string;
}

/** A probe of a machine the drill watches (every round; the timeline shows the changes only). */
export interface HealthSample {
  at: number;
  machine: string;
  level: string;
  reasons?: string[];
}

export interface FaultRecord {
  fault: string;
  machine: string;
  arg?: string;
  /** As written in the drill (`10m` of lab time); absent: at the start. */
  at?: string;
  /** Real ms when injected; absent: not injected (the drill ended first, or it failed). */
  injectedAt?: number;
  error?: string;
}

export interface DebriefInput {
  drill: { drill: string; title: string; runbook: string; speed?: number; budget?: string; budgetMs?: number };
  startedAt: number;
  /** When the goal held, or the drill was quit. */
  endedAt: number;
  goalAt?: number;
  /** Goal conditions that did not hold at the end (with why). */
  goalMissing?: string[];
  faults: FaultRecord[];
  health: HealthSample[];
  actions: DrillAction[];
  runs: { run: string; events: RunEvent[] }[];
}

export interface FaultDebrief extends FaultRecord {
  seenAt?: number;
  actedAt?: number;
  actedHow?: string;
  detectMs?: number;
}

export interface RunDebrief {
  run: string;
  runbook: string;
  title: string;
  mode: string;
  status: string;
  startedAt: number;
  endedAt?: number;
  steps: StepRow[];
}

export interface Debrief {
  drill: string;
  title: string;
  runbook: string;
  speed?: number;
  budgetMs?: number;
  startedAt: number;
  endedAt: number;
  finished: boolean;
  /** Time to recover (goal held), when it did. */
  recoverMs?: number;
  withinBudget?: boolean;
  /** Time to detect the first start fault, when it was detected. */
  detectMs?: number;
  faults: FaultDebrief[];
  runs: RunDebrief[];
  usedExpectedRunbook: boolean;
  stepCounts: Record<string, number>;
  refused: { at: number; run: string; step: string; target: string; typed: string; why?: string }[];
  skipped: { run: string; step: string; reason?: string }[];
  rolledBack: { run: string; step: string; target?: string; status: string }[];
  goalMissing: string[];
  timeline: { at: number; text: string }[];
}

export const HOW_COMPUTED = [
  'Time to detect: from the fault\'s injection to the team\'s first action on its machine (opening it in the console, a shell or serial console on it, or a runbook naming it) taken at or after the first probe that showed the machine not ok.',
  'Time to recover: from the start of the drill to the end of the first probe round in which every goal condition held.',
  'Times are real (wall-clock) time; lab operations (resync, restore, boot) ran faster by the drill\'s speed.',
];

function mentions(v: unknown, machine: string): boolean {
  if (v === machine) return true;
  if (Array.isArray(v)) return v.some((x) => mentions(x, machine));
  if (typeof v === 'string') return v.split(/[\s,]+/).includes(machine);
  return false;
}

/** Actions implied by a run's journal: its start when a parameter names the machine, else its first step there. */
export function runActions(run: { events: RunEvent[] }, machines: string[]): DrillAction[] {
  const out: DrillAction[] = [];
  const start = run.events.find((e) => e.t === 'run-start');
  const runbook = start && start.t === 'run-start' ? start.runbook : '?';
  for (const m of machines) {
    if (start && start.t === 'run-start' && Object.values(start.params).some((v) => mentions(v, m))) {
      out.push({ at: start.at, machine: m, what: 'runbook', detail: runbook });
      continue;
    }
    const step = run.events.find((e) => e.t === 'step-start' && e.target === m);
    if (step) out.push({ at: step.at, machine: m, what: 'runbook', detail: runbook });
  }
  return out;
}

const HOW: Record<ActionKind, string> = { opened: 'opened it in the console', shell: 'opened a shell on it', console: 'opened its serial console', runbook: 'started runbook' };

export function buildDebrief(x: DebriefInput): Debrief {
  const machines = [...new Set(x.faults.map((f) => f.machine))];
  const actions = [...x.actions, ...x.runs.flatMap((r) => runActions(r, machines))].sort((a, b) => a.at - b.at);
  const faults: FaultDebrief[] = x.faults.map((f) => {
    if (f.injectedAt === undefined) return { ...f };
    const seenAt = x.health.find((h) => h.machine === f.machine && h.at >= f.injectedAt! && h.at <= x.endedAt && h.level !== 'ok')?.at;
    if (seenAt === undefined) return { ...f };
    const act = actions.find((a) => a.machine === f.machine && a.at >= seenAt && a.at <= x.endedAt);
    if (!act) return { ...f, seenAt };
    return { ...f, seenAt, actedAt: act.at, actedHow: act.what === 'runbook' ? `${HOW.runbook} ${act.detail ?? ''}`.trim() : HOW[act.what], detectMs: act.at - f.injectedAt };
  });
  const runs: RunDebrief[] = x.runs.map((r) => {
    const start = r.events.find((e) => e.t === 'run-start');
    const end = [...r.events].reverse().find((e) => e.t === 'run-end');
    const s = start && start.t === 'run-start' ? start : undefined;
    return {
      run: r.run,
      runbook: s?.runbook ?? '?',
      title: s?.title ?? '?',
      mode: s?.mode ?? '?',
      status: end && end.t === 'run-end' ? end.status : 'unfinished',
      startedAt: s?.at ?? r.events[0]?.at ?? x.startedAt,
      endedAt: end?.at,
      steps: stepRows(r.events),
    };
  });
  const stepCounts: Record<string, number> = {};
  for (const r of runs) for (const s of r.steps) stepCounts[s.status] = (stepCounts[s.status] ?? 0) + 1;
  const refused: Debrief['refused'] = [];
  const rolledBack: Debrief['rolledBack'] = [];
  for (const r of x.runs) {
    for (const e of r.events) {
      if (e.t === 'confirm' && !e.ok) refused.push({ at: e.at, run: r.run, step: e.step, target: e.target, typed: e.typed, why: e.why });
      if (e.t === 'rollback') rolledBack.push({ run: r.run, step: e.step, target: e.target, status: e.status });
    }
  }
  const skipped = runs.flatMap((r) => r.steps.filter((s) => s.status === 'skipped').map((s) => ({ run: r.run, step: s.step, reason: s.reason })));
  const recoverMs = x.goalAt !== undefined ? x.goalAt - x.startedAt : undefined;
  const first = faults.find((f) => !f.at) ?? faults[0];
  return {
    drill: x.drill.drill,
    title: x.drill.title,
    runbook: x.drill.runbook,
    speed: x.drill.speed,
    budgetMs: x.drill.budgetMs,
    startedAt: x.startedAt,
    endedAt: x.endedAt,
    finished: x.goalAt !== undefined,
    recoverMs,
    withinBudget: recoverMs !== undefined && x.drill.budgetMs !== undefined ? recoverMs <= x.drill.budgetMs : undefined,
    detectMs: first?.detectMs,
    faults,
    runs,
    usedExpectedRunbook: runs.some((r) => r.runbook === x.drill.runbook),
    stepCounts,
    refused,
    skipped,
    rolledBack,
    goalMissing: x.goalAt !== undefined ? [] : (x.goalMissing ?? []),
    timeline: timeline(x),
  };
}

function faultText(f: FaultRecord): string {
  return `${f.fault} on ${f.machine}${f.arg ? ` (${f.arg})` : ''}`;
}

function timeline(x: DebriefInput): { at: number; text: string }[] {
  const T: { at: number; text: string; order: number }[] = [];
  const add = (at: number, text: string, order = 1) => T.push({ at, text, order });
  add(x.startedAt, `drill ${x.drill.drill} started`, 0);
  for (const f of x.faults) {
    if (f.injectedAt !== undefined) add(f.injectedAt, `fault injected: ${faultText(f)}${f.at ? ` (surprise at ${f.at} of lab time)` : ''}`, 0);
    else if (f.error) add(x.startedAt, `fault ${faultText(f)} could not be injected: ${f.error}`, 0);
  }
  const last = new Map<string, string>();
  for (const h of [...x.health].sort((a, b) => a.at - b.at)) {
    if (h.at < x.startedAt || h.at > x.endedAt) continue;
    const key = `${h.level} ${(h.reasons ?? []).join('; ')}`;
    if (last.get(h.machine) === key) continue;
    last.set(h.machine, key);
    add(h.at, `probe: ${h.machine} ${h.level}${h.reasons?.length ? ` (${h.reasons.join('; ')})` : ''}`);
  }
  for (const a of x.actions) add(a.at, `team ${a.what === 'opened' ? 'opened' : a.what === 'shell' ? 'opened a shell on' : a.what === 'console' ? 'opened the console of' : 'ran a runbook on'} ${a.machine}`);
  for (const r of x.runs) {
    const start = r.events.find((e) => e.t === 'run-start');
    const label = start && start.t === 'run-start' ? start.runbook : r.run;
    for (const e of r.events) {
      const line = e.at <= x.endedAt ? timelineLines([e])[0] : undefined;
      if (line) add(e.at, `[${label}] ${line.slice(10).trim()}`);
    }
  }
  if (x.goalAt !== undefined) add(x.goalAt, 'goal holds: clock stopped', 2);
  else add(x.endedAt, 'drill ended before the goal held', 2);
  return T.sort((a, b) => a.at - b.at || a.order - b.order).map(({ at, text }) => ({ at, text }));
}

const rel = (d: Debrief, at: number) => `+${formatClock(at - d.startedAt)}`;

/** The key numbers, one `label: value` per line (the view's head and the Markdown list). */
export function debriefSummary(d: Debrief): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['Outcome', d.finished ? 'goal reached' : 'UNFINISHED: the drill ended before the goal held']);
  rows.push(['Time to recover', d.recoverMs !== undefined ? `${formatDuration(d.recoverMs)}${d.budgetMs !== undefined ? ` against a budget of ${formatDuration(d.budgetMs)} (${d.withinBudget ? 'within' : 'OVER'})` : ''}` : `not reached after ${formatDuration(d.endedAt - d.startedAt)}${d.budgetMs !== undefined ? ` (budget ${formatDuration(d.budgetMs)})` : ''}`]);
  for (const f of d.faults) {
    const what = `Time to detect ${f.fault} on ${f.machine}`;
    if (f.injectedAt === undefined) rows.push([what, f.error ? `not injected: ${f.error}` : `not injected (the drill ended before ${f.at ?? 'it'})`]);
    else if (f.detectMs !== undefined) rows.push([what, `${formatDuration(f.detectMs)} (probe showed it at ${rel(d, f.seenAt!)}, team ${f.actedHow} at ${rel(d, f.actedAt!)})`]);
    else if (f.seenAt !== undefined) rows.push([what, `not detected: probes showed it at ${rel(d, f.seenAt)}, nobody acted on ${f.machine}`]);
    else rows.push([what, 'not detected: no probe showed it not ok']);
  }
  rows.push(['Expected runbook', `${d.runbook} (${d.usedExpectedRunbook ? 'used' : 'not used'})`]);
  rows.push(['Runbooks run', d.runs.length ? d.runs.map((r) => `${r.runbook} ${r.status}${r.mode === 'rehearse' ? '' : ` (mode ${r.mode})`}`).join(', ') : 'none']);
  const counts = Object.entries(d.stepCounts).map(([k, v]) => `${v} ${k}`).join(', ');
  rows.push(['Steps', counts || 'none']);
  rows.push(['Confirmations refused', String(d.refused.length)]);
  rows.push(['Steps skipped', d.skipped.length ? d.skipped.map((s) => `${s.step}${s.reason ? ` (${s.reason})` : ''}`).join('; ') : 'none']);
  rows.push(['Rolled back', d.rolledBack.length ? d.rolledBack.map((r) => `${r.step}${r.target ? ` on ${r.target}` : ''}: ${r.status}`).join('; ') : 'none']);
  if (d.speed) rows.push(['Lab speed', `x${d.speed}`]);
  return rows;
}

/** Plain lines for the terminal view. */
export function debriefLines(d: Debrief): string[] {
  const rows = debriefSummary(d);
  const w = Math.max(...rows.map(([k]) => k.length));
  const L = [`Debrief: ${d.title} (${d.drill})`, '', ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)];
  if (d.goalMissing.length) L.push('', 'Goal conditions not holding:', ...d.goalMissing.map((g) => `  ✗ ${g}`));
  for (const r of d.runs) {
    L.push('', `Run ${r.run}: ${r.runbook} ${r.status}`);
    for (const s of r.steps) L.push(`  ${s.status.padEnd(8)} ${s.step}${s.startedAt && s.endedAt ? ` ${formatDuration(s.endedAt - s.startedAt)}` : ''}${s.reason ? ` (${s.reason})` : ''}`);
  }
  L.push('', 'Timeline', ...d.timeline.map((t) => `${rel(d, t.at)}  ${t.text}`));
  L.push('', 'How these are computed', ...HOW_COMPUTED.map((h) => `- ${h}`));
  return L;
}

export function debriefMarkdown(d: Debrief): string {
  const L = [
    `# Drill debrief: ${d.title}`,
    '',
    `Drill \`${d.drill}\`, started ${new Date(d.startedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC.`,
    '',
    ...debriefSummary(d).map(([k, v]) => `- ${k}: ${k === 'Outcome' ? `**${v}**` : v}`),
    '',
  ];
  if (d.goalMissing.length) L.push('## Goal conditions not holding', '', ...d.goalMissing.map((g) => `- ${g}`), '');
  if (d.runs.length) {
    L.push('## Runs', '');
    for (const r of d.runs) {
      L.push(`### ${r.runbook}: ${r.status} (\`${r.run}\`)`, '', '| step | status | took | note |', '|---|---|---|---|');
      for (const s of r.steps) L.push(`| ${s.step} | ${s.status} | ${s.startedAt && s.endedAt ? formatDuration(s.endedAt - s.startedAt) : ''} | ${(s.reason ?? '').replace(/\|/g, '\\|')} |`);
      L.push('');
    }
  }
  if (d.refused.length) L.push('## Confirmations refused', '', ...d.refused.map((r) => `- ${rel(d, r.at)} ${r.step} on ${r.target}: typed '${r.typed}'${r.why ? ` (${r.why})` : ''}`), '');
  L.push('## Timeline', '', '```', ...d.timeline.map((t) => `${rel(d, t.at)}  ${t.text}`), '```', '', '## How these are computed', '', ...HOW_COMPUTED.map((h) => `- ${h}`), '');
  return L.join('\n');
}
