#!/usr/bin/env -S npx zx
/**
 * Startup: process start → first rack frame of the console on the default lab, and `baie --help`.
 *   npx zx scripts/bench/startup.mjs [--runs 10] [--out FILE]
 * The console runs in a detached tmux pane (120×40, own tmux server); the clock starts just before
 * `tmux new-session` and stops when `capture-pane` shows the rack header `paris / A`. The tmux server
 * is started beforehand, so its own start is not counted; one `tmux new-session` client is (a few ms).
 * Peers measured the same way: `top` until its `load average` header (a C TUI: the floor), and the
 * one-shot startups `ssh -V`, `ansible --version`, `node -e 0` (the runtime's own floor).
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { startLab } from './lib/lab.mjs';
import { have, timed } from './lib/run.mjs';
import { emit, machineLine, median, percentile, ratio, table, verdict } from './lib/report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const runs = Math.max(1, Math.min(50, Number(args[args.indexOf('--runs') + 1] ?? 10) || 10));
const main = join(root, 'dist/cli/main.js');
if (!existsSync(main)) {
  emit('startup: dist/cli/main.js missing: build first with `npx tsc -p tsconfig.json`');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sock = `baie-bench-${process.pid}`;
const tmux = (...a) => spawnSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });

/** ms from `tmux new-session CMD` to a pane showing `needle`; null after timeoutMs. */
async function firstFrame(name, cmd, needle, timeoutMs = 15_000) {
  const t0 = performance.now();
  const r = tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', name, cmd);
  if (r.status !== 0) throw new Error(`tmux: ${r.stderr.trim()}`);
  let ms = null;
  while (performance.now() - t0 < timeoutMs) {
    const pane = tmux('capture-pane', '-p', '-t', name).stdout ?? '';
    if (pane.includes(needle)) {
      ms = performance.now() - t0;
      break;
    }
    await sleep(5);
  }
  const last = tmux('capture-pane', '-p', '-t', name).stdout ?? '';
  tmux('kill-session', '-t', name);
  return { ms, last };
}

async function oneShot(cmd, argv, n) {
  const xs = [];
  let code = 0;
  for (let i = 0; i < n; i++) {
    const r = await timed(cmd, argv, { timeoutMs: 30_000 });
    code = r.code;
    xs.push(r.ms);
  }
  return { ms: median(xs), p90: percentile(xs, 90), code };
}

const rows = [['what', 'median ms', 'p90 ms', 'vs baie', 'runs']];
const goals = [];
const notes = [];

// One-shot startups (no lab needed)
const help = await oneShot(process.execPath, [main, '--help'], runs);
const peersOneShot = [];
if (have('ssh')) peersOneShot.push(['`ssh -V`', await oneShot('ssh', ['-V'], runs)]);
if (have('ansible')) peersOneShot.push(['`ansible --version`', await oneShot('ansible', ['--version'], runs)]);
else notes.push('- ansible: skipped (not installed: apt-get install -y ansible)');
peersOneShot.push(['`node -e 0` (runtime floor)', await oneShot(process.execPath, ['-e', '0'], runs)]);

