/**
 * Serial consoles of lab machines, as seen through the console server (`console NAME`) or
 * IPMI SOL. Each machine has one serial line, shared by every viewer: recent scrollback, then
 * live output; a getty `login:` (root, any password) gives a shell on the machine even when its
 * network is down. `~.` after a newline or Ctrl-] detaches a viewer.
 */
import { consoleWrite } from './state.js';
import type { LabMachine } from './state.js';
import type { LabWorld } from './world.js';
import { LineEditor } from './lineEditor.js';
import type { RunLine } from './runLine.js';

/** Scrollback lines shown when a viewer attaches. */
export const ATTACH_SCROLLBACK = 20;
/** On detach, output of lines still running is waited for at most this long (ms). */
const DETACH_FLUSH_MS = 2000;

type LineState = 'idle' | 'login' | 'password' | 'shell';

interface SerialLine {
  state: LineState;
  user: string;
  editor: LineEditor;
  viewers: Set<(text: string) => void>;
  running?: AbortController;
  queue: string[];
  env: Record<string, string>;
  /** Partial output line not yet in the machine's scrollback. */
  pending: string;
  lastStatus: number;
}

const lines = new WeakMap<LabWorld, Map<string, SerialLine>>();

function up(m: LabMachine): boolean {
  return m.power === 'on' && m.boot === 'up';
}

function host(m: LabMachine): string {
  return m.hostname || m.name;
}

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

