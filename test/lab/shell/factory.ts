/** A minimal valid lab machine and world for shell tests. */
import type { LabMachine } from '../../../src/lab/state.js';
import { LabWorld } from '../../../src/lab/world.js';
import { LabClock } from '../../../src/lab/clock.js';
import { runCommandLine } from '../../../src/lab/shell/interpreter.js';
import type { LabCommand } from '../../../src/lab/shell/types.js';

/** 2026-11-21 03:12:01 UTC. */
export const LAB_NOW = Date.UTC(2026, 10, 21, 3, 12, 1);

export function makeMachine(over: Partial<LabMachine> = {}): LabMachine {
  return {
    name: 'emma',
    site: 'lyon',
    rack: 'r1',
    roles: ['web'],
    hardware: { vendor: 'Dell Inc.', model: 'PowerEdge R640', serial: 'H7XK2M2', cpus: 8, memBytes: 64 * 2 ** 30 },
    address: '192.0.2.11',
    sshPort: 22011,
    hostKey: '',
    power: 'on',
    boot: 'up',
    // 12 days, 3 h 4 min 10 s before LAB_NOW.
    bootedAt: LAB_NOW - ((12 * 24 + 3) * 3600 + 4 * 60 + 10) * 1000,
    bootDevice: 'disk',
    networkDown: false,
    files: { '/etc/hosts': '127.0.0.1\tlocalhost\n192.0.2.11\temma.example.org emma\n' },
    disks: [],
    md: [],
    zpools: [],
    services: [],
    ifaces: [{ name: 'eno1', up: true, addrs: ['192.0.2.11/24'] }],
    ipvs: [],
    consoleLog: [],
    load: [0.08, 0.03, 0.01],
    hostname: 'emma',
    ...over,
  };
}

/** A world whose clock stands still at LAB_NOW unless `speed`/`realNow` say otherwise. */
export function makeWorld(m: LabMachine = makeMachine(), clock = new LabClock(1, LAB_NOW, () => 0)): LabWorld {
  const world = new LabWorld(clock);
  world.machines.set(m.name, m);
  return world;
}

export interface Ran {
  status: number;
  out: string;
  err: string;
}

/** Run one line on a machine; collects stdout and stderr. */
export async function sh(
  line: string,
  opts: { machine?: LabMachine; world?: LabWorld; commands?: Record<string, LabCommand>; stdin?: string; env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Ran> {
  const machine = opts.machine ?? makeMachine();
  const world = opts.world ?? makeWorld(machine);
  let out = '';
  let err = '';
  const status = await runCommandLine(line, {
    machine,
    world,
    commands: opts.commands,
    stdin: opts.stdin,
    env: opts.env,
    signal: opts.signal,
    out: (s) => void (out += s),
    err: (s) => void (err += s),
  });
  return { status, out, err };
}
