/**
 * Runs in the console: the catalog, the params form, the plan, and the runs themselves, started
 * through startRun with a prompter whose questions live in the store. Runs go on whatever view is
 * open; their events are folded into a LiveRun kept here and published to the store in batches.
 */
import { journalTimeline } from './timelineView.js';
import { existsSync } from 'node:fs';
import type { Store } from '../store.js';
import type { Action, AppState } from '../state.js';
import type { Fleet } from '../../model/fleet.js';
import type { RunDeps } from '../../runbook/runtime.js';
import type { RunEvent } from '../../runbook/events.js';
import type { LoadedRunbook } from '../../runbook/load.js';
import { loadRunbookFile } from '../../runbook/load.js';
import { listRunbooks } from '../../runbook/catalog.js';
import { resolveParams } from '../../runbook/params.js';
import { buildPlan } from '../../runbook/plan.js';
import { startRun } from '../../runbook/session.js';
import { newRunId, readJournal } from '../../runbook/journal.js';
import { replay } from '../../runbook/replay.js';
import { appliesTo, entryOf, hostParamFor, journalRows, unfinishedRuns } from './catalog.js';
import { givenOf, newForm } from './form.js';
import { applyEvent, badge, newLiveRun } from './live.js';
import { tuiPrompter } from './prompter.js';
import { planUi, resumeHead } from './planUi.js';
import { fillFromReport } from './prompts.js';
import type { LiveRun, PromptAnswer, RunPrompt } from './types.js';

/** What the UI may ask about runbooks and runs. */
export interface RunsApi {
  loadCatalog(): Promise<void>;
  /** From the machine view: the runbooks that apply to it, its name filled in. */
  forMachine(machine: string): void;
  /** Enter on a runbook: the params form (or the plan when there is nothing to fill). */
  openRunbook(name: string): void;
  /** The form is filled: resolve, then show the plan (or the problems in the form). */
  planFromForm(): void;
  /** An unfinished journal: its plan, to resume. */
  planResume(file: string): Promise<void>;
  /** `y` in the plan view. */
  startPlanned(): void;
  answer(runId: string, a: PromptAnswer): void;
  /** The lab's people perform a manual step's physical action (lab only). */
  labHands(runId: string): void;
  abort(runId: string): void;
  loadJournal(): void;
  openTimeline(file: string): void;
}

export interface RunsOptions {
  store: Store<AppState, Action>;
  fleet: Fleet;
  deps(): RunDeps;
  journalDir(): string;
  runbookDirs(): string[];
  operator(): string;
  /** 'rehearse' while a drill runs: the journal says the run was a rehearsal. */
  mode?(): 'run' | 'rehearse';
  hands?(action: string): Promise<string>;
  /** The lab's directory (for the `baie lab hands … --dir` hint). */
  labDir?: string;
  env?: NodeJS.ProcessEnv;
  now?(): number;
  onRunEnd?(run: LiveRun): void;
  /** Milliseconds between store updates while output streams. */
  flushMs?: number;
}

interface Active {
  live: LiveRun;
  ac: AbortController;
  timer?: NodeJS.Timeout;
  pending?: (a: PromptAnswer) => void;
  queue: Promise<unknown>;
  refusals: Map<string, { error?: string; attempt: number }>;
  status?: Promise<unknown>;
}

const ABORT_ANSWER: Record<RunPrompt['kind'], PromptAnswer> = {
  confirm: { kind: 'confirm', why: 'run aborted' },
  manual: { kind: 'manual-abort' },
  choice: { kind: 'choice', choice: 'abort' },
  takeover: { kind: 'takeover', ok: false },
  changed: { kind: 'changed', ok: false },
};

export class RunsController implements RunsApi {
  private loaded = new Map<string, LoadedRunbook>();
  private active = new Map<string, Active>();

  constructor(private readonly o: RunsOptions) {
    // the lists load when their view opens (from a key, the palette or the machine view)
    let view = o.store.getState().view;
    o.store.subscribe(() => {
      const v = o.store.getState().view;
      if (v === view) return;
      view = v;
      if (v === 'runbooks') void this.loadCatalog();
      if (v === 'journal') this.loadJournal();
    });
  }

