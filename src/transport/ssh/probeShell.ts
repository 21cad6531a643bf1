/**
 * Persistent shells: one long-lived `sh` per machine on its pooled SSH connection, so that a
 * command sent again and again (a probe round every few seconds) costs no new channel, no new sshd
 * session process and no new login shell: the text is written to the shell and its output read
 * back up to an end marker (framing in shellFraming.ts). Knows nothing about what the commands are.
 *
 * Rules:
 * - One round at a time per shell. A call for a machine whose shell is busy runs as a plain exec
 *   (never queued behind a round that may hang).
 * - A timeout or abort kills the shell with what runs in it (TERM, KILL after a grace period; as
 *   root on OpenSSH through the shell's process group, see remoteKill.ts) and resolves at once like
 *   `SshPool.exec` does; the next round opens a fresh shell.
 * - A closed channel or a dropped connection is noticed: the next round opens a fresh shell. A
 *   command that ends the shell (`exit 3`) gets the shell's exit status, like an exec would.
 * - Output outside a round, or an end marker without a status, retires the shell (fresh next time).
 * - A new shell answers an empty round first (its markers prove the shell runs; anything printed
 *   before them, such as a login banner, is dropped). If the shell dies before that, the command
 *   never ran and runs as a plain exec; after two such failures (or first rounds that time out
 *   without any answer) the machine gets plain exec only, for a while.
 * - Commands with stdin or a pty always run as plain exec.
 * - A shell holds one SSH session of its connection. When the server refuses another session
 *   (MaxSessions reached), `yieldSession` gives an idle shell back (SshPool's onSessionRefused).
 */
import { callDeadline } from '../callDeadline.js';
import { OutputTail } from '../outputTail.js';
import { TransportError, type ExecOptions, type ExecResult, type Target } from '../types.js';
import { CANCEL_GRACE_MS, sendSignal } from './exec.js';
import { killGroupCommand, PidMarkerStripper, wrapForKill } from './remoteKill.js';
import { FrameReader, helloText, newNonce, roundText, SHELL_COMMAND } from './shellFraming.js';
import type { OpenedChannel } from './pool.js';

/** What the shells need from the pool (SshPool has both). */
export interface ShellHost {
  openChannel(target: Target, command: (killVia: 'marker' | 'signal') => string, signal: AbortSignal): Promise<OpenedChannel | undefined>;
  exec(target: Target, command: string, opts?: ExecOptions): Promise<ExecResult>;
}

export interface PersistentShellStats {
  /** Shells open now. */
  open: number;
  /** Shells opened so far. */
  opened: number;
  /** Rounds answered by a persistent shell. */
  rounds: number;
  /** Calls that ran as a plain exec (busy shell, stdin/pty, fallback). */
  plain: number;
  /** Machines given plain exec only for now (their shell could not start). */
  plainOnly: string[];
}

/** Failures of a new shell before its first answer, in a row, before a machine gets plain exec only. */
const MAX_START_FAILURES = 2;
/** How long a machine whose shell cannot start gets plain exec only. */
const PLAIN_ONLY_MS = 10 * 60_000;

/** The shell died before answering its first (empty) round: the command did not run. */
class NotStarted extends Error {
  constructor(readonly shellExited: boolean) {
    super('the shell did not start');
  }
}

interface Frame {
  out: FrameReader;
  err: FrameReader;
  status?: number | null;
  open: number;
  onOut(b: Buffer): void;
  onErr(b: Buffer): void;
  onDone(status: number | null): void;
}

interface Cancel {
  signal: AbortSignal;
  reason(): 'timeout' | 'abort';
}

const discard = (): void => {};

class Shell {
  /** Closed, killed or retired: never used again. */
  closed = false;
  /** The shell has answered at least one round (its first, empty one). */
  answered = false;
  private killing = false;
  private exitCode?: number | null;
  private readonly outQ: Frame[] = [];
  private readonly errQ: Frame[] = [];
  private readonly pid?: PidMarkerStripper;
  private readonly closeWaiters = new Set<() => void>();

  constructor(
    private readonly name: string,
    private readonly o: OpenedChannel,
    private readonly forget: () => void,
  ) {
    const ch = o.channel;
    if (o.killVia === 'marker') this.pid = new PidMarkerStripper();
    ch.on('data', (d: Buffer) => this.feed(this.outQ, 'out', d));
    ch.stderr.on('data', (d: Buffer) => this.feed(this.errQ, 'err', this.pid ? this.pid.push(d) : d));
    ch.on('exit', (code: number | null) => {
      this.exitCode = typeof code === 'number' ? code : null;
    });
    ch.on('error', () => {});
    ch.on('close', () => {
      this.retire();
      for (const f of [...this.closeWaiters]) f();
    });
  }

