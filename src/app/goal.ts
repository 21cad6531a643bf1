/**
 * A drill's goal over probed machines (the objects `baie probe --json` prints, probeJson()). Pure.
 *
 * Matchers, one per condition, on `field` (`a.b` walks into objects, `a.0` into lists):
 *   equals: V    the value is deeply equal to V
 *   contains: V  a list with an element equal to V, or (V a mapping) an element having V's keys and values
 *   none: {k: v} a list in which no element has all these keys and values
 *   every: {k: v} a list in which every element has all these keys and values
 *   count: N     a list of N elements
 * "Has these keys and values" is a partial match that goes down into nested mappings; lists inside
 * must be equal. A machine that was not probed never satisfies a condition.
 */
import type { GoalCondition } from './drill.js';

export type ProbedMachine = { machine: string; [field: string]: unknown };

export interface ConditionResult {
  condition: GoalCondition;
  /** `fey.arrays none {"degraded":true}` */
  label: string;
  ok: boolean;
  /** Why it does not hold (absent when ok). */
  why?: string;
}

export interface GoalResult {
  holds: boolean;
  results: ConditionResult[];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `el` has every key of `want` with a matching value (partial into nested mappings). */
export function hasAll(el: unknown, want: Record<string, unknown>): boolean {
  if (!isMapping(el)) return false;
  return Object.entries(want).every(([k, v]) => {
    const got = el[k];
    return isMapping(v) ? hasAll(got, v) : deepEqual(got, v);
  });
}

/** The value at `path` (`a.b.0`), or undefined. */
export function fieldAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(k)) v = v[Number(k)];
    else v = isMapping(v) ? v[k] : undefined;
  }
  return v;
}

const show = (v: unknown): string => {
  const s = v === undefined ? 'missing' : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}…` : s;
};

export function conditionLabel(c: GoalCondition): string {
  const m = (['equals', 'contains', 'none', 'every', 'count'] as const).find((k) => Object.hasOwn(c, k));
  return `${c.machine}.${c.field}${m ? ` ${m} ${JSON.stringify(c[m])}` : ''}`;
}

export function checkCondition(c: GoalCondition, probes: readonly ProbedMachine[]): ConditionResult {
  const label = conditionLabel(c);
  const fail = (why: string): ConditionResult => ({ condition: c, label, ok: false, why });
  const p = probes.find((x) => x.machine === c.machine);
  if (!p) return fail(`${c.machine} was not probed`);
  const where = `${c.machine}.${c.field}`;
  const v = fieldAt(p, c.field);
  const list = Array.isArray(v) ? (v as unknown[]) : undefined;
  const reasons = Array.isArray(p.reasons) && p.reasons.length ? ` (reasons: ${(p.reasons as unknown[]).map(String).join('; ')})` : '';
  if (Object.hasOwn(c, 'equals')) {
    if (!deepEqual(v, c.equals)) return fail(`${where} is ${show(v)}, want ${show(c.equals)}${reasons}`);
  } else if (Object.hasOwn(c, 'contains')) {
    const want = c.contains;
    if (!list) return fail(`${where} is not a list: ${show(v)}`);
    if (!list.some((el) => deepEqual(el, want) || (isMapping(want) && hasAll(el, want)))) return fail(`${where} has no element ${show(want)}: ${show(v)}`);
  } else if (c.none) {
    if (!list) return fail(`${where} is not a list: ${show(v)}`);
    const hit = list.find((el) => hasAll(el, c.none!));
    if (hit !== undefined) return fail(`${where} has an element with ${show(c.none)}: ${show(hit)}`);
  } else if (c.every) {
    if (!list) return fail(`${where} is not a list: ${show(v)}`);
    const miss = list.find((el) => !hasAll(el, c.every!));
    if (miss !== undefined) return fail(`${where} has an element without ${show(c.every)}: ${show(miss)}`);
  } else if (c.count !== undefined) {
    if (!list) return fail(`${where} is not a list: ${show(v)}`);
    if (list.length !== c.count) return fail(`${where} has ${list.length} element${list.length === 1 ? '' : 's'}, want ${c.count}`);
  } else return fail(`${where}: no matcher`);
  return { condition: c, label, ok: true };
}

export function evaluateGoal(goal: readonly GoalCondition[], probes: readonly ProbedMachine[]): GoalResult {
  const results = goal.map((c) => checkCondition(c, probes));
  return { holds: results.length > 0 && results.every((r) => r.ok), results };
}
