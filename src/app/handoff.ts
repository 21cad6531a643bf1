/**
 * Handing the terminal from baie's TUI to an interactive SSH shell or serial console, and back.
 *
 * What the caller (the TUI) must do: `onSuspend` stops the TUI from reading keys and drawing —
 * the simplest robust way is to unmount the Ink app (`instance.unmount()`, which also turns raw
 * mode off), keeping the store; `onResume` renders it again with the same store. handOff opens the
 * session *before* calling onSuspend (so a host-key question or a connect error still shows in the
 * TUI), and calls onResume after the terminal is restored, also when the session failed mid-way.
 * handOff never unrefs stdin and leaves it paused; it never closes the recorder.
 * Note: unmounting resolves the Ink instance's `waitUntilExit()`: a caller that ends the program
 * when it resolves must not treat an unmount for a hand-off as a quit.
 */
import { homedir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { PtySession } from '../transport/types.js';
import type { Reach } from './reach.js';
import { AsciicastRecorder, recordingFile, type SessionKind, type SessionRecorder } from './recorder.js';
import { recordingsDir } from './paths.js';
import { operatorName } from './settings.js';

// ---------------------------------------------------------------------------------------------
// The escape, as a pure function over typed input: `~.` typed at the very start or right after
// Enter, or Ctrl-] anywhere. Like OpenSSH: a `~` at the start of a line is held back until the
// next key; `~~` sends one `~` (to reach a nested ssh's escape); `~` then anything else sends both.

export interface EscapeState {
  /** The next key starts a line (start of the session, or after Enter). */
  atLineStart: boolean;
  /** A `~` typed at the start of a line, held back. */
  pendingTilde: boolean;
}

export const INITIAL_ESCAPE_STATE: EscapeState = { atLineStart: true, pendingTilde: false };

export interface EscapeScan {
  /** What to send to the remote (escape keys removed). */
  pass: string;
  /** The escape was typed: send `pass`, then end the session; the rest of the chunk is dropped. */
  escaped: boolean;
  state: EscapeState;
}

const CTRL_RIGHT_BRACKET = '\x1d';
const isEnter = (c: string): boolean => c === '\r' || c === '\n';

export function scanEscape(chunk: string, state: EscapeState = INITIAL_ESCAPE_STATE): EscapeScan {
  let { atLineStart, pendingTilde } = state;
  let pass = '';
  for (const c of chunk) {
    if (c === CTRL_RIGHT_BRACKET) return { pass, escaped: true, state: { atLineStart, pendingTilde: false } };
    if (pendingTilde) {
      pendingTilde = false;
      if (c === '.') return { pass, escaped: true, state: { atLineStart: false, pendingTilde: false } };
      if (c === '~') {
        pass += '~';
        atLineStart = false;
        continue;
      }
      pass += '~' + c;
      atLineStart = isEnter(c);
      continue;
    }
    if (atLineStart && c === '~') {
      pendingTilde = true;
      continue;
    }
    pass += c;
    atLineStart = isEnter(c);
  }
  return { pass, escaped: false, state: { atLineStart, pendingTilde } };
}

// ---------------------------------------------------------------------------------------------

/** stdin as handOff needs it: a TTY (process.stdin) or any readable stream (tests). */
export type HandOffInput = NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?(raw: boolean): unknown };
/** stdout as handOff needs it: a TTY (process.stdout; 'resize' events, columns/rows) or any writable. */
export type HandOffOutput = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

export interface HandOffOptions {
  /** Opens the session at the terminal's size. A rejection leaves the terminal and the TUI untouched. */
  open(size: { cols: number; rows: number }): Promise<PtySession>;
  stdin: HandOffInput;
  stdout: HandOffOutput;
  /** Gets the remote's output, what is typed (escape keys excluded) and resizes. */
  recorder?: SessionRecorder;
  /** One line shown at the top of the cleared screen. */
  banner: string;
  /** Stop the TUI (unmount Ink). Called after the session opened. */
  onSuspend(): void | Promise<void>;
  /** Start the TUI again. Called after the terminal is restored. */
  onResume(): void | Promise<void>;
  /**
   * 'alternate' (default): the session runs in the terminal's alternate screen and leaving it
   * shows the main screen again — for a TUI drawn in the main screen. 'clear': clear the screen
   * before and after — for a TUI that is itself in the alternate screen.
   */
  screen?: 'alternate' | 'clear';
}

