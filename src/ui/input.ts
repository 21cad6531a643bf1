/**
 * Turns a key press into store actions and controller calls. No React here, so the whole
 * keyboard behaviour is testable with a fake controller.
 */
import type { Key } from 'ink';
import type { Controller, PowerAction } from '../app/controller.js';
import type { AppState } from '../app/state.js';
import type { PaletteIndex, PaletteItem } from '../app/palette.js';
import { resolveKey, type Intent } from './keys/bindings.js';
import { visibleRackInfos } from './layout/rackIndex.js';
import { filteredMachines } from '../app/fleetSelectors.js';
import { handleRunKey } from './views/run/keys.js';

const POWER: Partial<Record<Intent, { action: PowerAction; title: string }>> = {
  powerOn: { action: 'on', title: 'Power ON' },
  powerOff: { action: 'off', title: 'Power OFF (hard)' },
  powerCycle: { action: 'cycle', title: 'Power CYCLE' },
  powerReset: { action: 'reset', title: 'Hard RESET' },
};

export function paletteResults(s: AppState, index: PaletteIndex): PaletteItem[] {
  return s.palette ? index.search(s.palette.query, 8) : [];
}

export function handleKey(c: Controller, palette: PaletteIndex, input: string, key: Key, pageSize = 10): void {
  const st = c.store;
  const s = st.getState();
  const d = st.dispatch;

  if (key.ctrl && input === 'c') {
    if (s.confirm) return d({ type: 'confirm', confirm: undefined });
    return Object.keys(s.runs).length ? d({ type: 'quitAsk', on: true }) : c.quit();
  }
  if (s.ask) {
    const a = s.ask;
    if (a.choices) {
      const c = a.choices.find((x) => x.key === input);
      if (c) c2(c.value);
      else if (key.escape) c2(undefined);
      return;
    }
    if (key.escape) return c2(undefined);
    if (key.return) return c2(a.typed ?? '');
    if (key.backspace || key.delete) return d({ type: 'ask', ask: { ...a, typed: (a.typed ?? '').slice(0, -1) } });
    if (input && !key.ctrl && !key.meta) d({ type: 'ask', ask: { ...a, typed: (a.typed ?? '') + input } });
    return;
    function c2(v: string | undefined) {
      c.answerAsk?.(a.id, v);
    }
  }
  if (s.quitAsk) {
    d({ type: 'quitAsk', on: false });
    if (input === 'y' || input === 'Y') c.quit();
    return;
  }
  if (s.confirm) {
    const cf = s.confirm;
    if (key.escape) return d({ type: 'confirm', confirm: undefined });
    if (key.return) {
      if (cf.typed === cf.expect) {
        d({ type: 'confirm', confirm: undefined });
        const [kind, machine, action] = cf.intent.split(':');
        if (kind === 'power') c.power(machine, action as PowerAction);
        return;
      }
      return d({ type: 'confirm', confirm: { ...cf, typed: '', error: `typed '${cf.typed}', expected '${cf.expect}': nothing done` } });
    }
    if (key.backspace || key.delete) return d({ type: 'confirm', confirm: { ...cf, typed: cf.typed.slice(0, -1), error: undefined } });
    if (input && !key.ctrl && !key.meta) return d({ type: 'confirm', confirm: { ...cf, typed: cf.typed + input, error: undefined } });
    return;
  }
  if (s.palette) {
    const results = paletteResults(s, palette);
    if (key.escape) return d({ type: 'palette', close: true });
    if (key.upArrow) return d({ type: 'palette', index: Math.max(0, s.palette.index - 1), query: s.palette.query });
    if (key.downArrow || key.tab) return d({ type: 'palette', index: Math.min(results.length - 1, s.palette.index + 1), query: s.palette.query });
    if (key.return) {
      d({ type: 'palette', close: true });
      const item = results[s.palette.index];
      if (item) choose(c, item);
      return;
    }
    if (key.backspace || key.delete) return d({ type: 'palette', query: s.palette.query.slice(0, -1), index: 0 });
    if (input && !key.ctrl && !key.meta) return d({ type: 'palette', query: s.palette.query + input, index: 0 });
    return;
  }
  if (s.filterOpen) {
    if (key.escape) return d({ type: 'filter', text: '', open: false });
    if (key.return) return d({ type: 'filter', text: s.filter, open: false });
    if (key.backspace || key.delete) return d({ type: 'filter', text: s.filter.slice(0, -1) });
    if (input && !key.ctrl && !key.meta) {
      d({ type: 'filter', text: s.filter + input });
      keepSelectionVisible(c);
    }
    return;
  }
  if (s.help) {
    if (key.escape || input === '?' || input === 'q') d({ type: 'help', on: false });
    return;
  }
  // runbooks, params form, plan, run (its questions) and journal take their keys first
  if (handleRunKey(c, input, key, pageSize)) return;

  const intent = resolveKey(s.view, s.readOnly, input, key);
  if (!intent) return;
  const sel = s.selected;
  switch (intent) {
    case 'quit':
      return Object.keys(s.runs).length ? d({ type: 'quitAsk', on: true }) : c.quit();
    case 'help':
      return d({ type: 'help', on: true });
    case 'palette':
      return d({ type: 'palette', query: '', index: 0 });
    case 'filter':
      return d({ type: 'filter', text: s.filter, open: true });
    case 'back':
      return d({ type: 'back' });
    case 'refresh':
      return c.refresh();
    case 'viewRacks':
      return d({ type: 'go', view: 'racks' });
    case 'viewMachines':
      return d({ type: 'go', view: 'machines' });
    case 'viewVms':
      return d({ type: 'go', view: 'vms' });
    case 'viewRunbooks':
      if (s.runUi.forMachine) d({ type: 'runUi', patch: { forMachine: undefined, index: 0 } });
      return d({ type: 'go', view: 'runbooks' });
    case 'viewRun': {
      // a run waiting for an answer comes first
      const waiting = Object.values(s.runUi.live).find((r) => r.status === 'running' && r.prompt);
      if (waiting && waiting.id !== s.runUi.current) d({ type: 'runUi', patch: { current: waiting.id } });
      return d({ type: 'go', view: 'run' });
    }
    case 'start':
      return c.runs?.startPlanned();
    case 'viewJournal':
      return d({ type: 'go', view: 'journal' });
    case 'open':
      if (s.view === 'racks' || s.view === 'machines') return sel ? d({ type: 'go', view: 'machine' }) : undefined;
      return;
    case 'shell':
      return sel ? c.openShell(sel) : undefined;
    case 'console':
      return sel ? c.openConsole(sel) : undefined;
    case 'runbook':
      if (sel && c.runs) return c.runs.forMachine(sel);
      return d({ type: 'go', view: 'runbooks' });
    case 'powerOn':
    case 'powerOff':
    case 'powerCycle':
    case 'powerReset': {
      if (!sel) return;
      const p = POWER[intent]!;
      return d({ type: 'confirm', confirm: { title: `${p.title} ${sel}`, expect: sel, typed: '', intent: `power:${sel}:${p.action}` } });
    }
    case 'up':
    case 'down':
    case 'pageUp':
    case 'pageDown':
    case 'home':
    case 'end':
    case 'left':
    case 'right':
      return move(c, intent, pageSize);
  }
}