  /** Runs one round. Rejects with NotStarted (nothing ran) or TransportError('closed'). */
  run(command: string, opts: ExecOptions, cancel: Cancel, started: number, hello: boolean): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      const out = new OutputTail(opts.maxOutputBytes);
      const err = new OutputTail(opts.maxOutputBytes);
      let answered = !hello;
      let settled = false;
      const result = (extra: Partial<ExecResult>): ExecResult => {
        const a = out.end();
        const b = err.end();
        if (a) opts.onStdout?.(a);
        if (b) opts.onStderr?.(b);
        const r: ExecResult = { code: null, stdout: out.text(), stderr: err.text(), durationMs: Date.now() - started, ...extra };
        if (out.truncated || err.truncated) r.truncated = true;
        return r;
      };
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        cancel.signal.removeEventListener('abort', onCancel);
        this.closeWaiters.delete(onClosed);
        return true;
      };
      const onCancel = (): void => {
        if (!settle()) return;
        this.kill();
        resolve(result(cancel.reason() === 'timeout' ? { timedOut: true } : { aborted: true }));
      };
      const onClosed = (): void => {
        if (!settle()) return;
        if (!answered) reject(new NotStarted(this.exitCode !== undefined));
        else if (this.exitCode !== undefined) resolve(result({ code: this.exitCode }));
        else reject(new TransportError('closed', this.name, 'connection lost while running a command'));
      };
      const frames: Frame[] = [];
      let text = '';
      if (hello) {
        const n = newNonce();
        frames.push(
          this.frame(n, discard, discard, () => {
            answered = true;
            this.answered = true;
          }),
        );
        text += helloText(n);
      }
      const nonce = newNonce();
      frames.push(
        this.frame(
          nonce,
          (b) => {
            const s = out.push(b);
            if (s) opts.onStdout?.(s);
          },
          (b) => {
            const s = err.push(b);
            if (s) opts.onStderr?.(s);
          },
          (status) => {
            if (!settle()) return;
            if (status === null) this.retire();
            resolve(result({ code: status }));
          },
        ),
      );
      text += roundText(command, nonce);
      this.closeWaiters.add(onClosed);
      cancel.signal.addEventListener('abort', onCancel);
      if (this.closed) return onClosed();
      this.outQ.push(...frames);
      this.errQ.push(...frames);
      try {
        this.o.channel.write(text);
      } catch {
        this.retire();
        return onClosed();
      }
      if (cancel.signal.aborted) onCancel();
    });
  }

  /** Stop the shell and everything it runs: TERM now, KILL and close after the grace period. */
  kill(): void {
    if (this.killing) return;
    this.killing = true;
    this.retire(false);
    const ch = this.o.channel;
    try {
      sendSignal(ch, 'TERM');
    } catch {
      /* channel gone */
    }
    this.killGroup('TERM');
    const t = setTimeout(() => {
      try {
        sendSignal(ch, 'KILL');
      } catch {
        /* channel gone */
      }
      this.killGroup('KILL');
      ch.close();
    }, CANCEL_GRACE_MS);
    t.unref?.();
    ch.once('close', () => clearTimeout(t));
  }

  /** Never use this shell again; `close` also ends it (EOF on its input, then the channel). */
  retire(close = true): void {
    const first = !this.closed;
    this.closed = true;
    if (first) this.forget();
    if (close) {
      try {
        this.o.channel.end();
        this.o.channel.close();
      } catch {
        /* already gone */
      }
    }
  }

  private frame(nonce: string, onOut: (b: Buffer) => void, onErr: (b: Buffer) => void, onDone: (status: number | null) => void): Frame {
    return { out: new FrameReader(nonce), err: new FrameReader(nonce), open: 2, onOut, onErr, onDone };
  }

  private feed(q: Frame[], which: 'out' | 'err', d: Buffer): void {
    let data = d;
    while (data.length) {
      const f = q[0];
      if (!f) {
        // output outside any round: something still runs in the background; do not trust this shell
        if (!this.closed) this.retire();
        return;
      }
      const reader = which === 'out' ? f.out : f.err;
      const passed = reader.push(data);
      if (passed.length) (which === 'out' ? f.onOut : f.onErr)(passed);
      if (!reader.done) return;
      q.shift();
      if (which === 'out') f.status = reader.done.status;
      if (--f.open === 0) f.onDone(f.status ?? null);
      data = reader.done.rest;
    }
  }

  private killGroup(sig: 'TERM' | 'KILL'): void {
    const pid = this.pid?.pid;
    if (pid === undefined) return;
    try {
      this.o.client.exec(killGroupCommand(pid, sig), (e, k) => {
        if (e) return;
        k.on('data', discard);
        k.stderr.on('data', discard);
        k.on('error', discard);
        k.end();
      });
    } catch {
      /* connection gone */
    }
  }
}

