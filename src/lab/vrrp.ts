/**
 * keepalived in the lab: who holds each VRRP virtual address, and the IPVS table keepalived
 * loads when it starts (and flushes when it stops). Reads /etc/keepalived/keepalived.conf.
 */
import { extra } from './machine-extra.js';
import type { IpvsService, LabMachine } from './state.js';
import type { LabWorld } from './world.js';

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

export interface VrrpInstance {
  name: string;
  state: 'MASTER' | 'BACKUP';
  iface: string;
  routerId: number;
  priority: number;
  /** CIDR addresses. */
  vips: string[];
}

/** The vrrp_instance blocks of a keepalived.conf. */
export function parseKeepalived(conf: string): VrrpInstance[] {
  const out: VrrpInstance[] = [];
  const re = /vrrp_instance\s+(\S+)\s*\{/g;
  for (let m = re.exec(conf); m; m = re.exec(conf)) {
    // Take the balanced block.
    let depth = 1;
    let i = re.lastIndex;
    for (; i < conf.length && depth > 0; i++) {
      if (conf[i] === '{') depth++;
      else if (conf[i] === '}') depth--;
    }
    const body = conf.slice(re.lastIndex, i - 1).replace(/#.*$/gm, '');
    const word = (k: string) => new RegExp(`^\\s*${k}\\s+(\\S+)`, 'm').exec(body)?.[1];
    const vipBlock = /virtual_ipaddress\s*\{([^}]*)\}/.exec(body)?.[1] ?? '';
    const vips = vipBlock.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((x) => /^\d+\.\d+\.\d+\.\d+/.test(x))
      .map((x) => (x.includes('/') ? x : `${x}/32`));
    out.push({
      name: m[1],
      state: word('state') === 'MASTER' ? 'MASTER' : 'BACKUP',
      iface: word('interface') ?? 'eno1',
      routerId: Number(word('virtual_router_id') ?? 0),
      priority: Number(word('priority') ?? 100),
      vips,
    });
  }
  return out;
}

/** A keepalived.conf with one VRRP instance and the IPVS virtual servers. */
export function renderKeepalived(opts: { state: 'MASTER' | 'BACKUP'; priority: number; iface: string; routerId: number; vip: string; ipvs: IpvsService[]; peer?: string }): string {
  const vs = opts.ipvs.map((s) => [
    `virtual_server ${s.vip} ${s.port} {`,
    '    delay_loop 6',
    `    lb_algo ${s.scheduler}`,
    `    lb_kind ${s.reals[0]?.forward === 'Masq' ? 'NAT' : s.reals[0]?.forward === 'Tunnel' ? 'TUN' : 'DR'}`,
    `    protocol ${s.proto}`,
    ...s.reals.flatMap((r) => [
      `    real_server ${r.addr} ${r.port} {`,
      `        weight ${r.weight}`,
      '        TCP_CHECK {',
      '            connect_timeout 3',
      '        }',
      '    }',
    ]),
    '}',
  ].join('\n'));
  return [
    'global_defs {',
    '    router_id LVS_' + (opts.state === 'MASTER' ? 'A' : 'B'),
    '    enable_script_security',
    '}',
    '',
    'vrrp_instance VI_1 {',
    `    state ${opts.state}`,
    `    interface ${opts.iface}`,
    `    virtual_router_id ${opts.routerId}`,
    `    priority ${opts.priority}`,
    '    advert_int 1',
    '    authentication {',
    '        auth_type PASS',
    '        auth_pass lvs-pass',
    '    }',
    '    virtual_ipaddress {',
    `        ${opts.vip} dev ${opts.iface}`,
    '    }',
    '}',
    '',
    ...vs,
    '',
  ].join('\n');
}

function keepalivedRunning(m: LabMachine): boolean {
  return m.power === 'on' && m.boot === 'up' && !!m.services.find((s) => s.name === 'keepalived' && s.active);
}

/** Instances of every machine that has a keepalived.conf. */
function instancesOf(m: LabMachine): VrrpInstance[] {
  const conf = m.files[KEEPALIVED_CONF];
  return conf ? parseKeepalived(conf) : [];
}

/**
 * The machines that hold `vip` right now: among running keepalived peers that can hear each
 * other, the highest priority wins; a peer cut off from the network believes it is MASTER
 * too (split brain), as real VRRP does.
 */
export function vipHolders(world: LabWorld, routerId: number): string[] {
  const peers = [...world.machines.values()].filter((m) => keepalivedRunning(m))
    .flatMap((m) => instancesOf(m).filter((i) => i.routerId === routerId).map((i) => ({ m, i })));
  return peers.filter(({ m, i }) => !peers.some((p) => p.m !== m && !p.m.networkDown && !m.networkDown &&
    (p.i.priority > i.priority || (p.i.priority === i.priority && p.m.name < m.name)))).map((p) => p.m.name);
}

/** Moves VRRP addresses to their holders and loads/flushes IPVS when keepalived starts/stops. */
export function vrrpTicker(world: LabWorld): void {
  for (const m of world.machines.values()) {
    const e = extra(m);
    const running = keepalivedRunning(m);
    if (running !== !!e.keepalivedWasActive) {
      m.ipvs = running ? structuredClone(e.ipvsConfigured) : [];
      e.keepalivedWasActive = running;
    }
  }
  const ids = new Set<number>();
  for (const m of world.machines.values()) for (const i of instancesOf(m)) ids.add(i.routerId);
  for (const id of ids) {
    const holders = new Set(vipHolders(world, id));
    for (const m of world.machines.values()) {
      for (const inst of instancesOf(m).filter((i) => i.routerId === id)) {
        const iface = m.ifaces.find((x) => x.name === inst.iface);
        if (!iface) continue;
        for (const vip of inst.vips) {
          const has = iface.addrs.includes(vip);
          if (holders.has(m.name) && !has) iface.addrs.push(vip);
          else if (!holders.has(m.name) && has) iface.addrs = iface.addrs.filter((a) => a !== vip);
        }
      }
    }
  }
}
