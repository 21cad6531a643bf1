/**
 * SSH session channels of one lab machine: `exec` (a command line through the lab shell
 * interpreter), `pty` + `shell` (a line-editing prompt), and `console NAME` on a console
 * server (attach to a machine's serial console).
 */
import type { AcceptConnection, RejectConnection, ServerChannel, Session } from 'ssh2';
import type { LabMachine } from './state.js';
import type { LabWorld } from './world.js';
import type { RunLine } from './runLine.js';
import { LineEditor } from './lineEditor.js';
import { attachSerial, consolePorts } from './serialAttach.js';
import { readsCommandsFromChannel } from './shell/stdinShell.js';

export interface SessionContext {
  world: LabWorld;
  machine: LabMachine;
  runLine: RunLine;
  /** Without any stdin data, an exec waits this long for EOF before running with empty stdin. */
  stdinGraceMs?: number;
}

const DEFAULT_STDIN_GRACE_MS = 50;
/** Once stdin data flows, an exec waits for EOF but gives up after this long without data. */
const STDIN_IDLE_MS = 10_000;

function baseEnv(m: LabMachine): Record<string, string> {
  return {
    HOME: '/root',
    USER: 'root',
    LOGNAME: 'root',
    SHELL: '/bin/bash',
    PWD: '/root',
    HOSTNAME: m.hostname || m.name,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  };
}

/** Wire one accepted session: its pty/env requests, then exactly one exec or shell. */
export function handleSession(session: Session, ctx: SessionContext): void {
  let pty: { cols: number; rows: number; term: string } | undefined;
  const env = baseEnv(ctx.machine);
  session.on('pty', (accept, _reject, info) => {
    pty = { cols: info.cols, rows: info.rows, term: info.term };
    env.TERM = info.term || 'xterm';
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    if (pty) Object.assign(pty, { cols: info.cols, rows: info.rows });
    accept?.();
  });
  session.on('env', (accept, _reject, info) => {
    if (/^(LANG|LC_[A-Z]+|TERM|TZ)$/.test(info.key)) env[info.key] = info.val;
    accept?.();
  });
  session.on('signal', (accept) => accept?.());
  session.on('auth-agent', (_accept, reject) => reject?.());
  session.on('x11', (_accept, reject) => reject?.());
  session.on('sftp', (_accept, reject: RejectConnection) => reject?.());
  session.on('subsystem', (_accept, reject: RejectConnection) => reject?.());
  session.once('exec', (accept: AcceptConnection<ServerChannel>, _reject, info) => {
    const ch = accept();
    if (ch) runExec(ch, info.command, !!pty, env, ctx);
  });
  session.once('shell', (accept: AcceptConnection<ServerChannel>) => {
    const ch = accept();
    if (!ch) return;
    if (pty) runPtyShell(ch, env, ctx);
    else runPlainShell(ch, env, ctx);
  });
}

function finish(ch: ServerChannel, status: number): void {
  if (ch.destroyed || ch.writableEnded) return;
  try {
    ch.exit(status);
    ch.end();
  } catch {
    /* the client went away */
  }
}

function writer(ch: ServerChannel, pty: boolean, which: 'out' | 'err'): (t: string) => void {
  return (t: string) => {
    if (ch.destroyed || ch.writableEnded || !t) return;
    if (pty) ch.write(t.replace(/\r?\n/g, '\r\n'));
    else if (which === 'err') ch.stderr.write(t);
    else ch.write(t);
  };
}

/** `console NAME` typed on a console server: the serial port it names, or undefined. */
function consoleTarget(ctx: SessionContext, line: string): { port: string; target?: LabMachine } | undefined {
  const m = /^\s*console\s+(\S+)\s*$/.exec(line);
  if (!m) return undefined;
  const ports = consolePorts(ctx.world, ctx.machine.name);
  if (!ports.size) return undefined;
  return { port: m[1], target: ports.get(m[1]) };
}

function runExec(ch: ServerChannel, command: string, pty: boolean, env: Record<string, string>, ctx: SessionContext): void {
  const ac = new AbortController();
  ch.on('close', () => ac.abort());
  if (!pty && readsCommandsFromChannel(command)) {
    // `sh -s`, `exec sh /dev/fd/3 3<&0 </dev/null`: a shell whose commands come over the channel
    runPlainShell(ch, env, ctx);
    return;
  }
  const cons = consoleTarget(ctx, command);
  if (cons) {
    if (!cons.target) {
      writer(ch, pty, 'err')(`console: ${cons.port}: no such console port\n`);
      finish(ch, 1);
      return;
    }
    const viewer = attachSerial(ctx.world, cons.target, ctx.runLine, {
      write: (t) => {
        if (!ch.destroyed && !ch.writableEnded) ch.write(t);
      },
      onDetach: () => finish(ch, 0),
    });
    ch.on('data', (d: Buffer) => viewer.input(d.toString('utf8')));
    ch.on('close', () => viewer.close());
    return;
  }
  let stdin = '';
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    if (started) return;
    started = true;
    if (timer) clearTimeout(timer);
    void execute();
  };
  const execute = async () => {
    let status: number;
    try {
      status = await ctx.runLine(command, {
        machine: ctx.machine,
        world: ctx.world,
        stdin,
        out: writer(ch, pty, 'out'),
        err: writer(ch, pty, 'err'),
        signal: ac.signal,
        env,
      });
    } catch (e) {
      if (ac.signal.aborted) return;
      writer(ch, pty, 'err')(`bash: ${(e as Error).message}\n`);
      status = 1;
    }
    finish(ch, status);
  };
  if (pty) {
    // stdin is a terminal: the command does not wait for it; Ctrl-C aborts.
    ch.on('data', (d: Buffer) => {
      if (d.includes(3)) ac.abort();
    });
    start();
    return;
  }
  ch.on('data', (d: Buffer) => {
    if (started) return;
    stdin += d.toString('utf8');
    if (timer) clearTimeout(timer);
    timer = setTimeout(start, STDIN_IDLE_MS);
  });
  ch.on('end', start);
  timer = setTimeout(start, ctx.stdinGraceMs ?? DEFAULT_STDIN_GRACE_MS);
}

