/**
 * Keys of the runbooks, params, plan, run and journal views that a binding table cannot express:
 * text fields, pickers and a run's questions take the keys first. Returns true when it used the key.
 * The bindings (keys/bindings.ts) document the same keys for the footer and `?`.
 */
import type { Key } from 'ink';
import type { Controller } from '../../../app/controller.js';
import type { AppState } from '../../../app/state.js';
import type { ParamsForm, RunPrompt } from '../../../app/runs/types.js';
import { hasPicker, pick, pickerItems } from '../../../app/runs/form.js';
import { clampIndex, runbookRows, shownRun } from '../../../app/runs/select.js';
import { manualProblem, manualRows, type ManualPrompt } from '../../../app/runs/prompts.js';
import type { Choice } from '../../../runbook/events.js';

const printable = (input: string, key: Key) => !!input && !key.ctrl && !key.meta && !key.return && !key.tab && !key.escape && !key.backspace && !key.delete && input >= ' ';

export function handleRunKey(c: Controller, input: string, key: Key, page: number): boolean {
  const s = c.store.getState();
  const runs = c.runs;
  if (!runs) return false;
  switch (s.view) {
    case 'runbooks':
      return runbooksKey(c, s, input, key, page);
    case 'params':
      return paramsKey(c, s, input, key);
    case 'plan':
      if (key.return || (input === 'y' && !key.ctrl)) return (runs.startPlanned(), true);
      return false;
    case 'run':
      return runKey(c, s, input, key);
    case 'journal':
      return journalKey(c, s, input, key, page);
    default:
      return false;
  }
}

function step(input: string, key: Key, page: number): number {
  if (key.upArrow || (input === 'k' && !key.ctrl)) return -1;
  if (key.downArrow || (input === 'j' && !key.ctrl)) return 1;
  if (input === 'g' && !key.ctrl) return -1e9;
  if (input === 'G' && !key.ctrl) return 1e9;
  if (key.pageUp) return -page;
  if (key.pageDown) return page;
  return 0;
}

function runbooksKey(c: Controller, s: AppState, input: string, key: Key, page: number): boolean {
  const rows = runbookRows(s);
  const d = step(input, key, page);
  if (d) {
    c.store.dispatch({ type: 'runUi', patch: { index: clampIndex(clampIndex(s.runUi.index, rows.length) + d, rows.length) } });
    return true;
  }
  if (key.return) {
    const row = rows[clampIndex(s.runUi.index, rows.length)];
    if (!row) return true;
    if (row.kind === 'resume') void c.runs!.planResume(row.run.file);
    else c.runs!.openRunbook(row.entry.name);
    return true;
  }
  return false;
}

function setForm(c: Controller, form: ParamsForm): void {
  c.store.dispatch({ type: 'runUi', patch: { form } });
}

