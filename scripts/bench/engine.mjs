#!/usr/bin/env -S npx zx
/**
 * Engine overhead: a 1,000-step runbook of `true` on one lab machine, through the real run path
 * (dist/runbook/session.js startRun: plan, locks, events, fsync'ed journal, step output files) with
 * RunDeps from dist/app/runDeps.js over the lab's SSH (Reach pool), against 1,000 plain pooled
 * execs of `true` on the same connection. (engine − plain) / steps = what the engine adds per step.
 *   npx zx scripts/bench/engine.mjs [--steps 1000] [--machine ella] [--out FILE]
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLab } from './lib/lab.mjs';
import { emit, machineLine, msText, table, verdict } from './lib/report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const STEPS = Math.max(10, Math.min(10_000, Number(opt('steps', '1000'))));
const MACHINE = opt('machine', 'ella');
if (!existsSync(join(root, 'dist/runbook/session.js'))) {
  emit('engine: dist/ missing: build first with `npx tsc -p tsconfig.json`');
  process.exit(2);
}
const imp = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const [{ loadInventory }, { Reach }, { runDeps }, { loadRunbookFile }, { resolveParams }, { startRun }] = await Promise.all([
  imp('inventory/index.js'),
  imp('app/reach.js'),
  imp('app/runDeps.js'),
  imp('runbook/load.js'),
  imp('runbook/params.js'),
  imp('runbook/session.js'),
]);

const work = mkdtempSync(join(tmpdir(), 'baie-bench-engine-'));
const lab = await startLab(root);
let reach;
const rows = [['what', `total s (${STEPS})`, 'ms each', 'notes']];
let overhead;
let notes = [];
try {
  const { fleet, problems } = await loadInventory(lab.inventory);
  if (problems.length) throw new Error(`lab inventory: ${problems[0].message}`);
  fleet.lab = true;
  if (!fleet.machines.some((m) => m.name === MACHINE)) throw new Error(`no machine ${MACHINE} in the lab`);
  reach = new Reach(fleet);

  // warm the connection, then plain pooled execs
  for (let i = 0; i < 20; i++) await reach.exec(MACHINE, 'true', { timeoutMs: 10_000 });
  // like kinds.ts runs a step: a signal, a timeout, streamed output callbacks and an output cap
  const stepOpts = () => ({ signal: new AbortController().signal, timeoutMs: 60_000, onStdout: () => {}, onStderr: () => {}, maxOutputBytes: 1 << 20 });
  async function plain(withStepOpts = false) {
    const t0 = performance.now();
    let bad = 0;
    for (let i = 0; i < STEPS; i++) {
      const r = await reach.exec(MACHINE, 'true', withStepOpts ? stepOpts() : { timeoutMs: 10_000 });
      if (r.code !== 0) bad++;
    }
    return { ms: performance.now() - t0, bad };
  }

  const rbFile = join(work, 'bench-engine.yaml');
  const steps = Array.from({ length: STEPS }, (_, i) => `  - id: s${String(i + 1).padStart(5, '0')}\n    on: "{{host}}"\n    run: "true"`);
  writeFileSync(rbFile, ['runbook: bench-engine', `title: ${STEPS} trivial steps`, 'params:', '  host: {type: host, required: true}', 'steps:', ...steps, ''].join('\n'));
  const tl = performance.now();
  const loaded = await loadRunbookFile(rbFile);
  if (!loaded.runbook) throw new Error(`runbook: ${loaded.problems[0]?.message}`);
  const params = resolveParams(loaded.runbook, { host: MACHINE }, fleet);
  if (params.problems?.length) throw new Error(`params: ${params.problems[0]}`);
  const loadMs = performance.now() - tl;

  const prompter = {
    confirm: async (_s, target) => ({ typed: target }),
    manual: async () => 'abort',
    failure: async () => 'abort',
    inDoubt: async () => 'abort',
    takeover: async () => false,
    changed: async () => true,
  };
  async function engine(i) {
    const journalDir = join(work, `runs-${i}`);
    let ok = 0;
    let events = 0;
    const deps = runDeps(reach);
    const exec = deps.exec;
    let execs = 0;
    let execMs = 0;
    deps.exec = async (...a) => {
      const t = performance.now();
      try {
        return await exec(...a);
      } finally {
        execs++;
        execMs += performance.now() - t;
      }
    };
    const t0 = performance.now();
    const h = startRun({ loaded, params, fleet, deps, prompter, journalDir, operator: 'bench', onEvent: (e) => (events++, e.t === 'step-end' && e.status === 'ok' && ok++) });
    const status = await h.status;
    const ms = performance.now() - t0;
    return { ms, ok, status, events, execs, execMs, journalBytes: statSync(h.file).size, outFiles: existsSync(h.file.replace(/\.jsonl$/, '.out')) ? readdirSync(h.file.replace(/\.jsonl$/, '.out')).length : 0 };
  }

  // alternate plain / engine so drift on a shared machine hits both
  const p1 = await plain();
  const e1 = await engine(1);
  const p2 = await plain();
  const e2 = await engine(2);
  const p3 = await plain();
  const s1 = await plain(true);
  const plainMs = (p1.ms + p2.ms + p3.ms) / 3;
  const engineMs = (e1.ms + e2.ms) / 2;
  overhead = (engineMs - plainMs) / STEPS;
  rows.push([`plain pooled \`reach.exec('${MACHINE}', 'true')\`, sequential (mean of 3)`, (plainMs / 1000).toFixed(2), msText(plainMs / STEPS, 2), `runs ${[p1, p2, p3].map((p) => (p.ms / 1000).toFixed(2)).join(' / ')} s; failures ${p1.bad + p2.bad + p3.bad}`]);
  rows.push([`same, with the options a run step passes (signal, onStdout/onStderr, maxOutputBytes)`, (s1.ms / 1000).toFixed(2), msText(s1.ms / STEPS, 2), `1 run; failures ${s1.bad}`]);
  rows.push([`runbook of ${STEPS} \`run: "true"\` steps via startRun (mean of 2)`, (engineMs / 1000).toFixed(2), msText(engineMs / STEPS, 2), `runs ${(e1.ms / 1000).toFixed(2)} / ${(e2.ms / 1000).toFixed(2)} s; status ${e1.status}/${e2.status}; ok steps ${e1.ok}/${e2.ok}; ${e1.events} events; journal ${(e1.journalBytes / 1024).toFixed(0)} KiB, ${e1.outFiles} output files`]);
  rows.push(['engine overhead per step (difference / steps)', '', msText(overhead, 2), 'plan, lock, events, fsync of the journal, output file, interpolation']);
  const outside = ((e1.ms - e1.execMs) + (e2.ms - e2.execMs)) / 2 / STEPS;
  rows.push(['time per step outside `deps.exec` during the run', '', msText(outside, 2), `remote execs per run: ${e1.execs} (${(e1.execs / STEPS).toFixed(2)} per step); mean exec inside the run ${msText((e1.execMs + e2.execMs) / (e1.execs + e2.execs), 2)} ms`]);
  // what one durable journal event costs on this disk: write + fsync of a ~300-byte line
  const { openSync, writeSync, fsyncSync, closeSync } = await import('node:fs');
  const fd = openSync(join(work, 'fsync-probe.jsonl'), 'a', 0o600);
  const line = JSON.stringify({ t: 'step-end', at: Date.now(), step: 's00001', target: MACHINE, status: 'ok', code: 0, durationMs: 3, output: 'x'.repeat(200) }) + '\n';
  const tf = performance.now();
  for (let i = 0; i < 300; i++) (writeSync(fd, line), fsyncSync(fd));
  const fsyncMs = (performance.now() - tf) / 300;
  // the same plain execs with three fsync'ed journal lines between them (what a run does per step)
  const fd2 = openSync(join(work, 'fsync-between.jsonl'), 'a', 0o600);
  const tb = performance.now();
  for (let i = 0; i < STEPS / 5; i++) {
    for (let k = 0; k < 3; k++) (writeSync(fd2, line), fsyncSync(fd2));
    await reach.exec(MACHINE, 'true', { timeoutMs: 10_000 });
  }
  const betweenMs = (performance.now() - tb) / (STEPS / 5);
  closeSync(fd2);
  closeSync(fd);
  rows.push(['one journal line written + fsync\'ed (300 in a row)', '', msText(fsyncMs, 2), `${(e1.events / STEPS).toFixed(1)} events per step → ~${msText((fsyncMs * e1.events) / STEPS, 1)} ms per step if all are durable`]);
  rows.push([`plain pooled exec with 3 fsync'ed journal lines before each (${STEPS / 5} in a row)`, '', msText(betweenMs, 2), `vs ${msText(plainMs / STEPS, 2)} ms plain: the flush shows up as latency of the next remote exec`]);
  notes.push(`Loading and checking the ${STEPS}-step runbook file (YAML, schema, params): ${msText(loadMs, 0)} ms, not counted above.`);
  notes.push(`Journal on ${tmpdir()} (same ext4 filesystem as ~/.local/state here); each durable event is fsync'ed.`);
  if (e1.status !== 'done' || e2.status !== 'done') notes.push(`Run status was '${e1.status}' / '${e2.status}': check the numbers.`);
} finally {
  await reach?.close().catch(() => undefined);
  await lab.stop();
  rmSync(work, { recursive: true, force: true });
}

emit(
  [
    `## Runbook engine overhead: ${STEPS} trivial steps on one lab machine`,
    '',
    machineLine(),
    '',
    table(rows),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '### Goals',
    '',
    table([['goal', 'measured', 'verdict'], ['engine overhead < 5 ms per step (journal included)', `${msText(overhead, 2)} ms`, verdict(overhead < 5)]]),
  ].join('\n'),
);
process.exit(0);