function choose(c: Controller, item: PaletteItem): void {
  const d = c.store.dispatch;
  switch (item.kind) {
    case 'machine':
      d({ type: 'select', machine: item.machine });
      return d({ type: 'go', view: 'machine' });
    case 'vm':
      d({ type: 'go', view: 'vms' });
      return d({ type: 'filter', text: item.label, open: false });
    case 'view':
      return d({ type: 'go', view: item.view });
    case 'action':
      if (item.action === 'refresh') return c.refresh();
      if (item.action === 'runbooks') return d({ type: 'go', view: 'runbooks' });
  }
}

function keepSelectionVisible(c: Controller): void {
  const s = c.store.getState();
  if (s.view !== 'machines') return;
  const list = filteredMachines(s.fleet, s.probes, s.filter);
  if (list.machines.length && list.indexOf(s.selected) < 0) c.store.dispatch({ type: 'select', machine: list.machines[0].name });
}

function move(c: Controller, intent: Intent, pageSize: number): void {
  const s = c.store.getState();
  const d = c.store.dispatch;
  const step = intent === 'up' ? -1 : intent === 'down' ? 1 : intent === 'pageUp' ? -pageSize : intent === 'pageDown' ? pageSize : intent === 'home' ? -1e9 : intent === 'end' ? 1e9 : 0;
  if (s.view === 'machine' || s.view === 'vms' || s.view === 'run' || s.view === 'journal' || s.view === 'runbooks' || s.view === 'plan' || s.view === 'debrief') {
    if (step) d({ type: 'scroll', to: s.scroll + step });
    return;
  }
  if (s.view === 'machines') {
    const { machines: list, indexOf } = filteredMachines(s.fleet, s.probes, s.filter);
    if (!list.length) return;
    const i = Math.max(0, indexOf(s.selected));
    const j = Math.max(0, Math.min(list.length - 1, i + step));
    return d({ type: 'select', machine: list[j].name });
  }
  // racks
  const { racks, rackOf } = visibleRackInfos(s.fleet, s.filter);
  if (!racks.length) return;
  let ri = rackOf(s.selected);
  if (ri < 0) ri = 0;
  const order = racks[ri].order;
  const mi = Math.max(0, racks[ri].orderIndex.get(s.selected ?? '') ?? 0);
  if (intent === 'left' || intent === 'right') {
    const nr = Math.max(0, Math.min(racks.length - 1, ri + (intent === 'left' ? -1 : 1)));
    const target = racks[nr].order;
    if (target.length) d({ type: 'select', machine: target[Math.min(mi, target.length - 1)] });
    return;
  }
  if (!order.length) return;
  d({ type: 'select', machine: order[Math.max(0, Math.min(order.length - 1, mi + step))] });
}
