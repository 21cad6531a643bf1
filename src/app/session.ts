/**
 * A console session: the store, the probe loop and the actions the UI asks for. Long work lives
 * here, never in a React component. One dead host never blocks a round: each has a deadline.
 */
import type { Fleet } from '../model/fleet.js';
import { createStore, type Store } from './store.js';
import { initialState, reduce, type Action, type AppState } from './state.js';
import type { Controller, PowerAction } from './controller.js';
import type { Reach } from './reach.js';
import { probeFleet } from '../probe/prober.js';
import type { MachineProbe } from '../probe/types.js';
import type { Ask } from './state.js';
import type { UnknownHostAnswer, UnknownHostQuestion } from '../transport/ssh/hostKeyPolicy.js';
import { dirname } from 'node:path';
import { RunsController } from './runs/controller.js';
import { runDeps } from './runDeps.js';
import { journalsDir } from './paths.js';
import { DEFAULTS, loadSettings, operatorName } from './settings.js';
import type { RunDeps } from '../runbook/runtime.js';

export interface SessionOptions {
  fleet: Fleet;
  reach: Reach;
  readOnly?: boolean;
  lab?: boolean;
  ascii?: boolean;
  refreshMs: number;
  probeTimeoutMs?: number;
  /** Hand the terminal to a shell or console; resolves with a notice line. */
  openSession?(machine: string, kind: 'shell' | 'console'): Promise<string>;
  onQuit(): void;
  now?(): number;
  /** Runs: extra runbook directories and operator (default: the settings), journals (default: the state dir). */
  runbookDirs?: string[];
  operator?: string;
  journalDir?: string;
  /** The lab's people (`swap-disk fey sdb` → what they report); offered at manual steps on the lab. */
  hands?(action: string): Promise<string>;
  /** Replace the executor's dependencies (tests). */
  runDeps?: RunDeps;
  /** Called after each probe round with that round's results (a drill evaluates its goal here). */
  onRound?(probes: MachineProbe[], at: number): void;
  /** A drill is running: runs started from this session are journalled with mode 'rehearse'. */
  rehearsal?: boolean;
}

