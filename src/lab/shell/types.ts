/** What a simulated command sees. Commands never touch the operator's machine. */
import type { LabMachine } from '../state.js';
import type { LabWorld } from '../world.js';

export interface CmdContext {
  /** argv[0] is the command name as typed. Arguments are literal data, never evaluated. */
  argv: string[];
  /** Whole standard input (from a pipe or the SSH channel, already collected). */
  stdin: string;
  out(text: string): void;
  err(text: string): void;
  machine: LabMachine;
  world: LabWorld;
  env: Record<string, string>;
  signal: AbortSignal;
  /** Wait `labMs` of lab time (real time = labMs / speed); rejects when aborted. */
  sleep(labMs: number): Promise<void>;
}

/** Returns the exit status. */
export type LabCommand = (ctx: CmdContext) => number | Promise<number>;

/** A file whose content is computed from state each time it is read (/proc/mdstat). */
export type DynamicFile = (machine: LabMachine, world: LabWorld) => string;

/** What each command module exports. */
export interface LabModule {
  commands: Record<string, LabCommand>;
  files?: Record<string, DynamicFile>;
  tickers?: ((world: LabWorld) => void)[];
}
