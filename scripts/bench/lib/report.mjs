/**
 * Shared helpers for the benchmarks: the machine a run happened on, Markdown tables,
 * timing, and optional output to a file (`--out FILE` appends the report there too).
 */
import os from 'node:os';
import { appendFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function machineInfo() {
  const cpus = os.cpus();
  let nproc = String(cpus.length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {}
  return {
    nproc,
    cpu: cpus[0]?.model?.trim() || 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export function machineLine() {
  const m = machineInfo();
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  return `Machine: nproc ${m.nproc}, CPU ${m.cpu}, memory ${m.memory}, node ${m.node}, ${m.os}; load average at start ${load}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** rows: array of arrays (first row is the header). */
export function table(rows) {
  const head = rows[0];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows.slice(1)) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

export const secs = (ms) => (ms === undefined || ms === null || Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(2));
export const msText = (ms, digits = 1) => (ms === undefined || ms === null || Number.isNaN(ms) ? '-' : ms.toFixed(digits));
export const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '-');

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Where the report goes besides stdout: `--out FILE` on the command line. */
export function outFile(argv = process.argv) {
  const i = argv.indexOf('--out');
  return i >= 0 ? argv[i + 1] : undefined;
}

export function emit(text, argv = process.argv) {
  process.stdout.write(text + '\n');
  const f = outFile(argv);
  if (f) appendFileSync(f, text + '\n');
}

export function verdict(ok) {
  return ok ? 'met' : '**missed**';
}
