/** Hand-built lab machines and a CmdContext factory for the storage command tests. */
import { LabClock } from '../../../src/lab/clock.js';
import type { LabDisk, LabMachine, LabPartition } from '../../../src/lab/state.js';
import type { CmdContext, LabCommand } from '../../../src/lab/shell/types.js';
import { LabWorld } from '../../../src/lab/world.js';
import { storage } from '../../../src/lab/commands/storage/index.js';

export const DISK_BYTES = 480_103_981_056; // a "480 GB" SATA SSD: 937703088 sectors
export const T0 = Date.UTC(2026, 10, 21, 3, 14, 7);

const BIOS = '21686148-6449-6E6F-744E-656564454649';
const RAID = 'A19D880F-05FC-4D3B-A006-743F0F84911E';
const EFI = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
const ZFS = '6A898CC3-1DD2-11B2-99A6-080020112233';

function part(n: number, start: number, size: number, type: string, uuid: string, name?: string): LabPartition {
  return { n, startSector: start, sizeSectors: size, type, uuid, ...(name ? { name } : {}) };
}

function disk(dev: string, bay: number, serial: string, parts: LabPartition[], labelId: string): LabDisk {
  return {
    dev, bay, serial, model: 'SAMSUNG MZ7LH480HAHQ-00005', wwn: `5002538e4${bay}0a1b2c`, sizeBytes: DISK_BYTES,
    smartPassed: true, smartRaw: { 5: 0, 9: 21907, 12: 41, 187: 0, 194: 31, 197: 0, 198: 0, 199: 0 },
    label: { id: labelId, partitions: parts },
  };
}

function baseMachine(name: string): LabMachine {
  return {
    name, site: 'paris', rack: 'r1', roles: ['web'], hardware: { vendor: 'Dell', model: 'PowerEdge R240', serial: 'C0FFEE1', cpus: 8, memBytes: 32 * 2 ** 30 },
    address: '192.0.2.21', sshPort: 0, hostKey: '', power: 'on', boot: 'up', bootedAt: T0 - 86_400_000 * 40, bootDevice: 'disk',
    networkDown: false, files: {}, disks: [], md: [], zpools: [], services: [], ifaces: [], ipvs: [], consoleLog: [], load: [0.1, 0.2, 0.2],
    hostname: name,
  };
}

/** Debian host `emma`: sda+sdb, md0 (RAID1 of sdX2, 1 GiB) and md1 (RAID1 of sdX3, the rest). */
export function mdMachine(): LabMachine {
  const m = baseMachine('emma');
  const layout = (u: string) => [
    part(1, 34, 2014, BIOS, `${u}-0001-4000-8000-000000000001`),
    part(2, 2048, 2097152, RAID, `${u}-0002-4000-8000-000000000002`),
    part(3, 2099200, 935603855, RAID, `${u}-0003-4000-8000-000000000003`),
  ];
  m.disks = [
    disk('sda', 0, 'S45PNA0M500123', layout('1A2B3C4D'), '3F1E2D4C-5B6A-4789-8A9B-0C1D2E3F4A5B'),
    disk('sdb', 1, 'S45PNA0M500456', layout('5E6F7A8B'), '9C8B7A6D-5E4F-4321-8FED-CBA987654321'),
  ];
  m.md = [
    { name: 'md0', level: 'raid1', blocks: 1046528, raidDisks: 2, uuid: '3b0c0f9a:6e1d2c44:8f7a5b3e:1d2c3b4a', createdAt: T0 - 86_400_000 * 400,
      members: [{ dev: 'sda2', slot: 0, state: 'active' }, { dev: 'sdb2', slot: 1, state: 'active' }] },
    { name: 'md1', level: 'raid1', blocks: 467669824, raidDisks: 2, uuid: 'a1b2c3d4:e5f60718:293a4b5c:6d7e8f90', createdAt: T0 - 86_400_000 * 400,
      members: [{ dev: 'sda3', slot: 0, state: 'active' }, { dev: 'sdb3', slot: 1, state: 'active' }] },
  ];
  return m;
}

/** Proxmox node `pve1`: rpool = mirror of sda3/sdb3 (by-id names), ESPs on sdX2. */
export function zfsMachine(): LabMachine {
  const m = baseMachine('pve1');
  m.roles = ['pve'];
  m.cluster = 'lyon';
  const layout = (u: string) => [
    part(1, 34, 2014, BIOS, `${u}-0001-4000-8000-000000000001`),
    part(2, 2048, 2097152, EFI, `${u}-0002-4000-8000-000000000002`),
    part(3, 2099200, 935603855, ZFS, `${u}-0003-4000-8000-000000000003`),
  ];
  m.disks = [
    disk('sda', 0, 'S45PNA0M600111', layout('AB12CD34'), '11111111-2222-4333-8444-555555555555'),
    disk('sdb', 1, 'S45PNA0M600222', layout('EF56AB78'), '66666666-7777-4888-8999-AAAAAAAAAAAA'),
  ];
  m.zpools = [{
    name: 'rpool', sizeBytes: 476 * 2 ** 30, allocBytes: 412 * 2 ** 30, lastScrub: T0 - 86_400_000 * 11,
    vdevs: [{ name: 'mirror-0', type: 'mirror', disks: [
      { name: 'ata-SAMSUNG_MZ7LH480HAHQ-00005_S45PNA0M600111-part3', disk: 'sda', state: 'ONLINE', readErrors: 0, writeErrors: 0, cksumErrors: 0 },
      { name: 'ata-SAMSUNG_MZ7LH480HAHQ-00005_S45PNA0M600222-part3', disk: 'sdb', state: 'ONLINE', readErrors: 0, writeErrors: 0, cksumErrors: 0 },
    ] }],
  }];
  return m;
}

export interface RunResult { code: number; out: string; err: string }

export interface Lab {
  world: LabWorld;
  /** Move the lab clock forward and run the tickers. */
  advance(ms: number): void;
  /** Run one storage command the way the interpreter would: tickers first, then the command. */
  run(m: LabMachine, line: string | string[], stdin?: string): Promise<RunResult>;
  /** Read a dynamic file (/proc/mdstat). */
  read(m: LabMachine, path: string): string;
}

/** A world whose lab clock only moves when the test says so (ctx.sleep moves it too). */
export function lab(...machines: LabMachine[]): Lab {
  let real = 0;
  const clock = new LabClock(1, T0, () => real);
  const world = new LabWorld(clock);
  for (const m of machines) world.machines.set(m.name, m);
  for (const t of storage.tickers ?? []) world.tickers.push(t);
  const advance = (ms: number) => {
    real += ms;
    world.advance();
  };
  return {
    world,
    advance,
    async run(m, line, stdin = '') {
      const argv = typeof line === 'string' ? line.split(/\s+/).filter(Boolean) : line;
      const cmd: LabCommand | undefined = storage.commands[argv[0]!];
      if (!cmd) throw new Error(`no lab command ${argv[0]}`);
      world.advance();
      let out = '';
      let err = '';
      const ctx: CmdContext = {
        argv, stdin, machine: m, world, env: {}, signal: new AbortController().signal,
        out: (t) => { out += t; },
        err: (t) => { err += t; },
        sleep: async (ms) => advance(ms),
      };
      const code = await cmd(ctx);
      return { code, out, err };
    },
    read(m, path) {
      world.advance();
      const f = storage.files?.[path];
      if (!f) throw new Error(`no dynamic file ${path}`);
      return f(m, world);
    },
  };
}
