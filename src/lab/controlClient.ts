/**
 * Client of the lab control socket (DIR/control.sock): JSON lines `{id, op, ...}` answered by
 * `{id, ok, result?|error?}`. The `sol` op turns the connection into a raw console stream.
 * Only node:net and JSON here: the CLI and the lab BMC driver both use it.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';

/** The socket is missing or nobody listens on it. */
export class LabNotRunningError extends Error {
  constructor(readonly socketPath: string) {
    super(`no lab listening on ${socketPath}`);
    this.name = 'LabNotRunningError';
  }
}

/** The lab answered the request with an error. */
export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface ControlOptions {
  /** Give up after this long (ms); default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

let nextId = 1;

/**
 * Send one request and resolve with the first reply line; `keep` leaves the socket open and
 * returns it, with any bytes after the reply line put back for its reader.
 */
function exchange(socketPath: string, request: Record<string, unknown>, opts: ControlOptions, keep: boolean): Promise<{ reply: Reply; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const socket = createConnection(socketPath);
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = (err: Error | undefined, reply?: Reply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      if (err || !keep) socket.destroy();
      if (err) reject(err);
      else resolve({ reply: reply as Reply, socket });
    };
    const onAbort = () => done(new Error('cancelled'));
    const timer = setTimeout(() => done(new Error(`lab control request '${String(request.op)}' timed out`)), opts.timeoutMs ?? 10_000);
    opts.signal?.addEventListener('abort', onAbort);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      let reply: Reply;
      try {
        reply = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Reply;
      } catch {
        done(new Error('lab control socket sent something that is not JSON'));
        return;
      }
      const rest = buf.subarray(nl + 1);
      if (keep) {
        socket.pause();
        if (rest.length) socket.unshift(rest);
      }
      done(undefined, reply);
    };
    socket.on('data', onData);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ENOTSOCK') done(new LabNotRunningError(socketPath));
      else done(e);
    });
    socket.on('close', () => done(new Error('lab control socket closed before answering')));
    socket.on('connect', () => socket.write(JSON.stringify({ ...request, id }) + '\n'));
  });
}

/** One request; resolves with its result, rejects with ControlError when the lab refuses. */
export async function controlRequest<T = unknown>(socketPath: string, op: string, params: Record<string, unknown> = {}, opts: ControlOptions = {}): Promise<T> {
  const { reply } = await exchange(socketPath, { ...params, op }, opts, false);
  if (!reply.ok) throw new ControlError(reply.error ?? 'the lab refused the request');
  return reply.result as T;
}

export interface SolRequest {
  machine: string;
  user: string;
  password: string;
}

/**
 * Open a Serial-over-LAN console: resolves with the raw socket (write keys to it, read console
 * output from it; `~.` after a newline ends it).
 */
export async function openSol(socketPath: string, req: SolRequest, opts: ControlOptions = {}): Promise<Socket> {
  const { reply, socket } = await exchange(socketPath, { op: 'sol', machine: req.machine, user: req.user, password: req.password }, opts, true);
  if (!reply.ok) {
    socket.destroy();
    throw new ControlError(reply.error ?? 'the lab refused the console');
  }
  return socket;
}

export interface BmcCall {
  machine: string;
  user: string;
  password: string;
  /** The BMC operation (power status, power on, bootdev, sel list…: the lab's bmc module names them). */
  op: string;
  arg?: string;
  persistent?: boolean;
}

/** One BMC request through the lab (the IPMI lab driver's only way in). */
export function bmcCall<T = unknown>(socketPath: string, call: BmcCall, opts: ControlOptions = {}): Promise<T> {
  return controlRequest<T>(socketPath, 'bmc', { machine: call.machine, user: call.user, password: call.password, bmcOp: call.op, arg: call.arg, persistent: call.persistent }, opts);
}