function paramsKey(c: Controller, s: AppState, input: string, key: Key): boolean {
  const form = s.runUi.form;
  if (!form) return false;
  const field = form.fields[form.focus];
  const editable = field && field.spec.type !== 'secret';
  if (form.picker && field) {
    const items = pickerItems(field, s.fleet, form.picker.query);
    if (key.escape) return (setForm(c, { ...form, picker: undefined }), true);
    if (key.upArrow) return (setForm(c, { ...form, picker: { ...form.picker, index: Math.max(0, form.picker.index - 1) } }), true);
    if (key.downArrow || key.tab) return (setForm(c, { ...form, picker: { ...form.picker, index: clampIndex(form.picker.index + 1, items.length) } }), true);
    if (key.return) {
      const it = items[clampIndex(form.picker.index, items.length)];
      if (!it) return true;
      const fields = form.fields.map((f, i) => (i === form.focus ? pick(f, it.value) : f));
      const multi = field.spec.type === 'hosts';
      return (setForm(c, { ...form, fields, picker: multi ? form.picker : undefined, focus: multi ? form.focus : Math.min(form.fields.length, form.focus + 1), problems: [] }), true);
    }
    if (key.backspace || key.delete) return (setForm(c, { ...form, picker: { query: form.picker.query.slice(0, -1), index: 0 } }), true);
    if (printable(input, key)) return (setForm(c, { ...form, picker: { query: form.picker.query + input, index: 0 } }), true);
    return true;
  }
  if (key.escape) {
    c.store.dispatch({ type: 'back' });
    return true;
  }
  const rows = form.fields.length + 1;
  if (key.upArrow || (key.tab && key.shift)) return (setForm(c, { ...form, focus: (form.focus + rows - 1) % rows }), true);
  if (key.downArrow || key.tab) return (setForm(c, { ...form, focus: (form.focus + 1) % rows }), true);
  if (key.return) {
    if (form.focus >= form.fields.length) return (c.runs!.planFromForm(), true);
    if (hasPicker(field)) return (setForm(c, { ...form, picker: { query: '', index: 0 } }), true);
    return (setForm(c, { ...form, focus: form.focus + 1 }), true);
  }
  if (!editable) return true;
  const edit = (value: string) => setForm(c, { ...form, fields: form.fields.map((f, i) => (i === form.focus ? { ...f, value } : f)), problems: [] });
  if (key.ctrl && input === 'u') return (edit(''), true);
  if (key.backspace || key.delete) return (edit(field.value.slice(0, -1)), true);
  if (printable(input, key)) {
    // on a host or enum field, typing opens the picker filtered by what is typed
    if (hasPicker(field)) return (setForm(c, { ...form, picker: { query: input, index: 0 } }), true);
    return (edit(field.value + input), true);
  }
  return true;
}

const CHOICE_KEYS: Record<string, Choice> = { r: 'retry', s: 'skip', b: 'rollback', u: 'rollback', a: 'abort' };

function runKey(c: Controller, s: AppState, input: string, key: Key): boolean {
  const runs = c.runs!;
  const d = c.store.dispatch;
  const run = shownRun(s);
  if (s.runUi.abortAsk) {
    const id = s.runUi.abortAsk;
    d({ type: 'runUi', patch: { abortAsk: undefined } });
    if (input === 'y' || input === 'Y') runs.abort(id);
    return true;
  }
  const p = run?.status === 'running' ? run.prompt : undefined;
  if (p && run) {
    if (key.ctrl && input === 'b') return (d({ type: 'back' }), true);
    return promptKey(c, run.id, p, input, key);
  }
  if (key.tab) {
    const ids = Object.values(s.runUi.live).sort((a, b) => a.startedAt - b.startedAt).map((r) => r.id);
    if (ids.length) d({ type: 'runUi', patch: { current: ids[(ids.indexOf(run?.id ?? '') + 1) % ids.length] } });
    return true;
  }
  if (input === 'A' && run?.status === 'running' && !s.readOnly) return (d({ type: 'runUi', patch: { abortAsk: run.id } }), true);
  return false;
}

function setPrompt(c: Controller, run: string, prompt: RunPrompt): void {
  c.store.dispatch({ type: 'runPrompt', run, prompt });
}