function prompt(m: LabMachine): string {
  return `root@${m.hostname || m.name}:~# `;
}

/** `exit`, `exit N`, `logout`: the status to leave with, else undefined. */
function exitStatus(line: string, last: number): number | undefined {
  const m = /^\s*(exit|logout)(?:\s+(\d+))?\s*$/.exec(line);
  if (!m) return undefined;
  return m[2] !== undefined ? Number(m[2]) & 255 : last;
}

function runPtyShell(ch: ServerChannel, env: Record<string, string>, ctx: SessionContext): void {
  const write = (t: string) => {
    if (!ch.destroyed && !ch.writableEnded) ch.write(t);
  };
  const out = writer(ch, true, 'out');
  const editor = new LineEditor(write);
  const queue: string[] = [];
  let running: AbortController | undefined;
  let attached: ReturnType<typeof attachSerial> | undefined;
  let last = 0;
  let done = false;
  const leave = (status: number) => {
    done = true;
    running?.abort();
    attached?.close();
    finish(ch, status);
  };
  const drain = async () => {
    while (!done && !running && !attached && queue.length) {
      const line = queue.shift() as string;
      const ex = exitStatus(line, last);
      if (ex !== undefined) {
        write('logout\r\n');
        leave(ex);
        return;
      }
      if (!line.trim()) {
        write(prompt(ctx.machine));
        continue;
      }
      const cons = consoleTarget(ctx, line);
      if (cons) {
        if (!cons.target) {
          out(`console: ${cons.port}: no such console port\n`);
          last = 1;
          write(prompt(ctx.machine));
          continue;
        }
        attached = attachSerial(ctx.world, cons.target, ctx.runLine, {
          write,
          onDetach: (rest) => {
            attached = undefined;
            write('\r\n' + prompt(ctx.machine));
            if (rest) typedIn(rest);
            void drain();
          },
        });
        return;
      }
      const ac = new AbortController();
      running = ac;
      let column = 0;
      const track = (t: string) => {
        if (t) column = t.endsWith('\n') ? 0 : 1;
        out(t);
      };
      try {
        last = await ctx.runLine(line, { machine: ctx.machine, world: ctx.world, stdin: '', out: track, err: track, signal: ac.signal, env });
      } catch (e) {
        last = ac.signal.aborted ? 130 : 1;
        if (!ac.signal.aborted) track(`bash: ${(e as Error).message}\n`);
      }
      running = undefined;
      if (done) return;
      if (ac.signal.aborted) last = 130;
      if (column) write('\r\n');
      write(prompt(ctx.machine));
    }
  };
  const typedIn = (text: string) => {
    if (attached) {
      attached.input(text);
      return;
    }
    for (const ev of editor.feed(text)) {
      if (ev.kind === 'line') queue.push(ev.text);
      else if (ev.kind === 'interrupt') {
        queue.length = 0;
        if (running) running.abort();
        else write(prompt(ctx.machine));
      } else if (ev.kind === 'eof' && !running) queue.push('logout');
    }
    void drain();
  };
  ch.on('data', (d: Buffer) => {
    if (!done) typedIn(d.toString('utf8'));
  });
  ch.on('close', () => {
    done = true;
    running?.abort();
    attached?.close();
  });
  write(prompt(ctx.machine));
}

/** A shell without a terminal (`ssh host < script`): run each line, no echo, no prompt. */
function runPlainShell(ch: ServerChannel, env: Record<string, string>, ctx: SessionContext): void {
  let pending = '';
  const queue: string[] = [];
  let busy = false;
  let ended = false;
  let last = 0;
  const ac = new AbortController();
  ch.on('close', () => ac.abort());
  const drain = async () => {
    if (busy) return;
    busy = true;
    while (queue.length && !ac.signal.aborted) {
      const line = queue.shift() as string;
      const ex = exitStatus(line, last);
      if (ex !== undefined) {
        finish(ch, ex);
        ac.abort();
        return;
      }
      if (!line.trim()) continue;
      try {
        last = await ctx.runLine(line, { machine: ctx.machine, world: ctx.world, stdin: '', out: writer(ch, false, 'out'), err: writer(ch, false, 'err'), signal: ac.signal, env });
      } catch (e) {
        if (ac.signal.aborted) return;
        writer(ch, false, 'err')(`bash: ${(e as Error).message}\n`);
        last = 1;
      }
    }
    busy = false;
    if (ended && !queue.length) finish(ch, last);
  };
  ch.on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    queue.push(...parts);
    void drain();
  });
  ch.on('end', () => {
    ended = true;
    if (pending) queue.push(pending);
    pending = '';
    void drain();
  });
}
