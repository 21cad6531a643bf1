/** What the UI may ask of the session. Implemented in session.ts; the UI only calls these. */
import type { Store } from './store.js';
import type { Action, AppState } from './state.js';
import type { RunsApi } from './runs/controller.js';

export type PowerAction = 'on' | 'off' | 'cycle' | 'reset';

export interface Controller {
  store: Store<AppState, Action>;
  refresh(): void;
  /** Hand the terminal to an SSH shell or a console; resolves when the user returns. */
  openShell(machine: string): void;
  openConsole(machine: string): void;
  power(machine: string, action: PowerAction): void;
  quit(): void;
  /** The operator answered the open question (store.ask); undefined = cancelled. */
  answerAsk?(id: number, value: string | undefined): void;
  /** Milliseconds between probe rounds (staleness). */
  refreshMs: number;
  /** Runbooks, runs and the journal (absent in tests that do not need them). */
  runs?: RunsApi;
}
