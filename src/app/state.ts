/** The session state and its reducer. Pure: no I/O, no React. */
import type { Fleet } from '../model/fleet.js';
import type { MachineProbe } from '../probe/types.js';
import type { Debrief } from './debrief.js';
import { initialRunsUi, type LiveRun, type RunPrompt, type RunsUi } from './runs/types.js';

export type ViewId = 'racks' | 'machines' | 'machine' | 'vms' | 'runbooks' | 'params' | 'plan' | 'run' | 'journal' | 'debrief';

export interface Confirm {
  /** What is asked, e.g. `Power cycle ella`. */
  title: string;
  /** What must be typed to go on (the machine's name). */
  expect: string;
  typed: string;
  /** Opaque id of the intent to carry out when confirmed. */
  intent: string;
  error?: string;
}

export interface Notice {
  level: 'info' | 'warn' | 'error';
  text: string;
  at: number;
}

/** A question the console must answer before going on (unknown host key, key passphrase). */
export interface Ask {
  id: number;
  title: string;
  lines: string[];
  /** One key per answer; without choices the operator types a text (masked when secret). */
  choices?: { key: string; label: string; value: string }[];
  secret?: boolean;
  typed?: string;
}

export interface AppState {
  fleet: Fleet;
  probes: Record<string, MachineProbe>;
  view: ViewId;
  back: ViewId[];
  /** Selected machine name (racks, machines, machine views). */
  selected?: string;
  /** Selected guest id in the VMs view. */
  selectedGuest?: string;
  filter: string;
  filterOpen: boolean;
  /** Scroll offset of the current detail view. */
  scroll: number;
  palette?: { query: string; index: number };
  help: boolean;
  confirm?: Confirm;
  quitAsk: boolean;
  ask?: Ask;
  readOnly: boolean;
  lab: boolean;
  rehearsal?: { drill: string; startedAt: number; stoppedAt?: number };
  /** The drill's debrief (view 'debrief'), once the goal held or the drill ended. */
  debrief?: Debrief;
  refreshing: boolean;
  lastRoundAt?: number;
  /** Rounds started (for the header). */
  rounds: number;
  notices: Notice[];
  ascii: boolean;
  /** Active runs (run id → short label) for the header badge. */
  runs: Record<string, string>;
  /** Runbooks list, params form, plan, live runs and journal (src/app/runs). */
  runUi: RunsUi;
}

export type Action =
  | { type: 'probes'; probes: MachineProbe[]; at: number }
  | { type: 'refreshing'; on: boolean }
  | { type: 'go'; view: ViewId }
  | { type: 'back' }
  | { type: 'select'; machine?: string; guest?: string }
  | { type: 'filter'; text: string; open?: boolean }
  | { type: 'scroll'; to: number }
  | { type: 'palette'; query?: string; index?: number; close?: boolean }
  | { type: 'help'; on: boolean }
  | { type: 'confirm'; confirm?: Confirm }
  | { type: 'quitAsk'; on: boolean }
  | { type: 'notice'; level: Notice['level']; text: string; at: number }
  | { type: 'fleet'; fleet: Fleet }
  | { type: 'runs'; runs: Record<string, string> }
  | { type: 'rehearsal'; rehearsal?: AppState['rehearsal'] }
  | { type: 'ask'; ask?: Ask }
  | { type: 'debrief'; debrief?: Debrief }
  | { type: 'runUi'; patch: Partial<RunsUi> }
  | { type: 'liveRun'; run: LiveRun }
  | { type: 'runPrompt'; run: string; prompt?: RunPrompt }
  /** Go to a view, dropping the given views from the way back (params → plan → run: Esc from run goes to runbooks). */
  | { type: 'runGo'; view: ViewId; drop?: ViewId[] };

export function initialState(fleet: Fleet, opts: { readOnly?: boolean; lab?: boolean; ascii?: boolean } = {}): AppState {
  return {
    fleet,
    probes: {},
    view: 'racks',
    back: [],
    selected: fleet.machines[0]?.name,
    filter: '',
    filterOpen: false,
    scroll: 0,
    help: false,
    quitAsk: false,
    readOnly: !!opts.readOnly,
    lab: !!opts.lab,
    refreshing: false,
    rounds: 0,
    notices: [],
    ascii: !!opts.ascii,
    runs: {},
    runUi: initialRunsUi(),
  };
}

const MAX_NOTICES = 50;

export function reduce(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'probes': {
      const probes = { ...s.probes };
      for (const p of a.probes) {
        const prev = probes[p.machine];
        // a reachable machine's result is kept as it came (no copy of 2,000 results per round)
        if (p.reachable) probes[p.machine] = p.unreachableSince === undefined ? p : { ...p, unreachableSince: undefined };
        else probes[p.machine] = { ...p, unreachableSince: p.unreachableSince ?? prev?.unreachableSince ?? (prev && !prev.reachable ? prev.at : p.at) };
      }
      return { ...s, probes, lastRoundAt: a.at, rounds: s.rounds + 1 };
    }
    case 'refreshing':
      return s.refreshing === a.on ? s : { ...s, refreshing: a.on };
    case 'go':
      if (s.view === a.view) return s;
      return { ...s, back: [...s.back, s.view].slice(-20), view: a.view, filter: '', filterOpen: false, scroll: 0, palette: undefined, help: false };
    case 'back': {
      if (s.palette) return { ...s, palette: undefined };
      if (s.help) return { ...s, help: false };
      if (s.filterOpen || s.filter) return { ...s, filter: '', filterOpen: false };
      const back = [...s.back];
      const view = back.pop();
      return view ? { ...s, view, back, scroll: 0 } : s;
    }
    case 'select':
      return { ...s, selected: a.machine ?? s.selected, selectedGuest: a.guest ?? s.selectedGuest };
    case 'filter':
      return { ...s, filter: a.text, filterOpen: a.open ?? s.filterOpen };
    case 'palette':
      if (a.close) return { ...s, palette: undefined };
      return { ...s, palette: { query: a.query ?? s.palette?.query ?? '', index: a.index ?? 0 } };
    case 'scroll':
      return { ...s, scroll: Math.max(0, a.to) };
    case 'help':
      return { ...s, help: a.on };
    case 'confirm':
      return { ...s, confirm: a.confirm };
    case 'quitAsk':
      return { ...s, quitAsk: a.on };
    case 'notice':
      return { ...s, notices: [...s.notices, { level: a.level, text: a.text, at: a.at }].slice(-MAX_NOTICES) };
    case 'fleet':
      return { ...s, fleet: a.fleet };
    case 'runs':
      return { ...s, runs: a.runs };
    case 'rehearsal':
      return { ...s, rehearsal: a.rehearsal };
    case 'ask':
      return { ...s, ask: a.ask };
    case 'debrief':
      return { ...s, debrief: a.debrief };
    case 'runUi':
      return { ...s, runUi: { ...s.runUi, ...a.patch } };
    case 'liveRun':
      return { ...s, runUi: { ...s.runUi, live: { ...s.runUi.live, [a.run.id]: a.run } } };
    case 'runPrompt': {
      const r = s.runUi.live[a.run];
      if (!r) return s;
      return { ...s, runUi: { ...s.runUi, live: { ...s.runUi.live, [a.run]: { ...r, prompt: a.prompt } } } };
    }
    case 'runGo': {
      const drop = a.drop ?? [];
      const back = [...s.back, s.view].filter((v) => !drop.includes(v) && v !== a.view).slice(-20);
      return { ...s, back, view: a.view, filter: '', filterOpen: false, scroll: 0, palette: undefined, help: false };
    }
  }
}
