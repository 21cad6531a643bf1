/** A small hand-built lab world: two directors, two web frontends, a MariaDB primary and replica. */
import { LabClock } from '../../../src/lab/clock.js';
import { LabWorld } from '../../../src/lab/world.js';
import type { LabMachine, LabService, MysqlState } from '../../../src/lab/state.js';
import type { CmdContext, LabModule } from '../../../src/lab/shell/types.js';
import { services } from '../../../src/lab/commands/services.js';
import { net } from '../../../src/lab/commands/net.js';
import { mysql } from '../../../src/lab/commands/mysql.js';
import { apc } from '../../../src/lab/commands/apc.js';
import { powerTicker } from '../../../src/lab/power.js';

export const START = Date.UTC(2026, 10, 20, 3, 12, 1);
const MODULES: LabModule[] = [services, net, mysql, apc];

export interface TestWorld {
  world: LabWorld;
  /** Move the lab clock forward. */
  advance(ms: number): void;
  m(name: string): LabMachine;
  run(machine: string, argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }>;
}

export function svc(name: string, active = true, enabled = true): LabService {
  return { name, active, enabled };
}

export function machine(name: string, addr: string, roles: string[], extra: Partial<LabMachine> = {}): LabMachine {
  return {
    name,
    site: 'paris',
    rack: 'A',
    roles,
    hardware: { vendor: 'Supermicro', model: 'SYS-5019C-M', serial: `S${name}`, cpus: 4, memBytes: 16 * 2 ** 30 },
    address: addr,
    sshPort: 2200,
    hostKey: '',
    power: 'on',
    boot: 'up',
    bootedAt: START - 2 * 86400_000 - 3600_000,
    bootDevice: 'disk',
    networkDown: false,
    files: {},
    disks: [],
    md: [],
    zpools: [],
    services: [svc('ssh')],
    ifaces: [{ name: 'eno1', up: true, addrs: [`${addr}/24`] }],
    ipvs: [],
    consoleLog: [],
    load: [0.1, 0.1, 0.1],
    hostname: name,
    ...extra,
  };
}

export const VIP = '192.0.2.100';

export const KEEPALIVED_CONF = (state: 'MASTER' | 'BACKUP', priority: number) => `! Configuration File for keepalived
global_defs {
   router_id ${state === 'MASTER' ? 'eva' : 'estelle'}
}

vrrp_instance VI_1 {
    state ${state}
    interface eno1
    virtual_router_id 51
    priority ${priority}
    advert_int 1
    virtual_ipaddress {
        ${VIP}/32 dev eno1
    }
}

virtual_server ${VIP} 80 {
    delay_loop 6
    lb_algo wrr
    lb_kind DR
    protocol TCP

    real_server 192.0.2.21 80 {
        weight 1
        HTTP_GET {
            url {
              path /
              status_code 200
            }
            connect_timeout 3
        }
    }
    real_server 192.0.2.22 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
`;

export function mariadb(serverId: number, pos: string, replicaOf?: string): MysqlState {
  return {
    flavor: 'mariadb',
    version: '10.11.6-MariaDB-0+deb12u1',
    running: true,
    readOnly: !!replicaOf,
    serverId,
    gtidBinlogPos: pos,
    replica: replicaOf
      ? {
          masterHost: replicaOf,
          masterUser: 'repl',
          masterPort: 3306,
          ioRunning: true,
          sqlRunning: true,
          gtidIoPos: pos,
          gtidSlavePos: pos,
          secondsBehind: 0,
          lastIoError: '',
          lastSqlError: '',
        }
      : undefined,
    writes: 0,
  };
}

export interface Options {
  /** Give the directors a keepalived.conf (else they run from their IPVS table). */
  conf?: boolean;
  /** MySQL 8.4 instead of MariaDB 10.11 on the database pair. */
  mysql84?: boolean;
}

