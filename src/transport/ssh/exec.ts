/**
 * One command on an established ssh2 connection: streamed output, bounded capture, stdin,
 * optional pty, and cancellation (timeout or AbortSignal) that really stops the remote command:
 * a `signal` request TERM (sshd sends it to the command's process group), KILL after a grace
 * period, then the channel is closed.
 */
import type { Client, ClientChannel } from 'ssh2';
import { OutputTail } from '../outputTail.js';
import { TransportError, type ExecOptions, type ExecResult } from '../types.js';

/** How long a cancelled command gets between TERM and KILL, and KILL and giving up on it. */
export const CANCEL_GRACE_MS = 1500;

export interface ChannelOpenError {
  /** The channel could not be opened; the command never started (safe to retry on a new connection). */
  notStarted: true;
  error: Error;
}

export function isChannelOpenError(e: unknown): e is ChannelOpenError {
  return typeof e === 'object' && e !== null && (e as ChannelOpenError).notStarted === true;
}

/**
 * Runs `command` on `client`. Rejects with a ChannelOpenError if the channel could not be opened,
 * or with TransportError('closed') if the connection dropped while it ran.
 */
export function execOnClient(
  client: Client,
  machine: string,
  command: string,
  opts: ExecOptions,
  /** Already-running cancel state from the caller (timeout/abort started before the channel opened). */
  cancel: { signal: AbortSignal; reason(): 'timeout' | 'abort' },
  started: number,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const out = new OutputTail(opts.maxOutputBytes);
    const err = new OutputTail(opts.maxOutputBytes);
    let code: number | null = null;
    let sig: string | undefined;
    let gotExit = false;
    let settled = false;
    let cancelled: 'timeout' | 'abort' | undefined;
    let channel: ClientChannel | undefined;
    const timers: NodeJS.Timeout[] = [];

    const cleanup = (): void => {
      for (const t of timers) clearTimeout(t);
      cancel.signal.removeEventListener('abort', onCancel);
      client.removeListener('close', onClientClose);
    };

    const finish = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      const tailOut = out.end();
      const tailErr = err.end();
      if (tailOut) opts.onStdout?.(tailOut);
      if (tailErr) opts.onStderr?.(tailErr);
      const r: ExecResult = { code, stdout: out.text(), stderr: err.text(), durationMs: Date.now() - started };
      if (sig) r.signal = sig;
      if (cancelled === 'timeout') r.timedOut = true;
      if (cancelled === 'abort') r.aborted = true;
      if (out.truncated || err.truncated) r.truncated = true;
      resolve(r);
    };

    const onClientClose = (): void => {
      if (settled) return;
      if (cancelled) {
        finish();
        return;
      }
      settled = true;
      cleanup();
      reject(new TransportError('closed', machine, 'connection lost while running a command'));
    };

    const onCancel = (): void => {
      if (cancelled || settled) return;
      cancelled = cancel.reason();
      if (!channel) return;
      const ch = channel;
      try {
        ch.signal('TERM');
      } catch {
        /* channel already gone */
      }
      if (opts.pty) {
        try {
          ch.write('\x03');
        } catch {
          /* ignore */
        }
      }
      timers.push(
        setTimeout(() => {
          try {
            ch.signal('KILL');
          } catch {
            /* ignore */
          }
          ch.close();
        }, CANCEL_GRACE_MS),
      );
      // Do not wait forever on a wedged connection.
      timers.push(setTimeout(finish, CANCEL_GRACE_MS * 2));
    };

    client.on('close', onClientClose);
    cancel.signal.addEventListener('abort', onCancel);

    const execOpts = opts.pty ? { pty: { term: 'xterm-256color', cols: 200, rows: 50 } } : {};
    try {
      client.exec(command, execOpts, (e, ch) => {
        if (e) {
          settled = true;
          cleanup();
          reject({ notStarted: true, error: e } satisfies ChannelOpenError);
          return;
        }
        channel = ch;
        ch.on('data', (d: Buffer) => {
          const s = out.push(d);
          if (s) opts.onStdout?.(s);
        });
        ch.stderr.on('data', (d: Buffer) => {
          const s = err.push(d);
          if (s) opts.onStderr?.(s);
        });
        ch.on('exit', (c: number | null, signalName?: string) => {
          gotExit = true;
          if (typeof c === 'number') code = c;
          else if (signalName) sig = signalName.replace(/^SIG/, '');
        });
        ch.on('close', () => {
          if (gotExit || cancelled) finish();
          // No exit status: the connection probably dropped; let the client 'close' decide.
          else timers.push(setTimeout(finish, 50));
        });
        ch.on('error', () => {});
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else if (!opts.pty) ch.end();
        if (cancel.signal.aborted) {
          cancelled = undefined;
          onCancel();
        }
      });
    } catch (e) {
      settled = true;
      cleanup();
      reject({ notStarted: true, error: e as Error } satisfies ChannelOpenError);
    }
  });
}
