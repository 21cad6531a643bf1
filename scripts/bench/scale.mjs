#!/usr/bin/env -S npx zx
/**
 * Scale: the console on a 2,000-machine, 10,000-VM fleet, in one process, no network.
 *   npx zx scripts/bench/scale.mjs [--machines 2000] [--vms 10000] [--out FILE]
 * The real App (dist/ui/App.js) is rendered by Ink to a fake 120×40 TTY with the console's own
 * render options (throttled, not debug); keys are written to a fake stdin, so each one goes
 * through Ink's input parser, useInput, handleKey (src/ui/input.ts), the store, React and Ink's
 * output. keypress→frame = key written → next frame written. Keys are spaced 120 ms apart so each
 * gets Ink's leading-edge render (its throttle is 33 ms at the default 30 fps).
 * Palette: buildPalette(...).search per keystroke (substring first, then fuse.js on the items that
 * hold enough of the typed characters), against fuse.js 7 alone over every item (names weight 3,
 * details 1, threshold 0.4: what the palette searched with before) and a plain substring filter
 * (the floor). RSS: process.memoryUsage().rss after a full GC with the console mounted.
 */
import { EventEmitter } from 'node:events';
import v8 from 'node:v8';
v8.setFlagsFromString('--expose-gc');
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { emit, machineLine, median, msText, percentile, ratio, table, verdict } from './lib/report.mjs';
import { bigFleet, bigProbes } from './lib/bigfleet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('machines', 2000);
const V = opt('vms', 10000);
if (!existsSync(join(root, 'dist/ui/App.js'))) {
  emit('scale: dist/ui/App.js missing: build first with `npx tsc -p tsconfig.json`');
  process.exit(2);
}
const imp = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const rssStart = process.memoryUsage().rss;
// Ink, React and the App loaded the way the console loads them (React's production build, Ink not in CI mode)
const [{ ink: { render }, React, App }, { RENDER_OPTIONS }, { initialState, reduce }, { createStore }, { buildPalette }, { liveGuests }, { withHealth }, Fuse] = await Promise.all([
  imp('cli/consoleScreen.js').then((m) => m.loadConsoleModules()),
  imp('cli/consoleScreen.js'),
  imp('app/state.js'),
  imp('app/store.js'),
  imp('app/palette.js'),
  imp('app/fleetView.js'),
  imp('probe/health.js'),
  import('fuse.js').then((m) => m.default),
]);

let t = performance.now();
const fleet = bigFleet({ machines: N, vms: V, hypervisors: Math.max(1, Math.round(N / 10)) });
const probes = bigProbes(fleet, { vms: V, hypervisors: Math.max(1, Math.round(N / 10)), withHealth });
const buildMs = performance.now() - t;

