/**
 * A minimal client of the lab control socket (JSON lines `{id, op, …}` answered by
 * `{id, ok, result?|error?}`), enough for the lab BMC driver: one request per connection, and for
 * `op: 'sol'` the connection then carries the raw console. Kept here because transport may not
 * import lab/ (src/lab/controlClient.ts speaks the same protocol for the CLI).
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';

export interface LabReply {
  id: unknown;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class LabSocketError extends Error {
  constructor(
    readonly reason: 'not-running' | 'timeout' | 'cancelled' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'LabSocketError';
  }
}

let nextId = 1;

/**
 * Sends `request` and resolves with the first reply line. With `keep` the socket stays open (paused,
 * bytes after the reply line put back) for the caller; otherwise it is closed.
 */
export function labExchange(socketPath: string, request: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal; keep?: boolean }): Promise<{ reply: LabReply; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const socket = createConnection(socketPath);
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = (err: Error | undefined, reply?: LabReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      if (err || !opts.keep) socket.destroy();
      if (err) reject(err);
      else resolve({ reply: reply!, socket });
    };
    const onAbort = () => done(new LabSocketError('cancelled', 'cancelled'));
    if (opts.signal?.aborted) {
      queueMicrotask(onAbort);
    }
    const timer = setTimeout(() => done(new LabSocketError('timeout', `no answer from the lab within ${Math.round(opts.timeoutMs / 100) / 10} s`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > 1024 * 1024) done(new LabSocketError('protocol', 'the lab sent an over-long reply'));
        return;
      }
      let reply: LabReply;
      try {
        reply = JSON.parse(buf.subarray(0, nl).toString('utf8')) as LabReply;
        if (!reply || typeof reply !== 'object') throw new Error('not an object');
      } catch {
        done(new LabSocketError('protocol', 'the lab control socket answered something that is not JSON'));
        return;
      }
      if (opts.keep) {
        socket.pause();
        const rest = buf.subarray(nl + 1);
        if (rest.length) socket.unshift(rest);
      }
      done(undefined, reply);
    };
    socket.on('data', onData);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ENOTSOCK') done(new LabSocketError('not-running', `no lab listening on ${socketPath}`));
      else done(new LabSocketError('protocol', `lab control socket: ${e.message}`));
    });
    socket.on('close', () => done(new LabSocketError('protocol', 'the lab closed the control socket before answering')));
    socket.on('connect', () => socket.write(JSON.stringify({ ...request, id }) + '\n'));
  });
}
