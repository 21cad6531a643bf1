/**
 * A drill in progress inside a console session: records what the debrief needs (when each fault
 * was injected, the health of the watched machines at each probe round, what the team opened),
 * evaluates the goal after every round and, when it holds, stops the clock and opens the debrief.
 * No I/O here: the caller injects faults, reads journals and writes files.
 */
import type { Store } from './store.js';
import type { Action, AppState } from './state.js';
import type { MachineProbe } from '../probe/types.js';
import { probeJson } from '../probe/report.js';
import type { Drill } from './drill.js';
import { goalMachines } from './drill.js';
import { evaluateGoal, type GoalResult } from './goal.js';
import { buildDebrief, type ActionKind, type Debrief, type DebriefInput, type DrillAction, type FaultRecord, type HealthSample } from './debrief.js';

export interface RehearsalOptions {
  drill: Drill;
  store: Store<AppState, Action>;
  /** When the drill started (real ms): the start faults are in. */
  startedAt: number;
  /** The runs started since `since` (their journals), for the debrief. */
  readRuns(since: number): DebriefInput['runs'];
  now?(): number;
  /** The goal held: the debrief is in the store and on screen. */
  onGoal?(d: Debrief): void;
}

export class Rehearsal {
  readonly faults: FaultRecord[];
  private readonly health: HealthSample[] = [];
  private readonly actions: DrillAction[] = [];
  private readonly watched: Set<string>;
  private goalAt?: number;
  private last?: GoalResult;
  private unsubscribe: () => void;

  constructor(private readonly o: RehearsalOptions) {
    this.faults = o.drill.faults.map((f) => ({ fault: f.fault, machine: f.machine, ...(f.arg !== undefined ? { arg: f.arg } : {}), ...(f.at ? { at: f.at } : {}) }));
    this.watched = new Set([...o.drill.faults.map((f) => f.machine), ...goalMachines(o.drill)]);
    o.store.dispatch({ type: 'rehearsal', rehearsal: { drill: o.drill.drill, startedAt: o.startedAt } });
    // opening a watched machine's detail view is an action for the time to detect
    let prev = `${o.store.getState().view}:${o.store.getState().selected ?? ''}`;
    this.unsubscribe = o.store.subscribe(() => {
      const s = o.store.getState();
      const cur = `${s.view}:${s.selected ?? ''}`;
      if (cur === prev) return;
      prev = cur;
      if (s.view === 'machine' && s.selected && this.watched.has(s.selected)) this.action(s.selected, 'opened', o.now?.() ?? Date.now());
    });
  }

  get done(): boolean {
    return this.goalAt !== undefined;
  }

  /** The goal conditions as last evaluated. */
  get lastGoal(): GoalResult | undefined {
    return this.last;
  }

  injected(index: number, at: number): void {
    this.faults[index].injectedAt = at;
  }

  failed(index: number, error: string): void {
    this.faults[index].error = error;
  }

  action(machine: string, what: ActionKind, at: number): void {
    if (!this.done) this.actions.push({ at, machine, what });
  }

  /** After each probe round: sample the watched machines, evaluate the goal over the latest probes. */
  onRound(probes: MachineProbe[], at: number): void {
    if (this.done) return;
    for (const p of probes) if (this.watched.has(p.machine)) this.health.push({ at: p.at, machine: p.machine, level: p.health.level, reasons: p.health.reasons.filter((r) => r.level !== 'ok').map((r) => r.text) });
    this.last = this.evaluate();
    if (!this.last.holds) return;
    this.goalAt = at;
    const d = this.debrief(at);
    this.o.store.dispatch({ type: 'rehearsal', rehearsal: { drill: this.o.drill.drill, startedAt: this.o.startedAt, stoppedAt: at } });
    this.o.store.dispatch({ type: 'debrief', debrief: d });
    this.o.store.dispatch({ type: 'confirm', confirm: undefined });
    this.o.store.dispatch({ type: 'help', on: false });
    this.o.store.dispatch({ type: 'go', view: 'debrief' });
    this.o.onGoal?.(d);
  }

  /** The goal over the latest probe of each machine in the store. */
  private evaluate(): GoalResult {
    return evaluateGoal(this.o.drill.goal, Object.values(this.o.store.getState().probes).map((p) => probeJson(p) as { machine: string }));
  }

  /** The debrief now (unfinished unless the goal held). */
  debrief(endedAt = this.o.now?.() ?? Date.now()): Debrief {
    const end = this.goalAt ?? endedAt;
    // quit mid-round: judge on whatever probes arrived
    const last = this.last ?? (Object.keys(this.o.store.getState().probes).length ? this.evaluate() : undefined);
    return buildDebrief({
      drill: this.o.drill,
      startedAt: this.o.startedAt,
      endedAt: end,
      goalAt: this.goalAt,
      goalMissing: last ? last.results.filter((r) => !r.ok).map((r) => r.why ?? r.label) : ['the goal was never evaluated (no probe round finished)'],
      faults: this.faults,
      health: this.health,
      actions: this.actions,
      runs: this.o.readRuns(this.o.startedAt).filter((r) => {
        const start = r.events.find((e) => e.t === 'run-start');
        return !start || start.at <= end;
      }),
    });
  }

  stop(): void {
    this.unsubscribe();
  }
}