function promptKey(c: Controller, run: string, p: RunPrompt, input: string, key: Key): boolean {
  const runs = c.runs!;
  switch (p.kind) {
    case 'confirm':
    case 'takeover': {
      if (key.escape) return (runs.answer(run, p.kind === 'confirm' ? { kind: 'confirm', why: 'cancelled' } : { kind: 'takeover', ok: false }), true);
      if (key.return) {
        if (p.kind === 'confirm') runs.answer(run, { kind: 'confirm', typed: p.typed });
        else if (p.typed === p.target) runs.answer(run, { kind: 'takeover', ok: true });
        else runs.answer(run, { kind: 'takeover', ok: false });
        return true;
      }
      if (key.backspace || key.delete) return (setPrompt(c, run, { ...p, typed: p.typed.slice(0, -1) }), true);
      if (printable(input, key)) return (setPrompt(c, run, { ...p, typed: p.typed + input }), true);
      return true;
    }
    case 'choice': {
      const i = key.upArrow ? p.index - 1 : key.downArrow ? p.index + 1 : CHOICE_KEYS[input] ? p.choices.indexOf(CHOICE_KEYS[input]) : undefined;
      if (i !== undefined && i >= 0) return (setPrompt(c, run, { ...p, index: clampIndex(i, p.choices.length) }), true);
      if (key.return) return (runs.answer(run, { kind: 'choice', choice: p.choices[clampIndex(p.index, p.choices.length)] }), true);
      return i !== undefined || input in CHOICE_KEYS;
    }
    case 'changed':
      if (input === 'y' || input === 'Y') return (runs.answer(run, { kind: 'changed', ok: true }), true);
      if (input === 'n' || input === 'N' || key.escape) return (runs.answer(run, { kind: 'changed', ok: false }), true);
      return false;
    case 'manual':
      return manualKey(c, run, p, input, key);
  }
}

function manualKey(c: Controller, run: string, p: ManualPrompt, input: string, key: Key): boolean {
  const runs = c.runs!;
  if (p.abortAsk) {
    if (input === 'y' || input === 'Y') runs.answer(run, { kind: 'manual-abort' });
    else setPrompt(c, run, { ...p, abortAsk: false });
    return true;
  }
  const n = manualRows(p);
  const onCheck = p.focus < p.checklist.length;
  const ai = p.focus - p.checklist.length;
  if (key.escape) return (setPrompt(c, run, { ...p, abortAsk: true }), true);
  if (key.ctrl && input === 'l') return (runs.labHands(run), true);
  if (key.upArrow || (key.tab && key.shift)) return (setPrompt(c, run, { ...p, focus: n ? (p.focus + n - 1) % n : 0 }), true);
  if (key.downArrow || key.tab) return (setPrompt(c, run, { ...p, focus: n ? (p.focus + 1) % n : 0 }), true);
  if (key.return) {
    const problem = manualProblem(p);
    if (problem) return (setPrompt(c, run, { ...p, problem }), true);
    runs.answer(run, { kind: 'manual', answers: Object.fromEntries(p.asks.map((a) => [a.name, a.value.trim()])), checked: p.checklist.filter((x) => x.checked).map((x) => x.text) });
    return true;
  }
  if (onCheck) {
    if (input === ' ' || input === 'x') return (setPrompt(c, run, { ...p, checklist: p.checklist.map((x, i) => (i === p.focus ? { ...x, checked: !x.checked } : x)), problem: undefined }), true);
    return true;
  }
  if (ai >= 0 && ai < p.asks.length) {
    const edit = (value: string) => setPrompt(c, run, { ...p, asks: p.asks.map((a, i) => (i === ai ? { ...a, value } : a)), problem: undefined });
    if (key.ctrl && input === 'u') return (edit(''), true);
    if (key.backspace || key.delete) return (edit(p.asks[ai].value.slice(0, -1)), true);
    if (printable(input, key)) return (edit(p.asks[ai].value + input), true);
  }
  return true;
}

function journalKey(c: Controller, s: AppState, input: string, key: Key, page: number): boolean {
  const j = s.runUi.journal;
  if (j.timeline) {
    if (key.escape) return (c.store.dispatch({ type: 'runUi', patch: { journal: { ...j, timeline: undefined } } }), true);
    return false; // scrolling: the generic movement keys
  }
  const d = step(input, key, page);
  if (d) return (c.store.dispatch({ type: 'runUi', patch: { journal: { ...j, index: clampIndex(clampIndex(j.index, j.runs.length) + d, j.runs.length) } } }), true);
  if (key.return) {
    const r = j.runs[clampIndex(j.index, j.runs.length)];
    if (r) c.runs!.openTimeline(r.file);
    return true;
  }
  return false;
}
