/** A small Proxmox world for the pve command tests: cluster rouans (pve1, pve2), 4 guests, backups on baloo. */
import { LabClock } from '../../../src/lab/clock.js';
import type { CmdContext } from '../../../src/lab/shell/types.js';
import type { LabGuest, LabMachine } from '../../../src/lab/state.js';
import { LabWorld } from '../../../src/lab/world.js';
import { pve } from '../../../src/lab/commands/pve/index.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
/** Sat Nov 21 03:12:01 2026 UTC. */
export const T0 = Date.UTC(2026, 10, 21, 3, 12, 1);

function machine(name: string, address: string, roles: string[], extra: Partial<LabMachine> = {}): LabMachine {
  return {
    name,
    site: 'rouans',
    rack: 'r1',
    roles,
    hardware: { vendor: 'Dell Inc.', model: 'PowerEdge R640', serial: `SN-${name}`, cpus: 16, memBytes: 128 * GiB },
    address,
    sshPort: 0,
    hostKey: '',
    power: 'on',
    boot: 'up',
    bootedAt: T0 - 86_400_000,
    bootDevice: 'disk',
    networkDown: false,
    files: {},
    disks: [],
    md: [],
    zpools: [],
    services: [],
    ifaces: [],
    ipvs: [],
    consoleLog: [],
    load: [0.42, 0.37, 0.3],
    hostname: name,
    ...extra,
  };
}

function guest(vmid: number, type: 'qemu' | 'lxc', name: string, node: string, memMiB: number, diskGiB: number, ha?: string): LabGuest {
  return {
    vmid,
    type,
    name,
    node,
    status: 'running',
    cpus: type === 'qemu' ? 4 : 1,
    memBytes: memMiB * MiB,
    diskBytes: diskGiB * GiB,
    storage: 'local-zfs',
    ha,
    haGroup: ha ? 'prefer-pve1' : undefined,
    priority: 0,
    services: [],
    startedAt: T0 - 3_600_000,
    ip: `192.0.2.${vmid - 50}`,
  };
}

/** Real milliseconds of the virtual clock, per world (advanced by sleep and jump). */
const virtualReal = new WeakMap<LabWorld, { now: number }>();

/**
 * A world whose clock runs `speed` times real time. With `virtual`, "real" time is a counter that
 * only `sleep` and `jump` move: durations are exact and tests never wait.
 */
export function makeWorld(opts: { speed?: number; virtual?: boolean } = {}): LabWorld {
  const speed = opts.speed ?? 1000;
  const v = { now: 0 };
  const world = new LabWorld(new LabClock(speed, T0, opts.virtual === false ? Date.now : () => v.now));
  if (opts.virtual !== false) virtualReal.set(world, v);
  const rpool = () => ({
    name: 'rpool',
    sizeBytes: 1800 * GiB,
    allocBytes: 300 * GiB,
    vdevs: [],
  });
  world.machines.set('pve1', machine('pve1', '192.0.2.21', ['pve'], { cluster: 'rouans', zpools: [rpool()] }));
  world.machines.set('pve2', machine('pve2', '192.0.2.22', ['pve'], { cluster: 'rouans', zpools: [rpool()] }));
  world.machines.set('baloo', machine('baloo', '198.51.100.30', ['backup', 'nfs']));
  world.machines.set('eva', machine('eva', '203.0.113.2', ['lb']));
  world.clusters.set('rouans', {
    name: 'rouans',
    nodes: ['pve1', 'pve2'],
    haGroups: [{ name: 'prefer-pve1', nodes: ['pve1', 'pve2'] }],
    guests: [
      guest(100, 'qemu', 'web', 'pve1', 4096, 32, 'started'),
      guest(101, 'qemu', 'mail', 'pve2', 8192, 64, 'started'),
      guest(102, 'qemu', 'cloud', 'pve2', 16384, 200),
      guest(200, 'lxc', 'dns', 'pve1', 512, 8),
    ],
  });
  const at = Date.UTC(2026, 10, 21, 1, 0, 2);
  world.backups.set('baloo', [
    { path: '/mnt/pve/baloo/dump/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst', vmid: 100, type: 'qemu', at, sizeBytes: 11 * GiB },
    { path: '/mnt/pve/baloo/dump/vzdump-qemu-101-2026_11_21-01_04_40.vma.zst', vmid: 101, type: 'qemu', at, sizeBytes: 22 * GiB },
    { path: '/mnt/pve/baloo/dump/vzdump-lxc-200-2026_11_21-01_09_13.tar.zst', vmid: 200, type: 'lxc', at, sizeBytes: 900 * MiB },
  ]);
  return world;
}

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** Run one pve command on a machine with a hand-built CmdContext (sleep follows the lab clock). */
export async function run(world: LabWorld, on: string, cmdline: string | string[], stdin = '', ac = new AbortController()): Promise<RunResult> {
  const argv = Array.isArray(cmdline) ? cmdline : cmdline.split(/\s+/).filter(Boolean);
  const cmd = pve.commands[argv[0]];
  if (!cmd) throw new Error(`no such pve command ${argv[0]}`);
  const m = world.machine(on);
  if (!m) throw new Error(`no machine ${on}`);
  let out = '';
  let err = '';
  const ctx: CmdContext = {
    argv,
    stdin,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    machine: m,
    world,
    env: {},
    signal: ac.signal,
    sleep: (labMs) => {
      const v = virtualReal.get(world);
      if (ac.signal.aborted) return Promise.reject(new Error('aborted'));
      if (v) {
        v.now += world.clock.realMs(labMs);
        return new Promise((resolve) => setImmediate(resolve));
      }
      return new Promise((resolve) => setTimeout(resolve, world.clock.realMs(labMs)));
    },
  };
  const code = await cmd(ctx);
  return { code, out, err };
}

/** Power a node off the way the fault helper would. */
export function powerOff(world: LabWorld, name: string): void {
  const m = world.machine(name)!;
  m.power = 'off';
  m.boot = 'off';
}

/** Advance lab time by `ms` without waiting (virtual clocks only). */
export function jump(world: LabWorld, ms: number): void {
  const v = virtualReal.get(world);
  if (!v) throw new Error('jump needs a virtual clock');
  v.now += world.clock.realMs(ms);
}
