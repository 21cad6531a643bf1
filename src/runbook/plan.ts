/**
 * The dry run: every step with its resolved command per machine, its guards and its expected time.
 * Nothing here talks to a machine. Captures and answers not known yet show as <capture:name>.
 */
import type { Fleet } from '../model/fleet.js';
import { parseDuration } from '../model/duration.js';
import { stepKind, type Runbook, type Step } from './schema.js';
import { render, targets, type Value } from './template.js';

export type StepKind = ReturnType<typeof stepKind>;

export interface PlannedCommand {
  target: string;
  run?: string;
  when?: string;
  pre?: string;
  post?: string;
  rollback?: string;
  until?: string;
  status?: string;
}

export interface PlanStep {
  id: string;
  index: number;
  title: string;
  kind: StepKind;
  doc?: string;
  targets: string[];
  commands: PlannedCommand[];
  /** Local condition (`if:`), rendered with the values known now. */
  cond?: string;
  /** `power cycle`, `bootdev pxe`… for ipmi steps. */
  ipmi?: string;
  console?: { expect?: string; expectAny?: Record<string, string>; send?: string; scrollback?: boolean; timeoutMs?: number };
  manual?: string;
  checklist?: string[];
  /** Lab action standing for the physical one. */
  hands?: string;
  ask?: Record<string, { pattern?: string; doc?: string; equals?: string }>;
  wait?: { everyMs: number; timeoutMs: number; progress?: string };
  destructive: boolean;
  readOnly: boolean;
  idempotent: boolean;
  expectMs: number;
  retries: number;
  delayMs: number;
  timeoutMs?: number;
  parallel: number;
  capture?: Record<string, string>;
  acceptNewHostKey: boolean;
  /** Problems found while resolving (unknown machine in `on`). */
  problems: string[];
}

export interface Plan {
  runbook: string;
  title: string;
  doc?: string;
  steps: PlanStep[];
  totalExpectMs: number;
  budgetMs?: number;
  onFailure: 'ask' | 'rollback' | 'stop';
  problems: string[];
}

const DEFAULT_EXPECT: Record<StepKind, number> = { run: 30_000, ipmi: 15_000, console: 120_000, manual: 300_000, wait: 300_000, script: 30_000, hostkey: 30_000 };

/** Values for rendering: params, builtins, and captures/answers as placeholders until known. */
export function planValues(rb: Runbook, values: Record<string, Value>, secrets: Set<string>, extra: Record<string, Value> = {}): Record<string, Value> {
  const v: Record<string, Value> = { runbook: rb.runbook, operator: '<operator>', run_id: '<run>', ...values, ...extra };
  for (const s of secrets) v[s] = `<secret:${s}>`;
  for (const k of Object.keys(rb.params ?? {})) v[k] ??= `<missing:${k}>`;
  for (const k of Object.keys(rb.vars ?? {})) v[k] ??= `<var:${k}>`;
  for (const st of rb.steps) {
    for (const k of Object.keys(st.capture ?? {})) v[k] ??= `<capture:${k}>`;
    for (const k of Object.keys(st.ask ?? {})) v[k] ??= `<answer:${k}>`;
    if (st.console?.expect_any) v.matched ??= '<matched>';
  }
  return v;
}

export function planStep(st: Step, index: number, values: Record<string, Value>, fleet: Fleet): PlanStep {
  const kind = stepKind(st);
  const problems: string[] = [];
  const tg = st.on ? targets(render(st.on, values, 'text')) : [];
  for (const t of tg) if (!t.startsWith('<') && !fleet.machines.some((m) => m.name === t)) problems.push(`step '${st.id}': unknown machine '${t}'`);
  const sh = (s: string | undefined, target: string) => (s === undefined ? undefined : render(s, { ...values, target }, 'shell'));
  const commands: PlannedCommand[] = (tg.length ? tg : ['local']).map((t) => ({
    target: t,
    run: sh(st.run, t),
    when: sh(st.when, t),
    pre: sh(st.verify?.pre, t),
    post: sh(st.verify?.post, t),
    rollback: sh(st.rollback, t),
    until: sh(st.wait?.until, t),
    status: sh(st.wait?.status, t),
  }));
  const ipmi = st.ipmi ? ('power' in st.ipmi ? `power ${st.ipmi.power}` : 'bootdev' in st.ipmi ? `bootdev ${st.ipmi.bootdev}${st.ipmi.persistent ? ' persistent' : ''}` : 'sel' in st.ipmi ? `sel ${st.ipmi.sel}` : 'sensor list') : undefined;
  const changes = kind === 'run' || kind === 'script' || kind === 'console' || (kind === 'ipmi' && !/^(power status|sel list|sensor)/.test(ipmi ?? ''));
  return {
    id: st.id,
    index,
    title: st.title ? render(st.title, values, 'text') : st.id,
    kind,
    doc: st.doc,
    targets: tg,
    cond: st.if !== undefined ? render(st.if, values, 'text') : undefined,
    commands,
    ipmi,
    console: st.console ? { expect: st.console.expect, expectAny: st.console.expect_any, send: st.console.send ? render(st.console.send, values, 'text') : undefined, scrollback: st.console.scrollback, timeoutMs: st.console.timeout ? parseDuration(st.console.timeout) : undefined } : undefined,
    manual: st.manual !== undefined ? render(st.manual, values, 'text') : undefined,
    checklist: st.checklist?.map((c) => render(c, values, 'text')),
    hands: st.hands !== undefined ? render(st.hands, values, 'text') : undefined,
    ask: st.ask,
    wait: st.wait ? { everyMs: parseDuration(st.wait.every ?? '10s')!, timeoutMs: parseDuration(st.wait.timeout)!, progress: st.wait.progress } : undefined,
    destructive: !!st.destructive,
    readOnly: st.read_only ?? (kind === 'manual' || kind === 'wait' || !changes),
    idempotent: !!st.idempotent,
    expectMs: st.expect ? parseDuration(st.expect)! : DEFAULT_EXPECT[kind],
    retries: st.retries ?? 0,
    delayMs: st.delay ? parseDuration(st.delay)! : 5000,
    timeoutMs: st.timeout ? parseDuration(st.timeout) : undefined,
    parallel: st.parallel ?? 1,
    capture: st.capture,
    acceptNewHostKey: !!st.accept_new_host_key,
    problems,
  };
}

export function buildPlan(rb: Runbook, values: Record<string, Value>, secrets: Set<string>, fleet: Fleet): Plan {
  const v = planValues(rb, values, secrets);
  const steps = rb.steps.map((s, i) => planStep(s, i, v, fleet));
  return {
    runbook: rb.runbook,
    title: rb.title,
    doc: rb.doc,
    steps,
    totalExpectMs: steps.reduce((s, x) => s + x.expectMs, 0),
    budgetMs: rb.budget ? parseDuration(rb.budget) : undefined,
    onFailure: rb.on_failure ?? 'ask',
    problems: steps.flatMap((s) => s.problems),
  };
}
