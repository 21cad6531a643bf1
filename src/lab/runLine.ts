/** The shape of the lab shell interpreter's entry point, as the servers call it. */
import type { LabMachine } from './state.js';
import type { LabWorld } from './world.js';

export interface RunLineOptions {
  machine: LabMachine;
  world: LabWorld;
  stdin: string;
  out(text: string): void;
  err(text: string): void;
  signal: AbortSignal;
  env: Record<string, string>;
}

/** Run one shell command line on a lab machine; resolves to the exit status. */
export type RunLine = (line: string, options: RunLineOptions) => number | Promise<number>;
