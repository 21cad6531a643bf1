/**
 * The transport contracts: run a command somewhere (SSH or locally) and get its output back,
 * or open an interactive pty. Implementations: ssh/pool.ts (SshPool, SshTransport), local.ts.
 */
import type { SshEndpoint } from '../model/fleet.js';

export interface ExecOptions {
  /** Aborting sends TERM to the command (then KILL after a grace period) and resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Wall-clock limit for the command itself (not the connect): like an abort, but sets `timedOut: true`. */
  timeoutMs?: number;
  /** Called with each decoded chunk of output as it arrives (UTF-8, never split inside a character). */
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
  /** Written to the command's stdin, then stdin is closed. Without it stdin is closed at once (EOF). */
  stdin?: string;
  /** Allocate a pseudo-terminal: stderr is merged into stdout and lines end with `\r\n`. */
  pty?: boolean;
  /** Keep at most this many bytes (the last ones) of each of stdout/stderr in the result. Default 1 MiB. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  /** Exit status; null when the command was ended by a signal, cancelled, or never reported one. */
  code: number | null;
  /** Signal name without `SIG` (e.g. 'TERM') when the remote/local process was killed by one. */
  signal?: string;
  /** The last `maxOutputBytes` of output (see `truncated`). */
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut?: boolean;
  aborted?: boolean;
  /** True when older output was dropped to respect `maxOutputBytes`. */
  truncated?: boolean;
}

export interface Transport {
  /**
   * Runs `command` (a shell command line). Resolves with the command's outcome, including a
   * failing exit code, a timeout or a cancel. Rejects only with a TransportError (cannot connect,
   * host key refused, connection lost while running).
   */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
}

export interface PtyOptions {
  cols: number;
  rows: number;
  /** TERM value; default 'xterm-256color'. */
  term?: string;
  /** Run this command in the pty instead of the login shell. */
  command?: string;
}

export interface PtySession {
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  /** Raw terminal output, as decoded UTF-8 text. */
  onData(cb: (data: string) => void): void;
  /** Called once when the session ends; `code` is the exit status when the remote reported one. */
  onClose(cb: (info: { code: number | null; signal?: string }) => void): void;
  close(): void;
}

/** A machine as the transport sees it. */
export interface Target {
  name: string;
  ssh: SshEndpoint;
}

export type TransportErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'hostkey-unknown'
  | 'hostkey-changed'
  | 'hostkey-revoked'
  | 'closed';

/**
 * Every failure of a transport. `message` is one line that names the machine, e.g.
 * `ella: connection timed out after 5 s (127.0.0.1:2203)`; show it as is, no stack.
 */
export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  /** Machine name the error is about (for a jump-host failure: the jump host). */
  readonly machine: string;
  constructor(kind: TransportErrorKind, machine: string, detail: string, options?: { cause?: unknown }) {
    super(`${machine}: ${detail}`, options);
    this.name = 'TransportError';
    this.kind = kind;
    this.machine = machine;
  }
}

export function isTransportError(e: unknown): e is TransportError {
  return e instanceof TransportError;
}