function serialLine(world: LabWorld, m: LabMachine): SerialLine {
  let byName = lines.get(world);
  if (!byName) {
    byName = new Map();
    lines.set(world, byName);
    const map = byName;
    world.on('console', (name, text) => {
      const l = map.get(name);
      if (!l) return;
      let t = crlf(text);
      if (!t.endsWith('\r\n')) t += '\r\n';
      for (const v of l.viewers) v(t);
    });
    world.on('power', (name) => {
      const l = map.get(name);
      if (l) reset(l);
    });
  }
  let l = byName.get(m.name);
  if (!l) {
    const created: SerialLine = {
      state: 'idle',
      user: '',
      viewers: new Set(),
      queue: [],
      env: { HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/bash', TERM: 'vt220', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      pending: '',
      lastStatus: 0,
      editor: new LineEditor((t) => {
        show(created, t);
        record(created, m, t);
      }),
    };
    l = created;
    byName.set(m.name, l);
  }
  return l;
}

function reset(l: SerialLine): void {
  l.running?.abort();
  l.running = undefined;
  l.queue = [];
  l.state = 'idle';
  l.editor.buf = '';
  l.editor.echoOn = true;
}

/** Show text to every viewer without keeping it (echo, prompts). */
function show(l: SerialLine, text: string): void {
  for (const v of l.viewers) v(text);
}

/** Keep what the line showed in the machine's scrollback: complete lines, backspaces applied. */
function record(l: SerialLine, m: LabMachine, text: string): void {
  for (const ch of text) {
    if (ch === '\b') l.pending = l.pending.slice(0, -1);
    else if (ch === '\n') {
      consoleWrite(m, l.pending);
      l.pending = '';
    } else if (ch !== '\r') l.pending += ch;
  }
}

/** Show output to every viewer and keep it in the scrollback. */
function emit(l: SerialLine, m: LabMachine, text: string): void {
  show(l, crlf(text));
  record(l, m, text);
}

function loginPrompt(m: LabMachine): string {
  return `\nDebian GNU/Linux 12 ${host(m)} ttyS0\n\n${host(m)} login: `;
}

function shellPrompt(m: LabMachine): string {
  return `root@${host(m)}:~# `;
}

async function handleLine(l: SerialLine, m: LabMachine, world: LabWorld, runLine: RunLine, text: string): Promise<void> {
  switch (l.state) {
    case 'idle':
    case 'login':
      // getty's prompt is up whether or not anyone saw it: a name typed blind logs in too.
      if (!text.trim()) {
        emit(l, m, l.state === 'idle' ? loginPrompt(m) : `${host(m)} login: `);
        l.state = 'login';
        return;
      }
      l.user = text.trim();
      l.state = 'password';
      l.editor.echoOn = false;
      emit(l, m, 'Password: ');
      return;
    case 'password':
      l.editor.echoOn = true;
      if (l.user !== 'root') {
        l.state = 'login';
        emit(l, m, `\nLogin incorrect\n${host(m)} login: `);
        return;
      }
      l.state = 'shell';
      emit(l, m, `Linux ${host(m)} 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 x86_64\n\n${shellPrompt(m)}`);
      return;
    case 'shell': {
      const cmd = text.trim();
      if (cmd === 'exit' || cmd === 'logout') {
        l.state = 'login';
        emit(l, m, `logout\n${loginPrompt(m)}`);
        return;
      }
      if (!cmd) {
        emit(l, m, shellPrompt(m));
        return;
      }
      const ac = new AbortController();
      l.running = ac;
      let status = 1;
      let midLine = false;
      const print = (t: string) => {
        if (t) midLine = !t.endsWith('\n');
        emit(l, m, t);
      };
      try {
        status = await runLine(cmd, {
          machine: m,
          world,
          stdin: '',
          out: print,
          err: print,
          signal: ac.signal,
          env: l.env,
        });
      } catch (e) {
        if (!ac.signal.aborted) print(`-bash: ${(e as Error).message}\n`);
        status = 130;
      }
      if (l.running !== ac) return; // reset while running (power cycle)
      l.running = undefined;
      l.lastStatus = status;
      if (midLine) emit(l, m, '\n');
      emit(l, m, shellPrompt(m));
      return;
    }
  }
}

async function drain(l: SerialLine, m: LabMachine, world: LabWorld, runLine: RunLine): Promise<void> {
  while (!l.running && l.queue.length) {
    const text = l.queue.shift() as string;
    await handleLine(l, m, world, runLine, text);
  }
}

function typed(l: SerialLine, m: LabMachine, world: LabWorld, runLine: RunLine, data: string): void {
  if (!up(m)) {
    if (l.state !== 'idle') reset(l);
    return;
  }
  for (const ev of l.editor.feed(data)) {
    if (ev.kind === 'line') l.queue.push(ev.text);
    else if (ev.kind === 'interrupt') {
      if (l.running) {
        l.running.abort();
      } else if (l.state === 'shell') emit(l, m, shellPrompt(m));
      else if (l.state !== 'idle') {
        l.state = 'login';
        l.editor.echoOn = true;
        emit(l, m, `${host(m)} login: `);
      }
    } else if (ev.kind === 'eof' && l.state === 'shell' && !l.running) l.queue.push('logout');
  }
  void drain(l, m, world, runLine);
}

export interface ConsoleViewer {
  /** Bytes typed by the viewer. */
  input(data: string): void;
  /** Stop viewing (does not call `onDetach`). */
  close(): void;
}

export interface ViewerIO {
  write(text: string): void;
  /** The viewer typed `~.` or Ctrl-]; `rest` is what it typed after that in the same chunk. */
  onDetach(rest: string): void;
}

/** Attach a viewer to `m`'s serial console. */
export function attachSerial(world: LabWorld, m: LabMachine, runLine: RunLine, io: ViewerIO): ConsoleViewer {
  const l = serialLine(world, m);
  const viewer = (t: string) => io.write(t);
  l.viewers.add(viewer);
  const recent = m.consoleLog.slice(-ATTACH_SCROLLBACK);
  while (recent.length && recent[recent.length - 1] === '') recent.pop();
  io.write(`[Enter \`~.' to detach]\r\n`);
  if (recent.length) io.write(recent.join('\r\n') + '\r\n');
  if (l.pending) io.write(l.pending);
  let lineStart = true;
  let tilde = false;
  let closed = false;
  const detach = (before: string, rest: string) => {
    closed = true;
    if (before) typed(l, m, world, runLine, before);
    // Lines typed just before `~.` (a pasted or piped script) get their output first, briefly.
    const until = Date.now() + DETACH_FLUSH_MS;
    const wait = () => {
      if ((l.running || l.queue.length) && Date.now() < until) {
        setTimeout(wait, 10);
        return;
      }
      l.viewers.delete(viewer);
      io.onDetach(rest);
    };
    wait();
  };
  return {
    input(data: string) {
      if (closed) return;
      let pass = '';
      const chars = [...data];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        if (ch === '\x1d') return detach(pass, chars.slice(i + 1).join(''));
        if (tilde) {
          tilde = false;
          if (ch === '.') return detach(pass, chars.slice(i + 1).join(''));
          if (ch !== '~') pass += '~';
        } else if (lineStart && ch === '~') {
          tilde = true;
          lineStart = false;
          continue;
        }
        pass += ch;
        lineStart = ch === '\r' || ch === '\n';
      }
      if (pass) typed(l, m, world, runLine, pass);
    },
    close() {
      closed = true;
      l.viewers.delete(viewer);
    },
  };
}

/** Machines whose serial console goes through `server`, by port name and by machine name. */
export function consolePorts(world: LabWorld, server: string): Map<string, LabMachine> {
  const ports = new Map<string, LabMachine>();
  for (const m of world.machines.values()) {
    if (m.consoleVia?.server === server) {
      ports.set(m.consoleVia.port, m);
      ports.set(m.name, m);
    }
  }
  return ports;
}
