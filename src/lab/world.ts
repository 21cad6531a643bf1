/**
 * The lab world: every simulated machine, clusters, power strips, backups and the clock.
 * One world lives in the lab process; commands and faults mutate it.
 */
import { EventEmitter } from 'node:events';
import { LabClock } from './clock.js';
import type { LabBackup, LabCluster, LabMachine, LabPowerStrip } from './state.js';

export interface LabWorldEvents {
  /** Text written to a machine's serial console. */
  console: [machine: string, text: string];
  /** A machine's host key changed (reinstall). */
  hostkey: [machine: string];
  /** Power state changed. */
  power: [machine: string, on: boolean];
}

export type Ticker = (world: LabWorld) => void;

export class LabWorld extends EventEmitter<LabWorldEvents> {
  readonly machines = new Map<string, LabMachine>();
  readonly clusters = new Map<string, LabCluster>();
  readonly strips = new Map<string, LabPowerStrip>();
  /** Backup archives by the name of the machine that holds them. */
  readonly backups = new Map<string, LabBackup[]>();
  /** Functions that bring time-driven state up to date (resync done, boot finished…). */
  readonly tickers: Ticker[] = [];

  constructor(readonly clock: LabClock = new LabClock()) {
    super();
  }

  now(): number {
    return this.clock.now();
  }

  machine(name: string): LabMachine | undefined {
    return this.machines.get(name);
  }

  /** Run every ticker once: called before each command and periodically by the lab. */
  advance(): void {
    for (const t of this.tickers) t(this);
  }
}
