/**
 * Pooled probe rounds in one process: the same code the console runs every refresh.
 * Usage: node warm-probe.mjs INVENTORY ROUNDS CONCURRENCY → JSON on stdout:
 *   {first: ms, rounds: [ms…], ok: [reachable per round], n, uptime/true/shellTrue: [ms…], shells: stats}
 * The first round opens the SSH connections and each machine's persistent shell (Reach.probeDeps);
 * later rounds reuse both: the same code path as every refresh of the console.
 */
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const imp = (p) => import(pathToFileURL(resolve(root, 'dist', p)).href);

const [file, roundsArg = '3', concArg = '64'] = process.argv.slice(2);
const { loadInventory } = await imp('inventory/index.js');
const { Reach } = await imp('app/reach.js');
const { probeFleet } = await imp('probe/prober.js');
const { mapBounded } = await imp('probe/fanout.js');

const { fleet, problems } = await loadInventory(resolve(file));
if (problems.length) {
  console.error(problems.slice(0, 3).map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'));
  process.exit(2);
}
const reach = new Reach(fleet);
const deps = reach.probeDeps();
const opts = { timeoutMs: 10_000, concurrency: Number(concArg) };
const out = { n: fleet.machines.length, first: 0, rounds: [], ok: [], errors: [] };
try {
  let t = performance.now();
  let r = await probeFleet(fleet.machines, deps, opts);
  out.first = performance.now() - t;
  out.ok.push(r.filter((p) => p.reachable).length);
  out.errors.push(...new Set(r.flatMap((p) => p.errors).slice(0, 3)));
  for (let i = 0; i < Number(roundsArg); i++) {
    t = performance.now();
    r = await probeFleet(fleet.machines, deps, opts);
    out.rounds.push(performance.now() - t);
    out.ok.push(r.filter((p) => p.reachable).length);
  }
  // the same open pool, a bare command per machine: what the pool costs without the probe script's work
  for (const cmd of ['uptime', 'true']) {
    const xs = [];
    for (let i = 0; i < Number(roundsArg); i++) {
      t = performance.now();
      const rs = await mapBounded(fleet.machines, Number(concArg), (m) => reach.exec(m.name, cmd, { timeoutMs: 10_000 }).catch(() => ({ code: -1 })));
      xs.push(performance.now() - t);
      if (rs.some((r) => r.code !== 0)) out.errors.push(`${cmd}: ${rs.filter((r) => r.code !== 0).length} failed`);
    }
    out[cmd] = xs;
  }
  // the same open pool, `true` written to each machine's persistent shell: the round-trip floor of a warm round
  const xs = [];
  for (let i = 0; i < Number(roundsArg); i++) {
    t = performance.now();
    const rs = await mapBounded(fleet.machines, Number(concArg), (m) => reach.shells.exec(reach.target(m.name), 'true', { timeoutMs: 10_000 }).catch(() => ({ code: -1 })));
    xs.push(performance.now() - t);
    if (rs.some((r) => r.code !== 0)) out.errors.push(`shell true: ${rs.filter((r) => r.code !== 0).length} failed`);
  }
  out.shellTrue = xs;
  out.shells = reach.shells.stats();
  delete out.shells.plainOnly;
} finally {
  await reach.close();
}
process.stdout.write(JSON.stringify(out) + '\n');