export class Session implements Controller {
  readonly store: Store<AppState, Action>;
  readonly refreshMs: number;
  readonly runs: RunsController;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly o: SessionOptions) {
    this.store = createStore(reduce, initialState(o.fleet, { readOnly: o.readOnly, lab: o.lab, ascii: o.ascii }));
    this.refreshMs = o.refreshMs;
    const settings = () => {
      try {
        return loadSettings();
      } catch {
        return undefined;
      }
    };
    this.runs = new RunsController({
      store: this.store,
      fleet: o.fleet,
      deps: () => o.runDeps ?? runDeps(o.reach),
      journalDir: () => o.journalDir ?? journalsDir(),
      runbookDirs: () => o.runbookDirs ?? settings()?.runbookDirs ?? [],
      operator: () => o.operator ?? operatorName(settings() ?? DEFAULTS),
      mode: () => this.runMode,
      hands: o.hands,
      labDir: o.fleet.lab && o.fleet.source ? dirname(o.fleet.source) : undefined,
      now: o.now,
      onRunEnd: () => this.refresh(),
    });
  }

  /** How runs started from this session are journalled. */
  get runMode(): 'run' | 'rehearse' {
    return this.o.rehearsal ? 'rehearse' : 'run';
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  private notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.store.dispatch({ type: 'notice', level, text, at: this.now() });
  }

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.refreshMs);
    this.timer.unref?.();
  }

  /** Start a round now, or once the running one ends. Results arrive machine by machine, batched. */
  refresh(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.store.dispatch({ type: 'refreshing', on: true });
    let pending: MachineProbe[] = [];
    const round: MachineProbe[] = [];
    let flush: NodeJS.Timeout | undefined;
    const push = () => {
      flush = undefined;
      if (!pending.length || this.stopped) return;
      this.store.dispatch({ type: 'probes', probes: pending, at: this.now() });
      pending = [];
    };
    this.running = probeFleet(this.o.fleet.machines, this.o.reach.probeDeps(), {
      timeoutMs: this.o.probeTimeoutMs ?? Math.min(10_000, this.refreshMs),
      concurrency: 64,
      onResult: (p) => {
        pending.push(p);
        round.push(p);
        flush ??= setTimeout(push, 50);
      },
    })
      .catch((e: Error) => this.notice('error', `probe round failed: ${e.message.split('\n')[0]}`))
      .then(() => {
        if (flush) clearTimeout(flush);
        push();
        this.store.dispatch({ type: 'refreshing', on: false });
        this.running = undefined;
        if (!this.stopped && round.length) {
          try {
            this.o.onRound?.(round, this.now());
          } catch (e) {
            this.notice('error', `after the probe round: ${(e as Error).message.split('\n')[0]}`);
          }
        }
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  power(machine: string, action: PowerAction): void {
    if (this.store.getState().readOnly) return this.notice('warn', 'read-only: power actions are disabled');
    this.notice('info', `${machine}: power ${action}…`);
    this.o.reach
      .power(machine, action)
      .then((out) => {
        this.notice('info', `${machine}: power ${action}: ${out.trim().split('\n')[0] || 'done'}`);
        this.refresh();
      })
      .catch((e: Error) => this.notice('error', e.message.split('\n')[0]));
  }

  openShell(machine: string): void {
    this.open(machine, 'shell');
  }

  openConsole(machine: string): void {
    this.open(machine, 'console');
  }

  private open(machine: string, kind: 'shell' | 'console'): void {
    if (this.store.getState().readOnly) return this.notice('warn', `read-only: no ${kind}`);
    if (!this.o.openSession) return this.notice('warn', `${kind}: not available here`);
    this.o
      .openSession(machine, kind)
      .then((line) => this.notice('info', line))
      .catch((e: Error) => this.notice('error', e.message.split('\n')[0]));
  }

  private asks = new Map<number, (v: string | undefined) => void>();
  private nextAsk = 1;
  private queue: Promise<unknown> = Promise.resolve();

  /** Ask the operator; questions are asked one at a time. */
  ask(q: Omit<Ask, 'id'>): Promise<string | undefined> {
    const run = () =>
      new Promise<string | undefined>((resolve) => {
        const id = this.nextAsk++;
        this.asks.set(id, resolve);
        this.store.dispatch({ type: 'ask', ask: { ...q, id } });
      });
    const p = this.queue.then(run, run);
    this.queue = p;
    return p;
  }

  answerAsk(id: number, value: string | undefined): void {
    const r = this.asks.get(id);
    if (!r) return;
    this.asks.delete(id);
    this.store.dispatch({ type: 'ask', ask: undefined });
    r(value);
  }

  /** An unknown host key: show the fingerprint, the operator decides. */
  async askHostKey(q: UnknownHostQuestion): Promise<UnknownHostAnswer> {
    const v = await this.ask({
      title: `Unknown host key for ${q.machine}`,
      lines: [`${q.host}:${q.port} presents ${q.keyType} ${q.fingerprint}`, 'Compare it with the machine\'s console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) before trusting it.'],
      choices: [
        { key: 'a', label: 'accept and save to ~/.ssh/known_hosts', value: 'accept' },
        { key: 'o', label: 'accept for this session only', value: 'accept-once' },
        { key: 'r', label: 'refuse', value: 'refuse' },
      ],
    });
    return (v as UnknownHostAnswer | undefined) ?? 'refuse';
  }

  /** A passphrase for an encrypted key, typed masked; never stored. */
  askPassphrase(keyFile: string): Promise<string | undefined> {
    return this.ask({ title: 'Key passphrase', lines: [`Passphrase for ${keyFile} (Enter when done, Esc to skip this key):`], secret: true, typed: '' });
  }

  quit(): void {
    this.stop();
    this.o.onQuit();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}
