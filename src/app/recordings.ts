/**
 * The recorded shell and console sessions under recordingsDir(): one asciicast v2 file each,
 * in `YYYY-MM-DD/HHMMSS-MACHINE-KIND.cast`. Listing reads each file's header and its last event.
 */
import { closeSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatDuration } from '../model/duration.js';
import type { CastHeader, SessionKind } from './recorder.js';

export interface RecordingInfo {
  file: string;
  /** Start, ISO 8601 (from the header's timestamp; else from the file name). */
  startedAt: string;
  machine: string;
  kind: SessionKind | 'unknown';
  operator: string;
  /** Seconds from the start to the last event. */
  durationSeconds: number;
  title?: string;
  /** Set when the file is not a readable asciicast v2 recording. */
  problem?: string;
}

const NAME = /^(\d{2})(\d{2})(\d{2})-(.+)-(shell|console)(?:-\d+)?\.cast$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readHead(fd: number, size: number): string {
  const buf = Buffer.alloc(Math.min(size, 64 * 1024));
  const n = readSync(fd, buf, 0, buf.length, 0);
  return buf.subarray(0, n).toString('utf8');
}

function readTail(fd: number, size: number): string {
  const len = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(len);
  const n = readSync(fd, buf, 0, len, size - len);
  return buf.subarray(0, n).toString('utf8');
}

/** The time of the last complete event line in `tail` (a torn last line, from a crash, is skipped). */
export function lastEventTime(tail: string): number {
  const lines = tail.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (!l.startsWith('[')) continue;
    try {
      const ev = JSON.parse(l) as unknown;
      if (Array.isArray(ev) && typeof ev[0] === 'number') return ev[0];
    } catch {
      /* torn or partial line */
    }
  }
  return 0;
}

/** One recording file's summary; never throws. */
export function readRecording(file: string, day?: string): RecordingInfo {
  const m = NAME.exec(basename(file));
  const fromName: RecordingInfo = {
    file,
    startedAt: day && m ? new Date(`${day}T${m[1]}:${m[2]}:${m[3]}`).toISOString() : new Date(0).toISOString(),
    machine: m?.[4] ?? '?',
    kind: (m?.[5] as SessionKind | undefined) ?? 'unknown',
    operator: '?',
    durationSeconds: 0,
  };
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const head = readHead(fd, size);
    const nl = head.indexOf('\n');
    let header: CastHeader;
    try {
      header = JSON.parse(nl >= 0 ? head.slice(0, nl) : head) as CastHeader;
    } catch {
      return { ...fromName, problem: 'not an asciicast file (bad header line)' };
    }
    if (header?.version !== 2) return { ...fromName, problem: 'not an asciicast v2 file' };
    const tail = size > head.length ? readTail(fd, size) : head.slice(nl + 1);
    return {
      file,
      startedAt: typeof header.timestamp === 'number' ? new Date(header.timestamp * 1000).toISOString() : fromName.startedAt,
      machine: header.baie?.machine ?? fromName.machine,
      kind: header.baie?.kind ?? fromName.kind,
      operator: header.baie?.operator ?? '?',
      durationSeconds: lastEventTime(tail),
      ...(header.title ? { title: header.title } : {}),
    };
  } catch (e) {
    return { ...fromName, problem: `unreadable: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every recording under `dir`, oldest first (newest last). */
export function listRecordings(dir: string): RecordingInfo[] {
  const out: RecordingInfo[] = [];
  for (const day of entries(dir).filter((d) => DAY.test(d))) {
    for (const f of entries(join(dir, day)).filter((n) => n.endsWith('.cast'))) out.push(readRecording(join(dir, day, f), day));
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.file.localeCompare(b.file));
}

const localStamp = (iso: string): string => {
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** Text table rows: date, machine, kind, operator, duration, path (a problem follows the path). */
export function formatRecordings(list: RecordingInfo[]): string[] {
  const rows = list.map((r) => [localStamp(r.startedAt), r.machine, r.kind, r.operator, formatDuration(r.durationSeconds * 1000), r.file + (r.problem ? `  (${r.problem})` : '')]);
  const head = ['DATE', 'MACHINE', 'KIND', 'OPERATOR', 'DURATION', 'FILE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
}