export interface HandOffResult {
  /** 'escape': the user typed the escape (or stdin ended) and the session was closed; 'closed': it ended by itself. */
  reason: 'escape' | 'closed';
  /** With 'closed': the exit status when the remote reported one. */
  code?: number | null;
  signal?: string;
  /** The last non-empty line the remote printed (escape sequences removed), to explain a session that ended at once. */
  lastLine?: string;
}

const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';
/** Undo what a remote program may have left on: attributes, hidden cursor, app keypad/cursor keys, mouse, bracketed paste. */
const RESET_MODES = '\x1b[0m\x1b[?25h\x1b[?1l\x1b>\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l';

export function terminalSize(out: HandOffOutput): { cols: number; rows: number } {
  const ok = (n: number | undefined, d: number): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : d);
  return { cols: ok(out.columns, 80), rows: ok(out.rows, 24) };
}

/** The last non-empty line of terminal output, without escape sequences or control characters. Pure. */
export function lastLineOf(text: string): string | undefined {
  const plain = text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
  const lines = plain.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1)?.slice(0, 200);
}

export async function handOff(o: HandOffOptions): Promise<HandOffResult> {
  const { stdin, stdout } = o;
  const session = await o.open(terminalSize(stdout));

  let state: 'opening' | 'live' | 'done' = 'opening';
  const early: string[] = [];
  let finish!: (r: HandOffResult) => void;
  const done = new Promise<HandOffResult>((r) => (finish = r));
  let settled = false;
  const end = (r: HandOffResult): void => {
    if (settled) return;
    settled = true;
    finish(r);
  };
  let tail = '';
  const show = (d: string): void => {
    tail = (tail + d).slice(-2048);
    o.recorder?.output(d);
    stdout.write(d);
  };
  session.onData((d) => {
    if (state === 'live') show(d);
    else if (state === 'opening') early.push(d);
  });
  session.onClose((info) => end({ reason: 'closed', code: info.code, ...(info.signal ? { signal: info.signal } : {}) }));

  try {
    await o.onSuspend();
  } catch (e) {
    session.close();
    throw e;
  }

  const alt = (o.screen ?? 'alternate') === 'alternate';
  const canRaw = !!stdin.isTTY && typeof stdin.setRawMode === 'function';
  const wasRaw = canRaw ? !!stdin.isRaw : false;
  const decoder = new StringDecoder('utf8');
  let esc = INITIAL_ESCAPE_STATE;
  const onInput = (chunk: Buffer | string): void => {
    if (settled) return;
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const r = scanEscape(text, esc);
    esc = r.state;
    if (r.pass) {
      o.recorder?.input(r.pass);
      session.write(r.pass);
    }
    if (r.escaped) {
      end({ reason: 'escape' });
      session.close();
    }
  };
  const onEnd = (): void => {
    end({ reason: 'escape' });
    session.close();
  };
  const onResize = (): void => {
    const s = terminalSize(stdout);
    session.resize(s.cols, s.rows);
    o.recorder?.resize(s.cols, s.rows);
  };

  let result: HandOffResult;
  try {
    if (canRaw) stdin.setRawMode!(true);
    stdout.write((alt ? ENTER_ALT : '') + CLEAR + o.banner + '\r\n');
    stdin.on('data', onInput);
    stdin.on('end', onEnd);
    stdout.on('resize', onResize);
    stdin.resume();
    state = 'live';
    if (early.length) show(early.splice(0).join(''));
    result = await done;
    const last = lastLineOf(tail);
    if (last) result = { ...result, lastLine: last };
  } finally {
    state = 'done';
    stdin.removeListener('data', onInput);
    stdin.removeListener('end', onEnd);
    stdout.removeListener('resize', onResize);
    stdin.pause();
    if (canRaw) {
      try {
        stdin.setRawMode!(wasRaw);
      } catch {
        /* the terminal went away */
      }
    }
    stdout.write(RESET_MODES + (alt ? LEAVE_ALT : CLEAR));
    await o.onResume();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

export interface SessionIo {
  stdin: HandOffInput;
  stdout: HandOffOutput;
  onSuspend(): void | Promise<void>;
  onResume(): void | Promise<void>;
  screen?: 'alternate' | 'clear';
  /** Default: recordingsDir() (under $XDG_STATE_HOME/baie/recordings). */
  recordingsDir?: string;
  /** Default: operatorName() from the settings. */
  operator?: string;
}

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!.trim();
const tilde = (p: string): string => {
  const h = homedir();
  return h && h !== '/' && p.startsWith(h + '/') ? '~' + p.slice(h.length) : p;
};

/**
 * Opens a shell (`reach.pty`) or console (`reach.console`) on `machine`, hands the terminal over
 * (see handOff) while recording it, and returns one notice line for the TUI, e.g.
 * `shell on ella closed (exit 0), recorded in ~/.local/state/baie/recordings/2025-01-31/031502-ella-shell.cast`,
 * `left the console on fey, recorded in …`, or `cannot open a shell on ella: connection refused (127.0.0.1:2203)`.
 * Never throws. A recording that cannot be written does not stop the session (the notice says so).
 */
export async function openSession(reach: Reach, machine: string, kind: SessionKind, io: SessionIo): Promise<string> {
  const term = process.env.TERM || 'xterm-256color';
  let rec: AsciicastRecorder | undefined;
  let recProblem: string | undefined;
  let opened = false;
  const recorder: SessionRecorder = {
    output: (d) => rec?.output(d),
    input: (d) => rec?.input(d),
    resize: (c, r) => rec?.resize(c, r),
  };
  const open = async (size: { cols: number; rows: number }): Promise<PtySession> => {
    const s = kind === 'shell' ? await reach.pty(machine, { ...size, term }) : await reach.console(machine, size);
    opened = true;
    try {
      let operator = io.operator;
      if (!operator) {
        try {
          operator = operatorName();
        } catch {
          operator = process.env.USER || 'unknown';
        }
      }
      const file = recordingFile(machine, kind, new Date(), io.recordingsDir ?? recordingsDir());
      rec = new AsciicastRecorder(file, { ...size, title: `${kind} on ${machine}`, env: { TERM: term, SHELL: process.env.SHELL }, machine, operator, kind });
    } catch (e) {
      recProblem = `not recorded: ${firstLine(e)}`;
    }
    return s;
  };
  try {
    const r = await handOff({
      open,
      stdin: io.stdin,
      stdout: io.stdout,
      recorder,
      banner: `baie: ${kind} on ${machine} — ~. or Ctrl-] returns to baie`,
      onSuspend: io.onSuspend,
      onResume: io.onResume,
      screen: io.screen,
    });
    const how =
      r.reason === 'escape'
        ? `left the ${kind} on ${machine}`
        : `${kind} on ${machine} closed${typeof r.code === 'number' ? ` (exit ${r.code})` : r.signal ? ` (signal ${r.signal})` : ''}`;
    const why = r.reason === 'closed' && r.code !== 0 && r.lastLine ? `: ${r.lastLine}` : '';
    const problem = rec?.error ?? recProblem;
    if (rec && !rec.error) return `${how}${why}, recorded in ${tilde(rec.file)}`;
    return `${how}${why}; ${problem ?? 'not recorded'}`;
  } catch (e) {
    const msg = firstLine(e).replace(new RegExp(`^${machine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), '');
    return opened ? `${kind} on ${machine} failed: ${msg}` : `cannot open a ${kind} on ${machine}: ${msg}`;
  } finally {
    rec?.close();
  }
}
