/**
 * One command on an established ssh2 connection: streamed output, bounded capture, stdin,
 * optional pty, and cancellation (timeout or AbortSignal) that really stops the remote command:
 * a `signal` request TERM (sshd sends it to the command's process group), KILL after a grace
 * period, then the channel is closed.
 */
import type { Client, ClientChannel } from 'ssh2';
import { OutputTail } from '../outputTail.js';
import { killGroupCommand, PidMarkerStripper, wrapForKill } from './remoteKill.js';
import { TransportError, type ExecOptions, type ExecResult } from '../types.js';

/** How long a cancelled command gets between TERM and KILL, and KILL and giving up on it. */
export const CANCEL_GRACE_MS = 1500;

/**
 * Sends a `signal` channel request. ssh2's `channel.signal()` silently does nothing once our side
 * has sent EOF (after stdin is closed), which is always the case here, so talk to the protocol
 * object directly when the channel is still open.
 */
export function sendSignal(ch: ClientChannel, name: string): void {
  const c = ch as unknown as {
    type?: string;
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, sig: string): void } };
  };
  if (c.type === 'session' && (c.outgoing?.state === 'open' || c.outgoing?.state === 'eof') && c._client?._protocol) {
    c._client._protocol.signal(c.outgoing.id, name);
  } else {
    ch.signal(name);
  }
}

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
  /** 'marker': prefix the command so that a cancel can kill its process group (see remoteKill.ts). */
  killVia: 'marker' | 'signal' = 'signal',
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

    let flushMarker = (): void => {};
    const finish = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      flushMarker();
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
      if (!channel) reject({ notStarted: true, error: new Error('connection closed') } satisfies ChannelOpenError);
      else reject(new TransportError('closed', machine, 'connection lost while running a command'));
    };

    const onCancel = (): void => {
      if (cancelled || settled) return;
      cancelled = cancel.reason();
      if (!channel) return;
      const ch = channel;
      try {
        sendSignal(ch, 'TERM');
      } catch {
        /* channel already gone */
      }
      killGroup('TERM');
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
            sendSignal(ch, 'KILL');
          } catch {
            /* ignore */
          }
          killGroup('KILL');
          ch.close();
        }, CANCEL_GRACE_MS),
      );
      // Do not wait forever on a wedged connection.
      timers.push(setTimeout(finish, CANCEL_GRACE_MS * 2));
    };

    client.on('close', onClientClose);
    cancel.signal.addEventListener('abort', onCancel);

    const marker = killVia === 'marker' ? new PidMarkerStripper() : undefined;
    const remoteCommand = marker ? wrapForKill(command) : command;
    const killGroup = (sig: 'TERM' | 'KILL'): void => {
      if (marker?.pid === undefined) return;
      try {
        client.exec(killGroupCommand(marker.pid, sig), (e, k) => {
          if (e) return;
          k.on('data', () => {});
          k.stderr.on('data', () => {});
          k.on('error', () => {});
          k.end();
        });
      } catch {
        /* connection gone */
      }
    };

    const execOpts = opts.pty ? { pty: { term: 'xterm-256color', cols: 200, rows: 50 } } : {};
    try {
      client.exec(remoteCommand, execOpts, (e, ch) => {
        if (e) {
          settled = true;
          cleanup();
          reject({ notStarted: true, error: e } satisfies ChannelOpenError);
          return;
        }
        channel = ch;
        const toOut = (d: Buffer): void => {
          if (!d.length) return;
          const s = out.push(d);
          if (s) opts.onStdout?.(s);
        };
        const toErr = (d: Buffer): void => {
          if (!d.length) return;
          const s = err.push(d);
          if (s) opts.onStderr?.(s);
        };
        // With a pty the marker comes back on stdout (merged); without, on stderr.
        ch.on('data', (d: Buffer) => toOut(marker && opts.pty ? marker.push(d) : d));
        ch.stderr.on('data', (d: Buffer) => toErr(marker && !opts.pty ? marker.push(d) : d));
        flushMarker = () => {
          if (marker) (opts.pty ? toOut : toErr)(marker.flush());
        };
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
