/**
 * Key bindings as data: one table per view. The footer hints and the `?` help are generated
 * from the same tables that the input handler matches, so they can never disagree.
 */
import type { Key } from 'ink';
import type { ViewId } from '../../app/state.js';

export type Intent =
  | 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'home' | 'end'
  | 'open' | 'back' | 'quit' | 'help' | 'palette' | 'filter' | 'refresh'
  | 'shell' | 'console' | 'viewRacks' | 'viewMachines' | 'viewVms' | 'viewRunbooks' | 'viewJournal'
  | 'powerOn' | 'powerOff' | 'powerCycle' | 'powerReset' | 'runbook'
  | 'viewRun' | 'start' | 'nextRun' | 'abortRun'
  /* documented only (keys taken by a text field or a run's question) */
  | 'edit' | 'clearField' | 'answer' | 'tick' | 'labHands' | 'leave' | 'choose';

export interface Binding {
  /** As shown: `↑/k`, `Enter`, `s`. */
  keys: string;
  intent: Intent;
  help: string;
  /** Shown in the footer (short views keep the footer to the essentials). */
  hint?: string;
  /** Changes a machine: hidden and refused in read-only mode. */
  mutates?: boolean;
  match(input: string, key: Key): boolean;
}

const ch = (c: string) => (input: string, key: Key) => input === c && !key.ctrl && !key.meta;

const NAV: Binding[] = [
  { keys: '↑/k', intent: 'up', help: 'move up', match: (i, k) => k.upArrow || ch('k')(i, k) },
  { keys: '↓/j', intent: 'down', help: 'move down', match: (i, k) => k.downArrow || ch('j')(i, k) },
  { keys: 'PgUp', intent: 'pageUp', help: 'page up', match: (_i, k) => k.pageUp },
  { keys: 'PgDn', intent: 'pageDown', help: 'page down', match: (_i, k) => k.pageDown },
  { keys: 'g', intent: 'home', help: 'first', match: ch('g') },
  { keys: 'G', intent: 'end', help: 'last', match: ch('G') },
];

const GLOBAL: Binding[] = [
  { keys: ':', intent: 'palette', help: 'jump to a machine, VM, view or action', hint: 'jump', match: ch(':') },
  { keys: '/', intent: 'filter', help: 'filter the list', hint: 'filter', match: ch('/') },
  { keys: 'r', intent: 'refresh', help: 'refresh now', hint: 'refresh', match: ch('r') },
  { keys: '1', intent: 'viewRacks', help: 'racks view', match: ch('1') },
  { keys: '2', intent: 'viewMachines', help: 'machines view', match: ch('2') },
  { keys: '3', intent: 'viewVms', help: 'VMs view', match: ch('3') },
  { keys: '4', intent: 'viewRunbooks', help: 'runbooks view', match: ch('4') },
  { keys: '5', intent: 'viewJournal', help: 'journal of runs', match: ch('5') },
  { keys: '6', intent: 'viewRun', help: 'the run going on (steps, output, questions)', match: ch('6') },
  { keys: '?', intent: 'help', help: 'keys of this view', hint: 'help', match: ch('?') },
  { keys: 'Esc', intent: 'back', help: 'back', match: (_i, k) => k.escape },
  { keys: 'q', intent: 'quit', help: 'quit', hint: 'quit', match: ch('q') },
];

const MACHINE_ACTIONS: Binding[] = [
  { keys: 'Enter', intent: 'open', help: 'open the machine', hint: 'open', match: (_i, k) => k.return },
  { keys: 's', intent: 'shell', help: 'SSH shell on the machine (~. returns)', hint: 'shell', mutates: true, match: ch('s') },
  { keys: 'c', intent: 'console', help: 'serial console: SOL or console server (~. returns)', hint: 'console', mutates: true, match: ch('c') },
  { keys: 'R', intent: 'runbook', help: 'runbooks for this machine', mutates: true, match: ch('R') },
];

const POWER: Binding[] = [
  { keys: 'P', intent: 'powerOn', help: 'power on (type the name to confirm)', mutates: true, match: ch('P') },
  { keys: 'O', intent: 'powerOff', help: 'power off (type the name to confirm)', mutates: true, match: ch('O') },
  { keys: 'C', intent: 'powerCycle', help: 'power cycle (type the name to confirm)', mutates: true, match: ch('C') },
  { keys: 'X', intent: 'powerReset', help: 'hard reset (type the name to confirm)', mutates: true, match: ch('X') },
];

