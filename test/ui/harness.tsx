/** A small render harness: the App over a store with a fake controller that records calls. */
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { createStore } from '../../src/app/store.js';
import { initialState, reduce, type Action, type AppState } from '../../src/app/state.js';
import type { Controller } from '../../src/app/controller.js';
import type { Fleet, Machine } from '../../src/model/fleet.js';
import type { MachineProbe } from '../../src/probe/types.js';

export function machine(name: string, rack: string, u: number, extra: Partial<Machine> = {}): Machine {
  return { name, site: rack === 'B' ? 'rouans' : 'paris', rack, u, height: 1, roles: [], disks: [], services: [], ...extra };
}

export function fleet(): Fleet {
  return {
    sites: [{ name: 'paris' }, { name: 'rouans' }],
    racks: [{ name: 'A', site: 'paris', height: 42 }, { name: 'B', site: 'rouans', height: 24 }],
    machines: [
      machine('eva', 'A', 40, { roles: ['director'] }),
      machine('emma', 'A', 30, { roles: ['web'] }),
      machine('ella', 'A', 29, { roles: ['web'] }),
      machine('fey', 'A', 10, { roles: ['nfs'], height: 2 }),
      machine('pve1', 'B', 10, { roles: ['proxmox'], height: 2 }),
      machine('pve2', 'B', 8, { roles: ['proxmox'], height: 2 }),
    ],
    vms: [],
  };
}

export function probe(name: string, level: MachineProbe['health']['level'], reason = 'ok', extra: Partial<MachineProbe> = {}): MachineProbe {
  return { machine: name, at: Date.now(), reachable: true, errors: [], health: { level, reasons: [{ level, text: reason }] }, ...extra };
}

export const tick = () => new Promise((r) => setTimeout(r, 20));

export function harness(opts: { readOnly?: boolean; lab?: boolean; ascii?: boolean; f?: Fleet } = {}) {
  const store = createStore<AppState, Action>(reduce, initialState(opts.f ?? fleet(), opts));
  const calls: string[] = [];
  const controller: Controller = {
    store,
    refreshMs: 10_000,
    refresh: () => calls.push('refresh'),
    openShell: (m) => calls.push(`shell:${m}`),
    openConsole: (m) => calls.push(`console:${m}`),
    power: (m, a) => calls.push(`power:${m}:${a}`),
    quit: () => calls.push('quit'),
    answerAsk: (id, v) => {
      calls.push(`ask:${id}:${v}`);
      store.dispatch({ type: 'ask', ask: undefined });
    },
  };
  const r = render(<App controller={controller} />);
  const type = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  return { ...r, store, calls, type, frame: () => r.lastFrame() ?? '' };
}