export function makeWorld(opts: Options = { conf: true }): TestWorld {
  let now = START;
  const world = new LabWorld(new LabClock(1, START, () => now));
  const ipvsTable = () => [
    {
      proto: 'TCP' as const,
      vip: VIP,
      port: 80,
      scheduler: 'wrr',
      reals: ['192.0.2.21', '192.0.2.22'].map((addr) => ({ addr, port: 80, forward: 'Route' as const, weight: 1, active: 0, inactive: 0 })),
    },
  ];
  const eva = machine('eva', '192.0.2.11', ['director', 'lvs'], {
    services: [svc('ssh'), svc('keepalived')],
    ifaces: [{ name: 'eno1', up: true, addrs: ['192.0.2.11/24', `${VIP}/32`], mac: '0c:c4:7a:12:34:56' }],
    ipvs: ipvsTable(),
    outlet: { strip: 'apc', outlet: 1 },
  });
  const estelle = machine('estelle', '192.0.2.12', ['director', 'lvs'], {
    services: [svc('ssh'), svc('keepalived')],
    ipvs: ipvsTable(),
    outlet: { strip: 'apc', outlet: 2 },
  });
  if (opts.conf) {
    eva.files['/etc/keepalived/keepalived.conf'] = KEEPALIVED_CONF('MASTER', 150);
    estelle.files['/etc/keepalived/keepalived.conf'] = KEEPALIVED_CONF('BACKUP', 100);
  }
  const emma = machine('emma', '192.0.2.21', ['web', 'mail'], {
    services: [svc('ssh'), svc('apache2'), svc('postfix')],
    ifaces: [
      { name: 'lo', up: true, addrs: ['127.0.0.1/8', `${VIP}/32`] },
      { name: 'eno1', up: true, addrs: ['192.0.2.21/24'] },
    ],
    outlet: { strip: 'apc', outlet: 3 },
  });
  const ella = machine('ella', '192.0.2.22', ['web', 'mail'], {
    services: [svc('ssh'), svc('nginx'), svc('postfix')],
    ifaces: [
      { name: 'lo', up: true, addrs: ['127.0.0.1/8', `${VIP}/32`] },
      { name: 'eno1', up: true, addrs: ['192.0.2.22/24'] },
    ],
    outlet: { strip: 'apc', outlet: 4 },
  });
  const flavor = opts.mysql84
    ? (my: MysqlState): MysqlState => ({
        ...my,
        flavor: 'mysql',
        version: '8.4.3',
        gtidBinlogPos: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7',
        replica: my.replica && { ...my.replica, gtidIoPos: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7', gtidSlavePos: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7' },
      })
    : (my: MysqlState) => my;
  const dbUnit = opts.mysql84 ? 'mysql' : 'mariadb';
  const elea = machine('elea', '192.0.2.31', ['db', 'mysql-primary'], {
    services: [svc('ssh'), svc(dbUnit)],
    mysql: flavor(mariadb(1, '0-1-7')),
    outlet: { strip: 'apc', outlet: 5 },
  });
  const elodie = machine('elodie', '192.0.2.32', ['db', 'mysql-replica'], {
    services: [svc('ssh'), svc(dbUnit)],
    mysql: flavor(mariadb(2, '0-1-7', '192.0.2.31')),
    outlet: { strip: 'apc', outlet: 6 },
  });
  const apcM = machine('apc', '192.0.2.250', ['pdu'], { services: [] });
  for (const x of [eva, estelle, emma, ella, elea, elodie, apcM]) world.machines.set(x.name, x);
  world.strips.set('apc', {
    name: 'apc',
    outlets: [
      { n: 1, name: 'eva', on: true },
      { n: 2, name: 'estelle', on: true },
      { n: 3, name: 'emma', on: true },
      { n: 4, name: 'ella', on: true },
      { n: 5, name: 'elea', on: true },
      { n: 6, name: 'elodie', on: true },
      { n: 7, name: 'Outlet 7', on: false },
      { n: 8, name: 'Outlet 8', on: false },
    ],
  });
  world.tickers.push(powerTicker);
  for (const mod of MODULES) for (const t of mod.tickers ?? []) world.tickers.push(t);
  const commands = Object.assign({}, ...MODULES.map((x) => x.commands)) as LabModule['commands'];
  world.advance();
  return {
    world,
    advance(ms: number) {
      now += ms;
      world.advance();
    },
    m(name: string) {
      const x = world.machines.get(name);
      if (!x) throw new Error(`no machine ${name}`);
      return x;
    },
    async run(name, argv, stdin = '') {
      const self = world.machines.get(name)!;
      world.advance();
      let out = '';
      let err = '';
      const ctx: CmdContext = {
        argv,
        stdin,
        out: (t) => (out += t),
        err: (t) => (err += t),
        machine: self,
        world,
        env: { HOME: '/root', USER: 'root' },
        signal: new AbortController().signal,
        sleep: async (ms) => {
          now += ms;
        },
      };
      const cmd = commands[argv[0]];
      if (!cmd) return { code: 127, out, err: `bash: ${argv[0]}: command not found\n` };
      const code = await cmd(ctx);
      return { code, out, err };
    },
  };
}
