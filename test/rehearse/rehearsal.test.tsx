import { describe, expect, it } from 'vitest';
import React from 'react';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { createStore } from '../../src/app/store.js';
import { initialState, reduce, type Action, type AppState } from '../../src/app/state.js';
import type { Controller } from '../../src/app/controller.js';
import type { Fleet, Machine } from '../../src/model/fleet.js';
import type { MachineProbe } from '../../src/probe/types.js';
import { loadDrillFile } from '../../src/app/drill.js';
import { Rehearsal } from '../../src/app/rehearsal.js';

const m = (name: string, u: number): Machine => ({ name, site: 'paris', rack: 'A', u, height: 1, roles: ['web'], disks: [], services: [] });
const fleet: Fleet = { sites: [{ name: 'paris' }], racks: [{ name: 'A', site: 'paris', height: 42 }], machines: [m('emma', 30), m('ella', 29)], vms: [] };
const probe = (name: string, postfix: string, at: number): MachineProbe => ({
  machine: name,
  at,
  reachable: true,
  errors: [],
  services: [{ name: 'apache2', state: 'active' }, { name: 'postfix', state: postfix }],
  health: postfix === 'active' ? { level: 'ok', reasons: [] } : { level: 'critical', reasons: [{ level: 'critical', text: `postfix ${postfix}` }] },
});
const tick = () => new Promise((r) => setTimeout(r, 30));

async function setup() {
  const drill = (await loadDrillFile(join(import.meta.dirname, 'fixtures', 'runbooks', 'drills', 'service-down-ella.yaml'))).drill!;
  const store = createStore<AppState, Action>(reduce, initialState(fleet, { lab: true }));
  const goals: number[] = [];
  const t0 = Date.now() - 95_000;
  const clock = { now: t0 };
  const r = new Rehearsal({ drill, store, startedAt: t0, now: () => clock.now, readRuns: () => [], onGoal: (d) => goals.push(d.recoverMs!) });
  r.injected(0, t0);
  return { drill, store, r, t0, goals, clock };
}

describe('a rehearsal in a console session', () => {
  it('keeps the clock running while the goal does not hold, and names no fault', async () => {
    const { store, r, t0 } = await setup();
    r.onRound([probe('emma', 'active', t0 + 5000), probe('ella', 'failed', t0 + 5000)], t0 + 6000);
    store.dispatch({ type: 'probes', probes: [probe('emma', 'active', t0 + 5000), probe('ella', 'failed', t0 + 5000)], at: t0 + 6000 });
    r.onRound([probe('ella', 'failed', t0 + 10_000)], t0 + 11_000);
    const s = store.getState();
    expect(r.done).toBe(false);
    expect(s.rehearsal).toEqual({ drill: 'service-down-ella', startedAt: t0 });
    expect(s.view).toBe('racks');
    expect(s.notices.map((n) => n.text).join('\n')).not.toMatch(/service-down|postfix/);
    expect(r.lastGoal?.results.map((x) => x.ok)).toEqual([false, false]);
  });

  it('stops the clock and opens the debrief when the goal holds; the team opening ella counts as detection', async () => {
    const { store, r, t0, goals, clock } = await setup();
    store.dispatch({ type: 'probes', probes: [probe('ella', 'failed', t0 + 5000)], at: t0 + 5000 });
    r.onRound([probe('ella', 'failed', t0 + 5000)], t0 + 5000);
    clock.now = t0 + 2000;
    store.dispatch({ type: 'select', machine: 'ella' });
    store.dispatch({ type: 'go', view: 'machine' });
    store.dispatch({ type: 'back' });
    clock.now = t0 + 20_000;
    store.dispatch({ type: 'go', view: 'machine' });
    store.dispatch({ type: 'probes', probes: [probe('ella', 'active', t0 + 90_000)], at: t0 + 90_000 });
    r.onRound([probe('ella', 'active', t0 + 90_000)], t0 + 90_000);
    const s = store.getState();
    expect(r.done).toBe(true);
    expect(s.view).toBe('debrief');
    expect(s.rehearsal?.stoppedAt).toBe(t0 + 90_000);
    expect(goals).toEqual([90_000]);
    expect(s.debrief?.recoverMs).toBe(90_000);
    expect(s.debrief?.withinBudget).toBe(true);
    // opened at +2 s (before any probe showed it: not counted) and again at +20 s: detected in 20 s
    expect(s.debrief?.faults[0]).toMatchObject({ seenAt: t0 + 5000, actedAt: t0 + 20_000, actedHow: 'opened it in the console', detectMs: 20_000 });
    // later rounds change nothing
    r.onRound([probe('ella', 'failed', t0 + 120_000)], t0 + 120_000);
    expect(store.getState().rehearsal?.stoppedAt).toBe(t0 + 90_000);
  });

  it('the debrief view shows the numbers with the stopped clock in the header, and scrolls', async () => {
    const { store, r, t0 } = await setup();
    store.dispatch({ type: 'probes', probes: [probe('ella', 'failed', t0 + 5000)], at: t0 + 5000 });
    r.onRound([probe('ella', 'failed', t0 + 5000)], t0 + 5000);
    store.dispatch({ type: 'probes', probes: [probe('ella', 'active', t0 + 83_000)], at: t0 + 83_000 });
    r.onRound([probe('ella', 'active', t0 + 83_000)], t0 + 83_000);
    const controller: Controller = { store, refreshMs: 5000, refresh() {}, openShell() {}, openConsole() {}, power() {}, quit() {} };
    const app = render(<App controller={controller} />);
    await tick();
    const f = app.lastFrame() ?? '';
    expect(f).toContain('[DRILL 00:01:23 stopped]');
    expect(f).not.toContain('service-down-ella 00');
    expect(f).toContain('Debrief: Mail stops on a web frontend (service-down-ella)');
    expect(f).toMatch(/Time to recover\s+1m23s against a budget of 15m00s \(within\)/);
    // a long value wraps under its column
    expect(f).toMatch(/Time to detect service-down on ella  not detected: probes showed it at \+00:00:05, nobody acted on\n {37}ella\n/);
    expect(f).toMatch(/lines 1–\d+ of \d+/);
    app.stdin.write('G');
    await tick();
    const end = app.lastFrame() ?? '';
    expect(end).not.toContain('Debrief: Mail stops');
    expect(end).toContain('How these are computed');
    app.stdin.write('g');
    await tick();
    expect(app.lastFrame()).toContain('Debrief: Mail stops');
    app.unmount();
  });

  it('an unfinished debrief lists the goal conditions still failing', async () => {
    const { store, r, t0 } = await setup();
    store.dispatch({ type: 'probes', probes: [probe('ella', 'failed', t0 + 5000)], at: t0 + 5000 });
    r.onRound([probe('ella', 'failed', t0 + 5000)], t0 + 5000);
    const d = r.debrief(t0 + 60_000);
    expect(d.finished).toBe(false);
    expect(d.goalMissing).toEqual(['ella.services has no element {"name":"postfix","state":"active"}: [{"name":"apache2","state":"active"},{"name":"postfix","state":"failed"}]', 'ella.health is "critical", want "ok" (reasons: postfix failed)']);
  });
});