let tui;
let top;
let floor;
const parts = [];
if (!have('tmux')) {
  notes.push('- console first frame: skipped (tmux not installed: apt-get install -y tmux)');
} else {
  const lab = await startLab(root);
  try {
    tmux('new-session', '-d', '-s', 'keepalive', 'sleep 600');
    const xs = [];
    let miss = '';
    // one unmeasured run first: the lab's first connections and the file cache
    await firstFrame('warmup', `${process.execPath} ${main} --inventory ${lab.inventory}`, 'paris / A');
    for (let i = 0; i < runs; i++) {
      const r = await firstFrame(`run${i}`, `${process.execPath} ${main} --inventory ${lab.inventory}`, 'paris / A');
      if (r.ms === null) miss = r.last.trim().split('\n').slice(0, 3).join(' / ');
      else xs.push(r.ms);
      await sleep(200);
    }
    tui = { ms: median(xs), p90: percentile(xs, 90), n: xs.length };
    if (miss) notes.push(`- console: some runs never showed \`paris / A\` within 15 s; the pane showed: ${miss}`);
    const ts = [];
    for (let i = 0; i < runs; i++) {
      const r = await firstFrame(`top${i}`, 'top', 'load average');
      if (r.ms !== null) ts.push(r.ms);
    }
    top = { ms: median(ts), p90: percentile(ts, 90), n: ts.length };
    const fs = [];
    for (let i = 0; i < runs; i++) {
      const r = await firstFrame(`floor${i}`, `sh -c 'echo ready-now; sleep 5'`, 'ready-now');
      if (r.ms !== null) fs.push(r.ms);
    }
    floor = { ms: median(fs), p90: percentile(fs, 90), n: fs.length };
    // where the console's time goes: each part as a fresh process, start → exit
    const dist = (p) => JSON.stringify(join(root, 'dist', p));
    const esm = (code) => oneShot(process.execPath, ['--input-type=module', '-e', code], runs);
    parts.push(['fresh node: import ink + react + dist/ui/App.js', await esm(`await Promise.all([import('ink'), import('react'), import(${dist('ui/App.js')})])`)]);
    parts.push(['fresh node: import the CLI side (fleet, Reach, Session) and load the lab inventory', await esm(`const [{ loadFleetFile }] = await Promise.all([import(${dist('cli/fleet.js')}), import(${dist('app/reach.js')}), import(${dist('app/session.js')})]); await loadFleetFile(${JSON.stringify(lab.inventory)});`)]);
  } finally {
    tmux('kill-server');
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid()}`, sock), { force: true });
    await lab.stop();
  }
}

if (tui) rows.push(['baie console: first rack frame (`paris / A`) on the default lab, in tmux', tui.ms.toFixed(0), tui.p90.toFixed(0), '1.00×', String(tui.n)]);
if (top) rows.push(['`top` first frame (`load average`), same tmux method', top.ms.toFixed(0), top.p90.toFixed(0), tui ? ratio(top.ms, tui.ms) : '-', String(top.n)]);
if (floor) rows.push(['method floor: `sh -c \'echo ready-now\'` in a tmux pane, same method', floor.ms.toFixed(0), floor.p90.toFixed(0), tui ? ratio(floor.ms, tui.ms) : '-', String(floor.n)]);
for (const [k, r] of parts) rows.push([`(part) ${k}`, r.ms.toFixed(0), r.p90.toFixed(0), tui ? ratio(r.ms, tui.ms) : '-', String(runs)]);
rows.push(['`baie --help`', help.ms.toFixed(0), help.p90.toFixed(0), '1.00×', String(runs)]);
for (const [k, r] of peersOneShot) rows.push([k, r.ms.toFixed(0), r.p90.toFixed(0), ratio(r.ms, help.ms), String(runs)]);

if (tui) goals.push(['console first rack frame < 0.5 s', `${tui.ms.toFixed(0)} ms (p90 ${tui.p90.toFixed(0)} ms)`, verdict(tui.ms < 500)]);
goals.push(['`baie --help` < 0.5 s', `${help.ms.toFixed(0)} ms (p90 ${help.p90.toFixed(0)} ms)`, verdict(help.ms < 500)]);

emit(
  [
    '## Startup',
    '',
    machineLine(),
    '',
    `Median of ${runs} runs. "vs baie": the peer's time over baie's (below 1 = the peer is faster). The console's clock includes one \`tmux new-session\` client and 5 ms polling of \`capture-pane\`.`,
    '',
    table(rows),
    ...(notes.length ? ['', ...notes] : []),
    '',
    '### Goals',
    '',
    table([['goal', 'measured', 'verdict'], ...goals]),
  ].join('\n'),
);