class FakeStdout extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = true;
  frames = 0;
  lastAt = 0;
  last = '';
  waiters = [];
  write = (s) => {
    // ink brackets frames with synchronized-output escapes; a frame is the write that carries text
    if (typeof s === 'string' && s.length > 16) {
      this.frames++;
      this.lastAt = performance.now();
      this.last = s;
      for (const w of this.waiters.splice(0)) w(this.lastAt);
    }
    return true;
  };
  nextFrame(timeoutMs = 3000) {
    return new Promise((ok) => {
      const to = setTimeout(() => ok(null), timeoutMs);
      this.waiters.push((at) => (clearTimeout(to), ok(at)));
    });
  }
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  write(d) {
    this.data = d;
    this.emit('readable');
    this.emit('data', d);
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const store = createStore(reduce, initialState(fleet, {}));
const controller = { store, refreshMs: 30_000, refresh() {}, openShell() {}, openConsole() {}, power() {}, quit() {} };
const stdout = new FakeStdout();
const stdin = new FakeStdin();
const stderr = new FakeStdout();

t = performance.now();
const first = stdout.nextFrame(10_000);
const app = render(React.createElement(App, { controller }), { ...RENDER_OPTIONS, stdout, stdin, stderr });
const firstFrameMs = (await first) - t;
await sleep(150);

// A probe round lands: 2,000 results at once (guests derived, palette re-indexed, frame).
t = performance.now();
let f = stdout.nextFrame(10_000);
store.dispatch({ type: 'probes', probes, at: Date.now() });
const roundToFrameMs = (await f) - t;
await sleep(300);

const KEYS = { down: '\x1b[B', up: '\x1b[A', right: '\x1b[C', pgdn: '\x1b[6~', esc: '\x1b', enter: '\r' };
const samples = {};
const unchanged = {};
async function key(label, seq, { measure = true } = {}) {
  await sleep(120);
  const f = stdout.nextFrame(3000);
  const before = store.getState();
  const t0 = performance.now();
  stdin.write(seq);
  const at = await f;
  // a key that changed nothing draws nothing: the next frame would be the 1 s clock's, not ours
  if (store.getState() === before) return void (measure && (unchanged[label] = (unchanged[label] ?? 0) + 1));
  if (measure) (samples[label] ??= []).push(at === null ? null : at - t0);
  await sleep(20);
}

for (let i = 0; i < 20; i++) await key('racks: ↑ next machine up', KEYS.up);
for (let i = 0; i < 10; i++) await key('racks: ↓ next machine down', KEYS.down);
for (let i = 0; i < 10; i++) await key('racks: → next rack', KEYS.right);
await key('switch to machines view (2)', '2');
for (let i = 0; i < 20; i++) await key('machines: ↓ next machine', KEYS.down);
for (let i = 0; i < 5; i++) await key('machines: PgDn', KEYS.pgdn);
await key('open machine detail (Enter)', KEYS.enter);
await key('back (Esc)', KEYS.esc, { measure: false });
await key('switch to VMs view (3)', '3');
for (let i = 0; i < 20; i++) await key('vms: ↓ scroll', KEYS.down);
await key('switch to machines view (2)', '2');
await key('filter open (/)', '/', { measure: false });
for (const c of 'web-01') await key('filter: type a character', c);
await key('filter close (Esc)', KEYS.esc, { measure: false });
await key('palette open (:)', ':');
for (const c of 'vm-0423') await key('palette: type a character', c);
await key('palette close (Esc)', KEYS.esc, { measure: false });
const palOpen = store.getState().palette;
// memory while the console is up with the whole fleet, after a full GC (the bench's own extras come later)
const gc = (await import('node:vm')).runInNewContext('gc', {}, {}) ?? (() => {});
gc();
const rss = process.memoryUsage().rss;
const mem = process.memoryUsage();
const heapUsed = mem.heapUsed;
app.unmount();
app.cleanup?.();

// Palette search per keystroke, outside the UI
const guests = liveGuests(fleet, store.getState().probes);
t = performance.now();
const palette = buildPalette(fleet, guests, false);
palette.search(''); // items are built on the first search
const paletteBuildMs = performance.now() - t;
const queries = ['vm-0423', 'web-01', 'pve0042', 'mysql', 'nfs-0012', 'R007', 'paris', 'pve042', 'msyql-0203'];
const prefixes = queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));
const timeEach = (fn) => {
  for (const q of prefixes.slice(0, 5)) fn(q); // warm the JIT
  return prefixes.map((q) => {
    const t0 = performance.now();
    fn(q);
    return performance.now() - t0;
  });
};
const items = [
  ...fleet.machines.map((m) => ({ label: m.name, detail: `${m.site}/${m.rack} U${m.u} ${m.roles.join(',')}` })),
  ...guests.map((g) => ({ label: g.name, detail: `${g.type} ${g.vmid} on ${g.node}` })),
];
const rawFuse = new Fuse(items, { keys: [{ name: 'label', weight: 3 }, { name: 'detail', weight: 1 }], threshold: 0.4, ignoreLocation: true });
const palTimes = timeEach((q) => palette.search(q, 8));
const fuseTimes = timeEach((q) => rawFuse.search(q, { limit: 8 }));
const substrTimes = timeEach((q) => items.filter((i) => i.label.includes(q) || i.detail.includes(q)).slice(0, 8));


