/**
 * Records an interactive shell or console session as an asciicast v2 file (`asciinema play FILE`).
 * One JSON header line, then one `[seconds, "o"|"i"|"r", data]` line per event, each written to the
 * file as it happens (a crash keeps everything recorded so far). Typed input is recorded too, except
 * while the remote is asking for a password: then each typed character is recorded as `*`.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recordingsDir } from './paths.js';

export type SessionKind = 'shell' | 'console';

export interface RecorderOptions {
  cols: number;
  rows: number;
  title: string;
  env: { TERM?: string; SHELL?: string };
  machine: string;
  operator: string;
  kind: SessionKind;
  /** Start of the recording (tests); default now. */
  now?: Date;
}

/** What the hand-off feeds; AsciicastRecorder implements it. */
export interface SessionRecorder {
  output(data: string): void;
  input(data: string): void;
  resize(cols: number, rows: number): void;
}

/** The header line of a baie recording. */
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp: number;
  title?: string;
  env?: { TERM?: string; SHELL?: string };
  baie?: { machine: string; operator: string; kind: SessionKind };
}

export type CastEvent = [number, 'o' | 'i' | 'r' | 'm', string];

/** A password or passphrase prompt at the end of the output (ANSI sequences ignored). */
export const PASSWORD_PROMPT = /(password|passphrase)[^\n]*:\s*$/i;

// CSI (ESC [ … final), OSC (ESC ] … BEL/ST) and two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Does this output tail end with a password prompt? Pure. */
export function endsWithPasswordPrompt(tail: string): boolean {
  return PASSWORD_PROMPT.test(tail.replace(ANSI, ''));
}

/** Typed input as recorded during a password prompt: every character but CR/LF becomes `*`. Pure. */
export function maskInput(data: string): string {
  return Array.from(data, (c) => (c === '\r' || c === '\n' ? c : '*')).join('');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_') || '_';

/**
 * A new, not yet existing path `DIR/YYYY-MM-DD/HHMMSS-MACHINE-KIND.cast` (local time; `-2`, `-3`…
 * appended when a session on the same machine started in the same second).
 */
export function recordingFile(machine: string, kind: SessionKind, when: Date = new Date(), dir: string = recordingsDir()): string {
  const day = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  const base = `${pad(when.getHours())}${pad(when.getMinutes())}${pad(when.getSeconds())}-${safeName(machine)}-${kind}`;
  let file = join(dir, day, `${base}.cast`);
  for (let i = 2; existsSync(file) && i < 1000; i++) file = join(dir, day, `${base}-${i}.cast`);
  return file;
}

export class AsciicastRecorder implements SessionRecorder {
  readonly file: string;
  readonly startedAt: Date;
  /** Set when writing failed (disk full…): recording stopped there, the session goes on. */
  error?: string;
  private fd: number | undefined;
  private readonly t0 = process.hrtime.bigint();
  private lastT = 0;
  /** The end of the output so far, to spot a password prompt. */
  private tail = '';

  /** Creates the file (mode 600, directories 700); throws if it cannot (e.g. it already exists). */
  constructor(file: string, opts: RecorderOptions) {
    this.file = file;
    this.startedAt = opts.now ?? new Date();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'ax', 0o600);
    const env: Record<string, string> = {};
    if (opts.env.TERM) env.TERM = opts.env.TERM;
    if (opts.env.SHELL) env.SHELL = opts.env.SHELL;
    const header: CastHeader = {
      version: 2,
      width: Math.max(1, Math.floor(opts.cols)),
      height: Math.max(1, Math.floor(opts.rows)),
      timestamp: Math.floor(this.startedAt.getTime() / 1000),
      title: opts.title,
      env,
      baie: { machine: opts.machine, operator: opts.operator, kind: opts.kind },
    };
    this.line(JSON.stringify(header));
  }

  output(data: string): void {
    if (!data) return;
    this.tail = (this.tail + data).slice(-512);
    this.event('o', data);
  }

  input(data: string): void {
    if (!data) return;
    this.event('i', endsWithPasswordPrompt(this.tail) ? maskInput(data) : data);
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  /** Seconds since the start, never going backwards, microsecond precision. */
  elapsed(): number {
    const t = Math.round(Number(process.hrtime.bigint() - this.t0) / 1000) / 1e6;
    this.lastT = Math.max(this.lastT, t);
    return this.lastT;
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } catch {
      /* nothing more to keep */
    }
    try {
      closeSync(fd);
    } catch {
      /* already gone */
    }
  }

  private event(type: CastEvent[1], data: string): void {
    if (this.fd === undefined) return;
    const ev: CastEvent = [this.elapsed(), type, data];
    this.line(JSON.stringify(ev));
  }

  private line(text: string): void {
    if (this.fd === undefined) return;
    try {
      // one write per line: a crash leaves whole lines only (or one torn last line)
      const buf = Buffer.from(text + '\n', 'utf8');
      for (let off = 0, n = 0; off < buf.length && n < 1000; n++) off += writeSync(this.fd, buf, off);
    } catch (e) {
      this.error = `recording to ${this.file} stopped: ${(e as Error).message}`;
      this.close();
    }
  }
}
