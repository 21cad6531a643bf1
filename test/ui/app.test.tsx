import { afterEach, describe, expect, it } from 'vitest';
import { harness, probe, tick } from './harness.js';

const ESC = '\u001b';
const DOWN = '\u001b[B';
const ENTER = '\r';
let h: ReturnType<typeof harness> | undefined;
afterEach(() => h?.unmount());

describe('TUI components', () => {
  it('draws both racks with every machine and the LAB badge', async () => {
    h = harness({ lab: true });
    await tick();
    const f = h.frame();
    expect(f).toContain('paris / A (42U)');
    expect(f).toContain('rouans / B (24U)');
    for (const n of ['eva', 'emma', 'ella', 'fey', 'pve1', 'pve2']) expect(f).toContain(n);
    expect(f).toContain('[LAB]');
    expect(f).toMatch(/U free/);
  });

  it('shows a machine degraded with its glyph and reason after probes arrive', async () => {
    h = harness({ ascii: true });
    h.store.dispatch({ type: 'probes', probes: [probe('fey', 'critical', 'md1 degraded'), probe('eva', 'ok')], at: Date.now() });
    await tick();
    expect(h.frame()).toMatch(/X fey/);
    expect(h.frame()).toMatch(/\+ eva/);
    h.store.dispatch({ type: 'select', machine: 'fey' });
    await tick();
    expect(h.frame()).toContain('md1 degraded');
  });

  it('jumps to a machine with the palette', async () => {
    h = harness();
    await tick();
    await h.type(':', 'e', 'l', 'l', 'a');
    expect(h.frame()).toMatch(/machine\s+ella/);
    await h.type(ENTER);
    expect(h.store.getState().view).toBe('machine');
    expect(h.store.getState().selected).toBe('ella');
    expect(h.frame()).toContain('ella — web');
  });

  it('takes typed-ahead keys arriving in one chunk', async () => {
    h = harness();
    await tick();
    await h.type(':ella');
    await h.type(ENTER);
    expect(h.store.getState().selected).toBe('ella');
    expect(h.store.getState().view).toBe('machine');
  });

  it('filters the machines table with / and goes back with Esc', async () => {
    h = harness();
    await h.type('2', '/', 'p', 'v', 'e');
    const f = h.frame();
    expect(f).toContain('pve1');
    expect(f).not.toContain('emma');
    await h.type(ESC);
    expect(h.frame()).toContain('emma');
  });

  it('shows help generated from the key table, and hides actions in read-only mode', async () => {
    h = harness();
    await h.type('?');
    expect(h.frame()).toContain('SSH shell on the machine');
    h.unmount();
    h = harness({ readOnly: true });
    await h.type('?');
    expect(h.frame()).not.toContain('SSH shell');
    expect(h.frame()).toContain('[READ-ONLY]');
    await h.type(ESC, 's');
    expect(h.calls).toEqual([]);
  });

  it('needs the machine name typed before a power action', async () => {
    h = harness();
    h.store.dispatch({ type: 'select', machine: 'emma' });
    await h.type(ENTER, 'C');
    expect(h.frame()).toContain('Power CYCLE emma');
    await h.type('e', 'l', 'l', 'a', ENTER);
    expect(h.calls).toEqual([]);
    expect(h.frame()).toContain("typed 'ella', expected 'emma': nothing done");
    await h.type('e', 'm', 'm', 'a', ENTER);
    expect(h.calls).toEqual(['power:emma:cycle']);
  });

  it('moves the selection down the rack and opens a shell on it', async () => {
    h = harness();
    await tick();
    expect(h.store.getState().selected).toBe('eva');
    await h.type(DOWN, 's');
    expect(h.calls).toEqual(['shell:emma']);
  });

  it('fits in 80x24 and renders only what fits for a big rack list', async () => {
    h = harness();
    await tick();
    const lines = h.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});

describe('ASCII mode', () => {
  it('draws racks, glyphs and boxes with ASCII only', async () => {
    h = harness({ ascii: true });
    h.store.dispatch({ type: 'probes', probes: [probe('fey', 'critical', 'md1 degraded'), probe('eva', 'ok'), probe('emma', 'warning', 'load 20')], at: Date.now() });
    await tick();
    expect(h.frame()).toMatch(/X fey/);
    // eslint-disable-next-line no-control-regex
    expect(h.frame()).not.toMatch(/[^\x00-\x7f]/);
    await h.type('?');
    expect(h.frame()).toContain('Keys');
    // eslint-disable-next-line no-control-regex
    expect(h.frame()).not.toMatch(/[^\x00-\x7f]/);
  });
});
