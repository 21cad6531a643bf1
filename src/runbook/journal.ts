/**
 * One append-only JSON-lines file per run. Each event is written at once (a killed process loses
 * nothing) and the file is synced to disk before the next command is sent to a machine (`flush`,
 * called by the session in front of every command) and at close, so a machine that crashes never
 * has a command on record without the events before it. Step output goes to files beside the
 * journal (RUN.out/STEP.TARGET.log).
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from './events.js';
import { isDurable } from './events.js';

export class Journal {
  private fd: number;
  readonly outDir: string;
  constructor(
    readonly file: string,
    private readonly redact: (s: string) => string = (s) => s,
  ) {
    mkdirSync(join(file, '..'), { recursive: true });
    this.fd = openSync(file, 'a', 0o600);
    this.outDir = file.replace(/\.jsonl$/, '.out');
  }

  private dirty = false;

  append(e: RunEvent): void {
    if (!isDurable(e)) return;
    const line = this.redact(JSON.stringify(e)) + '\n';
    writeSync(this.fd, line);
    this.dirty = true;
  }

  /** Sync what was appended to disk (before a command is sent). */
  flush(): void {
    if (!this.dirty) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
  }

  /** Append step output to its file (redacted); returns the relative file name. */
  output(step: string, target: string, chunk: string): string {
    mkdirSync(this.outDir, { recursive: true, mode: 0o700 });
    const name = `${step}.${target.replace(/[^\w.-]/g, '_')}.log`;
    appendFileSync(join(this.outDir, name), this.redact(chunk), { mode: 0o600 });
    return name;
  }

  close(): void {
    try {
      this.flush();
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

export interface ReadJournal {
  events: RunEvent[];
  /** A last line cut by a crash mid-write was dropped. */
  torn: boolean;
  /** Lines that did not parse (not the last): should never happen. */
  bad: number;
}

export function readJournal(file: string): ReadJournal {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const events: RunEvent[] = [];
  let torn = false;
  let bad = 0;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      if (i >= lines.length - 2 && !text.endsWith('\n')) torn = true;
      else bad++;
    }
  });
  return { events, torn, bad };
}

export interface RunSummary {
  run: string;
  file: string;
  runbook: string;
  title: string;
  operator: string;
  startedAt: number;
  endedAt?: number;
  status: string;
  steps: number;
}

export function listRuns(dir: string): RunSummary[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: RunSummary[] = [];
  for (const n of names) {
    const file = join(dir, n);
    try {
      const { events } = readJournal(file);
      const start = events.find((e) => e.t === 'run-start');
      if (!start || start.t !== 'run-start') continue;
      const end = [...events].reverse().find((e) => e.t === 'run-end');
      out.push({
        run: start.run,
        file,
        runbook: start.runbook,
        title: start.title,
        operator: start.operator,
        startedAt: start.at,
        endedAt: end?.at,
        status: end && end.t === 'run-end' ? end.status : 'unfinished',
        steps: events.filter((e) => e.t === 'step-done').length,
      });
    } catch {
      out.push({ run: n.replace(/\.jsonl$/, ''), file, runbook: '?', title: '?', operator: '?', startedAt: statSync(file).mtimeMs, status: 'unreadable', steps: 0 });
    }
  }
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

/** `2026-11-22T0312-fey-disk-swap-mdadm-a1b2`: sortable, readable, unique. */
export function newRunId(runbook: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${stamp}-${runbook}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Replace every secret value by *** in a text. */
export function redactor(secrets: string[]): (s: string) => string {
  const vals = secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  if (!vals.length) return (s) => s;
  const esc = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(vals.flatMap((v) => [esc(v), esc(JSON.stringify(v).slice(1, -1))]).join('|'), 'g');
  return (s) => s.replace(re, '***');
}