const RACK_NAV: Binding[] = [
  { keys: '←/h', intent: 'left', help: 'previous rack', match: (i, k) => k.leftArrow || ch('h')(i, k) },
  { keys: '→/l', intent: 'right', help: 'next rack', match: (i, k) => k.rightArrow || ch('l')(i, k) },
];

/** Keys a text field or a run's question takes before any binding (documented here, handled in views/run/keys.ts). */
const never = () => false;
const TEXT: Binding[] = [
  { keys: '↑/↓/Tab', intent: 'down', help: 'next/previous field', hint: 'field', match: never },
  { keys: 'type', intent: 'edit', help: 'edit the field (host/enum fields: type to filter the picker)', match: never },
  { keys: 'Enter', intent: 'open', help: 'pick from the list / next field / on "plan": show the plan', hint: 'pick/next', match: never },
  { keys: 'Ctrl-U', intent: 'clearField', help: 'clear the field', match: never },
  { keys: 'Esc', intent: 'back', help: 'close the picker, else back to the runbooks', hint: 'back', match: never },
];

const RUN_GLOBAL: Binding[] = GLOBAL.filter((b) => b.intent !== 'filter' && b.intent !== 'refresh');

export const BINDINGS: Record<ViewId, Binding[]> = {
  racks: [...NAV, ...RACK_NAV, ...MACHINE_ACTIONS, ...GLOBAL],
  machines: [...NAV, ...MACHINE_ACTIONS, ...GLOBAL],
  machine: [...NAV, ...MACHINE_ACTIONS.filter((b) => b.intent !== 'open'), ...POWER, ...GLOBAL],
  vms: [...NAV, { keys: 'Enter', intent: 'open', help: 'open the hypervisor', hint: 'open', match: (_i, k) => k.return }, ...GLOBAL],
  runbooks: [...NAV, { keys: 'Enter', intent: 'open', help: 'fill the parameters and see the plan (or resume the unfinished run)', hint: 'plan', match: (_i, k) => k.return }, ...GLOBAL],
  params: TEXT,
  plan: [
    ...NAV,
    { keys: 'y/Enter', intent: 'start', help: 'start the run (refused in read-only mode)', hint: 'start', match: (i, k) => k.return || ch('y')(i, k) },
    ...RUN_GLOBAL,
  ],
  run: [
    ...NAV,
    { keys: 'Tab', intent: 'nextRun', help: 'next run (several can go on at once)', hint: 'next run', match: (_i, k) => k.tab },
    { keys: 'A', intent: 'abortRun', help: 'abort the run (asks; the journal is kept, resume later)', hint: 'abort', mutates: true, match: ch('A') },
    { keys: 'Enter', intent: 'answer', help: 'at a question: answer it (typed name, checklist, choice)', match: never },
    { keys: 'Space', intent: 'tick', help: 'at a manual step: tick the focused checklist item', match: never },
    { keys: 'Ctrl-L', intent: 'labHands', help: 'at a manual step on the lab: let the lab\'s hands do it', match: never },
    { keys: 'Ctrl-B', intent: 'leave', help: 'leave a question unanswered and go back (the run waits)', match: never },
    { keys: 'r/s/b/a', intent: 'choose', help: 'after a failure: retry / skip / roll back / abort, then Enter', match: never },
    ...RUN_GLOBAL,
  ],
  journal: [...NAV, { keys: 'Enter', intent: 'open', help: 'show the run\'s timeline', hint: 'show', match: (_i, k) => k.return }, ...GLOBAL],
  debrief: [...NAV, ...GLOBAL],
};

export function bindingsFor(view: ViewId, readOnly: boolean): Binding[] {
  return BINDINGS[view].filter((b) => !(readOnly && b.mutates));
}

export function resolveKey(view: ViewId, readOnly: boolean, input: string, key: Key): Intent | undefined {
  return bindingsFor(view, readOnly).find((b) => b.match(input, key))?.intent;
}

/** `: jump  / filter  s shell  ? help  q quit` */
export function footerHints(view: ViewId, readOnly: boolean): { keys: string; label: string }[] {
  return bindingsFor(view, readOnly)
    .filter((b) => b.hint)
    .map((b) => ({ keys: b.keys, label: b.hint! }));
}

export function helpRows(view: ViewId, readOnly: boolean): { keys: string; help: string }[] {
  const seen = new Set<string>();
  return bindingsFor(view, readOnly)
    .filter((b) => (seen.has(b.intent) ? false : (seen.add(b.intent), true)))
    .map((b) => ({ keys: b.keys, help: b.help }));
}
