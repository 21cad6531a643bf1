import { afterEach, describe, expect, it } from 'vitest';
import { harness, tick } from './harness.js';
import { genFleet, genProbes } from '../app/bigFleet.js';
import { vmRows } from '../../src/ui/views/VmsView.js';
import { hypervisors } from '../../src/app/fleetView.js';
import { makeTheme } from '../../src/ui/theme.js';
import { rackLines } from '../../src/ui/views/RackView.js';
import { visibleRackInfos } from '../../src/ui/layout/rackIndex.js';

const DOWN = '\u001b[B';
const RIGHT = '\u001b[C';
let h: ReturnType<typeof harness> | undefined;
afterEach(() => h?.unmount());

/** The rack column a machine's line is in: the text of that line from the column's start. */
function lineOf(frame: string, name: string): string | undefined {
  return frame.split('\n').find((l) => l.includes(name));
}

describe('racks view on a big fleet (10 racks of 40)', () => {
  it('keeps the selected machine in view and marked while scrolling down a rack and across racks', async () => {
    const f = genFleet({ machines: 400, hypervisors: 20 });
    h = harness({ f });
    h.store.dispatch({ type: 'probes', probes: Object.values(genProbes(f)), at: Date.now() });
    await tick();
    const order = visibleRackInfos(f, '').racks[0].order;
    h.store.dispatch({ type: 'select', machine: order[0] });
    for (let i = 0; i < 30; i++) await h.type(DOWN);
    const sel = order[30];
    expect(h.store.getState().selected).toBe(sel);
    let frame = h.frame();
    // the selected machine is drawn with the selection mark before its health glyph
    expect(lineOf(frame, sel)).toMatch(new RegExp(`▶. ${sel}`));
    // the window scrolled: the rack's top machine is off screen, and only one line is marked
    expect(frame).not.toContain(`${order[0]} `);
    expect(frame.split('▶').length).toBe(2);
    // the status line names the selection
    expect(frame.split('\n').some((l) => l.includes(sel) && l.includes('· U'))).toBe(true);
    // across racks: same position in the next racks, the columns follow past the third
    for (let i = 0; i < 4; i++) await h.type(RIGHT);
    const racks = visibleRackInfos(f, '').racks;
    const sel4 = racks[4].order[30];
    expect(h.store.getState().selected).toBe(sel4);
    frame = h.frame();
    expect(lineOf(frame, sel4)).toMatch(new RegExp(`▶. ${sel4}`));
    expect(frame).toContain('racks 3-5 of 10');
    expect(frame).toContain(`${racks[4].rack.site} / ${racks[4].rack.name}`);
    expect(frame).not.toContain(`/ ${racks[1].rack.name} (`);
  });

  it('lays rack rows side by side in 26-column cells, as one Box per rack did', () => {
    const f = genFleet({ machines: 120, hypervisors: 0 });
    const theme = makeTheme({ ascii: true, color: false });
    const shown = visibleRackInfos(f, '').racks;
    const ctx = { probes: {}, selected: shown[1].order[3], filter: '', theme, now: Date.now(), refreshMs: 10_000 };
    const { title, lines } = rackLines(shown, ctx, 16);
    expect(title).toBe('paris / R001 (42U)        rouans / R002 (42U)       lyon / R003 (42U)');
    const text = lines.map((segs) => segs.map((s) => s.text).join(''));
    expect(text[0]).toBe(`42 ... 2U free            42 ... 2U free            42 ... 2U free`);
    // each column starts at a multiple of 26 and holds that rack's row
    for (const [i, line] of text.entries()) {
      shown.forEach((_, c) => expect(line.slice(c * 26, c * 26 + 3), `line ${i} column ${c}`).toMatch(/^[ \d]\d $/));
    }
    expect(text.some((l) => l.includes(`>? ${ctx.selected}`))).toBe(true);
  });
});

describe('VMs view on 1,000 guests', () => {
  it('has a line per hypervisor and per guest, made on demand, and filters by guest name', () => {
    const f = genFleet({ machines: 100, hypervisors: 20 });
    const probes = genProbes(f);
    const theme = makeTheme({ ascii: true, color: false });
    const hs = hypervisors(f, probes);
    const all = vmRows(f, probes, '');
    expect(all.length).toBe(hs.length + hs.reduce((n, x) => n + x.guests.length, 0));
    let i = 0;
    for (const x of hs) {
      expect(all.line(i++, theme).text.startsWith(`${x.node}  mem `)).toBe(true);
      for (const g of x.guests) expect(all.line(i++, theme).text).toContain(` ${g.name} `);
    }
    const some = vmRows(f, probes, 'vm-0012');
    const lines = Array.from({ length: some.length }, (_, k) => some.line(k, theme).text);
    expect(lines.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/)[2])).toEqual(['vm-00120', 'vm-00121', 'vm-00122', 'vm-00123', 'vm-00124', 'vm-00125', 'vm-00126', 'vm-00127', 'vm-00128', 'vm-00129']);
    expect(lines.filter((l) => !l.startsWith('  ')).length).toBe(1);
  });

  it('shows the guests of the window it scrolled to', async () => {
    const f = genFleet({ machines: 100, hypervisors: 20 });
    h = harness({ f });
    h.store.dispatch({ type: 'probes', probes: Object.values(genProbes(f)), at: Date.now() });
    await h.type('3');
    expect(h.frame()).toContain('vm-00100');
    h.store.dispatch({ type: 'scroll', to: 500 });
    await tick();
    const rows = vmRows(f, h.store.getState().probes, '');
    const theme = makeTheme({ ascii: false });
    expect(h.frame()).toContain(rows.line(500, theme).text.trim().slice(0, 30));
    expect(h.frame()).not.toContain('vm-00100');
  });
});