const keyRows = [['key (view)', 'n', 'median ms', 'p90 ms', 'max ms']];
const allKeys = [];
for (const [k, n] of Object.entries(unchanged)) if (!samples[k]) samples[k] = [];
for (const [k, xs] of Object.entries(samples)) {
  const ok = xs.filter((x) => x !== null);
  allKeys.push(...ok);
  keyRows.push([k, `${ok.length}${ok.length < xs.length ? ` (${xs.length - ok.length} no frame in 3 s)` : ''}${unchanged[k] ? ` (+${unchanged[k]} changed nothing, not counted)` : ''}`, msText(median(ok)), msText(percentile(ok, 90)), msText(Math.max(...ok))]);
}
const worstMedian = Math.max(...Object.values(samples).filter((xs) => xs.some((x) => x !== null)).map((xs) => median(xs.filter((x) => x !== null))));
const palRows = [
  ['search (same 12k items)', 'median ms/keystroke', 'p90 ms', 'max ms', 'vs baie'],
  ['baie palette `buildPalette(...).search(q, 8)`', msText(median(palTimes), 2), msText(percentile(palTimes, 90), 2), msText(Math.max(...palTimes), 2), '1.00×'],
  ['fuse.js 7 alone over all items `search(q, {limit: 8})`, names ×3 + details, threshold 0.4', msText(median(fuseTimes), 2), msText(percentile(fuseTimes, 90), 2), msText(Math.max(...fuseTimes), 2), ratio(median(fuseTimes), median(palTimes))],
  ['substring filter (floor, not fuzzy)', msText(median(substrTimes), 2), msText(percentile(substrTimes, 90), 2), msText(Math.max(...substrTimes), 2), ratio(median(substrTimes), median(palTimes))],
];
const palKey = samples['palette: type a character']?.filter((x) => x !== null) ?? [];

emit(
  [
    `## Scale: ${N.toLocaleString('en')} machines, ${V.toLocaleString('en')} VMs, in one process`,
    '',
    machineLine(),
    '',
    `${fleet.racks.length} racks of ${Math.round(N / fleet.racks.length)} machines over ${fleet.sites.length} sites; ${Math.round(N / 10)} Proxmox hosts with ${Math.ceil(V / Math.round(N / 10))} guests each; one probe result per machine. Ink renders the real App to a fake 120×40 TTY with the console's render options. Palette items: ${palette.size.toLocaleString('en')}.`,
    '',
    '### Keypress → frame',
    '',
    table(keyRows),
    '',
    `Other: first frame after render() ${msText(firstFrameMs, 0)} ms; a full probe round (${N} results) dispatched → frame ${msText(roundToFrameMs, 0)} ms; fleet + probes generated in ${msText(buildMs, 0)} ms; palette items (built on the first search) ${msText(paletteBuildMs, 0)} ms.${palOpen ? ' (palette still open at the end: Esc did not close it)' : ''}`,
    '',
    '### Palette search per keystroke (prefixes of ' + queries.map((q) => `\`${q}\``).join(', ') + ')',
    '',
    table(palRows),
    '',
    `In the console one palette keystroke searches twice (handleKey computes the results, then the App renders them): typing in the palette measured ${msText(median(palKey))} ms keypress→frame (median).`,
    '',
    `### Memory`,
    '',
    `RSS ${(rss / 2 ** 20).toFixed(0)} MB (${(rssStart / 2 ** 20).toFixed(0)} MB before loading the modules); heap used ${(heapUsed / 2 ** 20).toFixed(0)} MB of ${(mem.heapTotal / 2 ** 20).toFixed(0)} MB reserved, external ${(mem.external / 2 ** 20).toFixed(0)} MB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MB; measured after a full GC with the console mounted on the whole fleet, before the palette comparison below allocates its own copies.`,
    '',
    '### Goals',
    '',
    table([
      ['goal', 'measured', 'verdict'],
      ['keypress → frame < 30 ms', `worst key median ${msText(worstMedian)} ms; all keys median ${msText(median(allKeys))} ms, p90 ${msText(percentile(allKeys, 90))} ms`, verdict(worstMedian < 30)],
      ['palette < 15 ms per keystroke', `search ${msText(median(palTimes), 2)} ms median, p90 ${msText(percentile(palTimes, 90), 2)} ms; in the UI ${msText(median(palKey))} ms keypress→frame`, verdict(percentile(palTimes, 90) < 15)],
      ['RSS < 200 MB', `${(rss / 2 ** 20).toFixed(0)} MB`, verdict(rss < 200 * 2 ** 20)],
    ]),
  ].join('\n'),
);
process.exit(0);
