/** Building a command's context, and waiting on the lab clock. */
import type { LabMachine } from '../state.js';
import type { LabWorld } from '../world.js';
import type { CmdContext } from './types.js';
import { HOME } from '../files.js';

/** Longest single timer (setTimeout's limit). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Wait `labMs` of lab time (real time = world.clock.realMs(labMs)).
 * Rejects with an Error named `AbortError` when `signal` aborts (at once if already aborted).
 */
export function sleep(world: LabWorld, labMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const abortError = (): Error => Object.assign(new Error('aborted'), { name: 'AbortError' });
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const realMs = Math.min(MAX_TIMER_MS, Math.max(0, world.clock.realMs(Math.max(0, labMs))));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, realMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The environment a fresh root login on a Debian machine has. */
export function defaultEnv(): Record<string, string> {
  return {
    HOME,
    LANG: 'C.UTF-8',
    LOGNAME: 'root',
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    PWD: HOME,
    SHELL: '/bin/bash',
    USER: 'root',
  };
}

export interface ContextInput {
  argv: string[];
  machine: LabMachine;
  world: LabWorld;
  out(text: string): void;
  err(text: string): void;
  stdin?: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
}

/** A CmdContext whose `sleep` runs on the lab clock and stops when `signal` aborts. */
export function makeContext(input: ContextInput): CmdContext {
  const signal = input.signal ?? new AbortController().signal;
  return {
    argv: input.argv,
    stdin: input.stdin ?? '',
    out: input.out,
    err: input.err,
    machine: input.machine,
    world: input.world,
    env: input.env ?? defaultEnv(),
    signal,
    sleep: (labMs: number) => sleep(input.world, labMs, signal),
  };
}