function keyOf(t: Target): string {
  return `${t.name}\0${t.ssh.user}@${t.ssh.host}:${t.ssh.port}\0${t.ssh.jump.join(',')}`;
}

export class PersistentShells {
  private readonly shells = new Map<string, Shell>();
  private readonly busy = new Set<string>();
  private readonly startFailures = new Map<string, number>();
  private readonly plainUntil = new Map<string, number>();
  private opened = 0;
  private rounds = 0;
  private plain = 0;

  constructor(private readonly host: ShellHost) {}

  /** Same contract as `SshPool.exec`: resolves with the outcome, rejects only with a TransportError. */
  async exec(target: Target, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const key = keyOf(target);
    const until = this.plainUntil.get(key);
    if (until !== undefined && Date.now() >= until) this.plainUntil.delete(key);
    if (opts.pty || opts.stdin !== undefined || this.plainUntil.has(key) || this.busy.has(key)) {
      this.plain++;
      return this.host.exec(target, command, opts);
    }
    this.busy.add(key);
    const started = Date.now();
    const cancel = callDeadline(opts);
    try {
      let sh = this.shells.get(key);
      const fresh = !sh || sh.closed;
      if (!sh || sh.closed) {
        const opened = await this.host.openChannel(target, (via) => (via === 'marker' ? wrapForKill(SHELL_COMMAND) : SHELL_COMMAND), cancel.signal);
        if (!opened) return { code: null, stdout: '', stderr: '', durationMs: Date.now() - started, ...(cancel.reason() === 'timeout' ? { timedOut: true } : { aborted: true }) };
        const made: Shell = new Shell(target.name, opened, () => {
          if (this.shells.get(key) === made) this.shells.delete(key);
        });
        sh = made;
        this.shells.set(key, made);
        this.opened++;
      }
      try {
        const r = await sh.run(command, opts, cancel, started, fresh);
        if (fresh && r.timedOut && !sh.answered) this.startFailed(key); // not even the empty round came back
        else this.startFailures.delete(key);
        this.rounds++;
        return r;
      } catch (e) {
        if (!(e instanceof NotStarted)) throw e;
        if (e.shellExited) this.startFailed(key);
        this.plain++;
        // Nothing ran: run it the ordinary way, in the time that is left.
        const left = opts.timeoutMs !== undefined ? Math.max(1, opts.timeoutMs - (Date.now() - started)) : undefined;
        return await this.host.exec(target, command, { ...opts, ...(left !== undefined ? { timeoutMs: left } : {}) });
      }
    } finally {
      cancel.done();
      this.busy.delete(key);
    }
  }

  /**
   * The server refused `name` a session (few MaxSessions): give back its shell if idle, and use
   * plain exec there for a while so that probes do not hold a session others need.
   */
  yieldSession(name: string): void {
    for (const [key, sh] of [...this.shells]) {
      if (!key.startsWith(`${name}\0`) || this.busy.has(key)) continue;
      sh.retire();
      this.shells.delete(key);
      this.plainUntil.set(key, Date.now() + PLAIN_ONLY_MS);
    }
  }

  /** Ends the shells of `name` (or all); later calls open new ones. */
  close(name?: string): void {
    for (const [key, sh] of [...this.shells]) {
      if (name !== undefined && !key.startsWith(`${name}\0`)) continue;
      sh.retire();
      this.shells.delete(key);
    }
    for (const m of [this.startFailures, this.plainUntil]) for (const key of [...m.keys()]) if (name === undefined || key.startsWith(`${name}\0`)) m.delete(key);
  }

  stats(): PersistentShellStats {
    return {
      open: this.shells.size,
      opened: this.opened,
      rounds: this.rounds,
      plain: this.plain,
      plainOnly: [...this.plainUntil.keys()].map((k) => k.split('\0')[0]),
    };
  }

  private startFailed(key: string): void {
    const n = (this.startFailures.get(key) ?? 0) + 1;
    this.startFailures.set(key, n);
    if (n >= MAX_START_FAILURES) {
      this.startFailures.delete(key);
      this.plainUntil.set(key, Date.now() + PLAIN_ONLY_MS);
    }
  }
}