  private get s(): AppState {
    return this.o.store.getState();
  }
  private d(a: Action): void {
    this.o.store.dispatch(a);
  }
  private now(): number {
    return this.o.now?.() ?? Date.now();
  }
  private notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.d({ type: 'notice', level, text, at: this.now() });
  }

  async loadCatalog(): Promise<void> {
    try {
      const all = await listRunbooks(this.o.runbookDirs());
      this.loaded = new Map();
      const entries = all.map((l) => {
        const e = entryOf(l);
        this.loaded.set(e.name, l);
        return e;
      });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      let unfinished = unfinishedRuns(this.o.journalDir());
      // a run going on in this console is not "unfinished": it is running
      unfinished = unfinished.filter((u) => !this.active.has(u.run));
      this.d({ type: 'runUi', patch: { catalog: { entries, unfinished, loaded: true } } });
    } catch (e) {
      this.d({ type: 'runUi', patch: { catalog: { ...this.s.runUi.catalog, loaded: true, error: (e as Error).message.split('\n')[0] } } });
    }
  }

  forMachine(machine: string): void {
    this.d({ type: 'runUi', patch: { forMachine: machine, index: 0 } });
    if (this.s.view === 'runbooks') void this.loadCatalog();
    else this.d({ type: 'go', view: 'runbooks' });
  }

  openRunbook(name: string): void {
    const e = this.s.runUi.catalog.entries.find((x) => x.name === name);
    if (!e) return this.notice('warn', `no runbook '${name}'`);
    if (e.problems.length) return this.notice('error', `${name} does not load: ${e.problems[0]}`);
    const preset: Record<string, string> = {};
    const m = this.s.runUi.forMachine ? this.o.fleet.machines.find((x) => x.name === this.s.runUi.forMachine) : undefined;
    if (m && appliesTo(e, m)) {
      const p = hostParamFor(e, m);
      if (p) preset[p] = m.name;
    }
    const form = newForm(e, preset, this.o.env ?? process.env, existsSync);
    this.d({ type: 'runUi', patch: { form, plan: undefined } });
    if (!form.fields.some((f) => f.spec.type !== 'secret')) return this.planFromForm();
    this.d({ type: 'runGo', view: 'params', drop: ['plan'] });
  }

  planFromForm(): void {
    const form = this.s.runUi.form;
    if (!form) return;
    const loaded = this.loaded.get(form.runbook);
    if (!loaded?.runbook) return this.notice('error', `runbook ${form.runbook} is not loaded`);
    const given = givenOf(form);
    const r = resolveParams(loaded.runbook, given, this.o.fleet, this.o.env ?? process.env);
    if (r.problems.length) {
      this.d({ type: 'runUi', patch: { form: { ...form, problems: r.problems } } });
      if (this.s.view !== 'params') this.d({ type: 'runGo', view: 'params', drop: ['plan'] });
      return;
    }
    this.d({ type: 'runUi', patch: { form: { ...form, problems: [] }, plan: planUi(this.o.fleet, loaded, given, r) } });
    this.d({ type: 'runGo', view: 'plan' });
  }

  async planResume(file: string): Promise<void> {
    try {
      const { events } = readJournal(file);
      const rp = replay(events);
      if (!rp.start) return this.notice('error', `${file}: no run-start event`);
      let loaded: LoadedRunbook | undefined = await loadRunbookFile(rp.start.file);
      if (!loaded.runbook) loaded = this.loaded.get(rp.start.runbook);
      if (!loaded?.runbook) return this.notice('error', `runbook ${rp.start.runbook} not found (was ${rp.start.file})`);
      const params = loaded.runbook.params ?? {};
      const given: Record<string, string> = {};
      for (const [k, v] of Object.entries(rp.start.params)) if (params[k] && params[k].type !== 'secret') given[k] = Array.isArray(v) ? v.join(',') : String(v);
      const r = resolveParams(loaded.runbook, given, this.o.fleet, this.o.env ?? process.env);
      if (r.problems.length) return this.notice('error', `cannot resume ${rp.start.run}: ${r.problems[0]}`);
      this.loaded.set(loaded.runbook.runbook, loaded);
      this.d({ type: 'runUi', patch: { plan: planUi(this.o.fleet, loaded, given, r, file, resumeHead(rp, rp.lastHash !== loaded.hash)) } });
      this.d({ type: 'runGo', view: 'plan' });
    } catch (e) {
      this.notice('error', `cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  startPlanned(): void {
    const plan = this.s.runUi.plan;
    if (!plan) return;
    if (this.s.readOnly && plan.changing.length) {
      const refusal = `read-only mode: ${plan.changing.length} step(s) change machines (${plan.changing.slice(0, 4).join(', ')}${plan.changing.length > 4 ? ', …' : ''}); start baie without --read-only to run it`;
      this.d({ type: 'runUi', patch: { plan: { ...plan, refusal } } });
      return this.notice('warn', refusal);
    }
    if (plan.problems.length) {
      this.d({ type: 'runUi', patch: { plan: { ...plan, refusal: `cannot start: ${plan.problems[0]}` } } });
      return;
    }
    const loaded = this.loaded.get(plan.runbook);
    if (!loaded?.runbook) return this.notice('error', `runbook ${plan.runbook} is not loaded`);
    if (plan.resumeFile && [...this.active.values()].some((a) => a.live.file === plan.resumeFile && a.live.status === 'running')) return this.notice('warn', 'that run is already going on here');
    // secrets are read again now, never kept in the store
    const params = resolveParams(loaded.runbook, plan.given, this.o.fleet, this.o.env ?? process.env);
    if (params.problems.length) {
      this.d({ type: 'runUi', patch: { plan: { ...plan, refusal: `cannot start: ${params.problems[0]}` } } });
      return;
    }
    const bp = buildPlan(loaded.runbook, params.values, params.secrets, this.o.fleet);
    let runId = newRunId(loaded.runbook.runbook, new Date(this.now()));
    let live: LiveRun;
    if (plan.resumeFile) {
      const { events } = readJournal(plan.resumeFile);
      const rp = replay(events);
      runId = rp.start?.run ?? runId;
      live = newLiveRun(bp, runId, plan.resumeFile, this.now());
      for (const e of events) live = applyEvent(live, e);
      live = { ...live, status: 'running', reason: undefined, endedAt: undefined };
    } else live = newLiveRun(bp, runId, '', this.now());
    const a: Active = { live, ac: new AbortController(), queue: Promise.resolve(), refusals: new Map() };
    this.active.set(runId, a);
    const prompter = tuiPrompter({
      ask: (p) => this.ask(a, p),
      lastRefusal: (step, target) => a.refusals.get(`${step}\0${target}`) ?? { attempt: 1 },
      labDir: this.o.labDir,
      handsHere: !!this.o.hands,
    });
    this.d({ type: 'liveRun', run: live });
    this.d({ type: 'runUi', patch: { current: runId, plan: undefined } });
    this.d({ type: 'runGo', view: 'run', drop: ['params', 'plan'] });
    this.badges();
    try {
      const h = startRun({
        loaded,
        params,
        fleet: this.o.fleet,
        deps: this.o.deps(),
        prompter,
        journalDir: this.o.journalDir(),
        operator: this.o.operator(),
        mode: this.o.mode?.() ?? 'run',
        readOnly: this.s.readOnly,
        signal: a.ac.signal,
        onEvent: (e) => this.onEvent(a, e),
        resumeFile: plan.resumeFile,
        runId,
      });
      a.live = { ...a.live, file: h.file };
      this.schedule(a);
      a.status = h.status
        .catch((e: Error) => {
          this.onEvent(a, { t: 'run-end', at: this.now(), status: 'failed', reason: e.message.split('\n')[0] });
        })
        .finally(() => this.finish(a));
    } catch (e) {
      this.onEvent(a, { t: 'run-end', at: this.now(), status: 'failed', reason: (e as Error).message.split('\n')[0] });
      this.finish(a);
    }
  }

  private onEvent(a: Active, e: RunEvent): void {
    if (e.t === 'confirm') {
      const key = `${e.step}\0${e.target}`;
      const prev = a.refusals.get(key) ?? { attempt: 1 };
      a.refusals.set(key, e.ok ? { attempt: 1 } : { attempt: prev.attempt + 1, error: `typed '${e.typed}', expected '${e.target}': refused` });
    }
    a.live = applyEvent(a.live, e);
    if (e.t === 'run-end' || e.t === 'step-done' || e.t === 'step-start') this.flush(a);
    else this.schedule(a);
  }

  private schedule(a: Active): void {
    a.timer ??= setTimeout(() => this.flush(a), this.o.flushMs ?? 80);
  }

  /** Publish the run to the store, keeping the prompt the operator is editing. */
  private flush(a: Active): void {
    if (a.timer) clearTimeout(a.timer);
    a.timer = undefined;
    const inStore = this.s.runUi.live[a.live.id];
    const prompt = a.live.status === 'running' ? inStore?.prompt : undefined;
    const steps = prompt && 'step' in prompt ? a.live.steps.map((s) => (s.id === prompt.step && (s.state === 'running' || s.state === 'pending') ? { ...s, state: 'waiting' as const } : s)) : a.live.steps;
    this.d({ type: 'liveRun', run: { ...a.live, steps, prompt } });
    this.badges();
  }

  private badges(): void {
    const runs: Record<string, string> = {};
    for (const [id, a] of this.active) if (a.live.status === 'running') runs[id] = badge({ ...a.live, prompt: this.s.runUi.live[id]?.prompt });
    const prev = this.s.runs;
    if (JSON.stringify(prev) !== JSON.stringify(runs)) this.d({ type: 'runs', runs });
  }

  private ask(a: Active, p: RunPrompt): Promise<PromptAnswer> {
    const next = a.queue.then(
      () =>
        new Promise<PromptAnswer>((resolve) => {
          if (a.ac.signal.aborted) return resolve(ABORT_ANSWER[p.kind]);
          a.pending = resolve;
          this.flush(a);
          this.d({ type: 'runPrompt', run: a.live.id, prompt: p });
          this.flush(a);
          const label = p.kind === 'confirm' ? `type ${p.target} to go on` : p.kind === 'manual' ? 'a manual step' : p.kind === 'choice' ? `${p.step} ${p.reason === 'failure' ? 'failed' : 'is in doubt'}: choose` : p.kind === 'takeover' ? `${p.target} is locked` : 'the runbook changed';
          if (this.s.view !== 'run' || this.s.runUi.current !== a.live.id) this.notice('warn', `run ${a.live.runbook} waits for you (${label}): 6 shows it`);
        }),
    );
    a.queue = next.catch(() => undefined);
    return next;
  }

  answer(runId: string, ans: PromptAnswer): void {
    const a = this.active.get(runId);
    if (!a?.pending) return;
    const resolve = a.pending;
    a.pending = undefined;
    this.d({ type: 'runPrompt', run: runId, prompt: undefined });
    resolve(ans);
    this.flush(a);
  }

  labHands(runId: string): void {
    const p = this.s.runUi.live[runId]?.prompt;
    if (!p || p.kind !== 'manual' || !p.hands) return;
    if (!this.o.hands) return this.notice('warn', p.handsCommand ? `run it yourself: ${p.handsCommand}` : 'no lab hands here');
    this.notice('info', `lab hands: ${p.hands}…`);
    this.o
      .hands(p.hands)
      .then((report) => {
        const cur = this.s.runUi.live[runId]?.prompt;
        if (cur?.kind === 'manual' && cur.step === p.step) this.d({ type: 'runPrompt', run: runId, prompt: fillFromReport(cur, report) });
      })
      .catch((e: Error) => this.notice('error', `lab hands: ${e.message.split('\n')[0]}`));
  }

  abort(runId: string): void {
    const a = this.active.get(runId);
    if (!a || a.live.status !== 'running') return;
    a.live = { ...a.live, aborting: true };
    a.ac.abort();
    const p = this.s.runUi.live[runId]?.prompt;
    if (p) this.answer(runId, ABORT_ANSWER[p.kind]);
    this.notice('warn', `aborting ${a.live.runbook}: the current step is cancelled; the journal is kept`);
    this.flush(a);
  }

  private finish(a: Active): void {
    if (a.live.status === 'running') a.live = { ...a.live, status: 'aborted', reason: a.live.reason ?? 'ended without a run-end' };
    this.flush(a);
    this.badges();
    const r = a.live;
    this.notice(r.status === 'done' ? 'info' : 'warn', `run ${r.runbook} ${r.status}${r.reason ? `: ${r.reason}` : ''} (journal ${r.file})`);
    this.o.onRunEnd?.(r);
    if (this.s.runUi.catalog.loaded) void this.loadCatalog();
    if (this.s.runUi.journal.loaded) this.loadJournal();
  }

  /** Resolves when every run started here has ended (tests, quitting). */
  async settled(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.status));
  }

  loadJournal(): void {
    try {
      const runs = journalRows(this.o.journalDir());
      this.d({ type: 'runUi', patch: { journal: { ...this.s.runUi.journal, runs, loaded: true } } });
    } catch (e) {
      this.notice('error', `journal: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  openTimeline(file: string): void {
    try {
      this.d({ type: 'runUi', patch: { journal: { ...this.s.runUi.journal, timeline: journalTimeline(file) } } });
      this.d({ type: 'scroll', to: 0 });
    } catch (e) {
      this.notice('error', `cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
}
