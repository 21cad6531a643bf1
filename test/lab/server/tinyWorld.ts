/** A tiny lab world for the server tests: three machines and a console server. */
import { LabWorld } from '../../../src/lab/world.js';
import type { LabMachine } from '../../../src/lab/state.js';
import type { RunLine } from '../../../src/lab/runLine.js';

export function tinyMachine(name: string, extra: Partial<LabMachine> = {}): LabMachine {
  return {
    name,
    site: 'paris',
    rack: 'A',
    roles: [],
    hardware: { vendor: 'Dell Inc.', model: 'PowerEdge R640', serial: `SN${name.toUpperCase()}`, cpus: 8, memBytes: 32 * 2 ** 30 },
    address: '192.0.2.10',
    sshPort: 0,
    hostKey: '',
    power: 'on',
    boot: 'up',
    bootedAt: Date.now(),
    bootDevice: 'disk',
    networkDown: false,
    files: {},
    disks: [],
    md: [],
    zpools: [],
    services: [],
    ifaces: [{ name: 'eno1', up: true, addrs: ['192.0.2.10/24'] }],
    ipvs: [],
    consoleLog: [],
    load: [0.1, 0.2, 0.3],
    hostname: name,
    ...extra,
  };
}

export function tinyWorld(): LabWorld {
  const w = new LabWorld();
  w.machines.set('ella', tinyMachine('ella', { consoleVia: { server: 'console', port: 'ella' }, bmc: { address: '192.0.2.111', user: 'admin', password: 's3cret-bmc', sel: [], sensors: [] } }));
  w.machines.set('emma', tinyMachine('emma', { consoleVia: { server: 'console', port: 'emma' } }));
  w.machines.set('console', tinyMachine('console', { roles: ['console'] }));
  return w;
}

/** A stand-in for the lab interpreter: a handful of commands over `m.files` (`/x/` marks a dir). */
export const fakeShell: RunLine = (line, o) => {
  const argv = line.trim().split(/\s+/);
  const m = o.machine;
  switch (argv[0]) {
    case 'hostname':
      o.out(`${m.hostname}\n`);
      return 0;
    case 'echo':
      o.out(argv.slice(1).join(' ') + '\n');
      return 0;
    case 'mkdir':
      m.files[argv[1].replace(/\/?$/, '/')] = '';
      return 0;
    case 'test':
      return argv[1] === '-d' && argv[2].replace(/\/?$/, '/') in m.files ? 0 : 1;
    case 'cat':
      if (argv.length === 1) {
        o.out(o.stdin);
        return 0;
      }
      if (argv[1] in m.files) {
        o.out(m.files[argv[1]]);
        return 0;
      }
      o.err(`cat: ${argv[1]}: No such file or directory\n`);
      return 1;
    case 'ip':
      // ip link set eno1 up
      for (const i of m.ifaces) if (i.name === argv[3]) i.up = argv[4] === 'up';
      if (argv[4] === 'up') m.networkDown = false;
      return 0;
    case 'sleep':
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(0), Number(argv[1]) * 1000);
        o.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve(130);
        });
      });
    default:
      o.err(`bash: ${argv[0]}: command not found\n`);
      return 127;
  }
};
