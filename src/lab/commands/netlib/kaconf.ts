/**
 * A small reader for /etc/keepalived/keepalived.conf: vrrp_instance blocks (state,
 * interface, virtual_router_id, priority, advert_int, nopreempt, virtual_ipaddress) and
 * virtual_server blocks (lb_algo, lb_kind, protocol, real_server + weight).
 * Anything else is skipped.
 */
import type { IpvsService } from '../../state.js';

export interface VrrpInstance {
  name: string;
  state: 'MASTER' | 'BACKUP';
  iface: string;
  vrid: number;
  priority: number;
  /** Seconds between adverts. */
  advertInt: number;
  nopreempt: boolean;
  /** `192.0.2.100/32` with the device it goes on. */
  vips: { cidr: string; dev: string }[];
}

export interface KeepalivedConfig {
  instances: VrrpInstance[];
  services: IpvsService[];
}

interface Block {
  words: string[];
  children: Block[];
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#!].*$/, '');
    for (const t of line.match(/"[^"]*"|[{}]|[^\s{}]+/g) ?? []) out.push(t.replace(/^"|"$/g, ''));
    out.push('\n');
  }
  return out;
}

/** Parse into nested statements: each statement is its words and an optional block. */
function parseBlocks(tokens: string[]): Block[] {
  let i = 0;
  const level = (): Block[] => {
    const list: Block[] = [];
    let words: string[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t === '{') {
        const children = level();
        list.push({ words, children });
        words = [];
      } else if (t === '}') {
        if (words.length) list.push({ words, children: [] });
        return list;
      } else if (t === '\n') {
        if (words.length) list.push({ words, children: [] });
        words = [];
      } else words.push(t);
    }
    if (words.length) list.push({ words, children: [] });
    return list;
  };
  return level();
}

function val(b: Block, key: string): string | undefined {
  return b.children.find((c) => c.words[0] === key)?.words[1];
}

const KIND: Record<string, IpvsService['reals'][number]['forward']> = { DR: 'Route', NAT: 'Masq', TUN: 'Tunnel' };

export function parseKeepalivedConf(text: string): KeepalivedConfig {
  const top = parseBlocks(tokenize(text));
  const instances: VrrpInstance[] = [];
  const services: IpvsService[] = [];
  for (const b of top) {
    if (b.words[0] === 'vrrp_instance') {
      const iface = val(b, 'interface') ?? 'eth0';
      const vipBlock = b.children.find((c) => c.words[0] === 'virtual_ipaddress');
      const vips = (vipBlock?.children ?? []).map((c) => {
        const cidr = c.words[0].includes('/') ? c.words[0] : `${c.words[0]}/32`;
        const devAt = c.words.indexOf('dev');
        return { cidr, dev: devAt > 0 ? c.words[devAt + 1] : iface };
      });
      instances.push({
        name: b.words[1] ?? 'VI_1',
        state: val(b, 'state') === 'MASTER' ? 'MASTER' : 'BACKUP',
        iface,
        vrid: Number(val(b, 'virtual_router_id') ?? 51),
        priority: Number(val(b, 'priority') ?? 100),
        advertInt: Number(val(b, 'advert_int') ?? 1),
        nopreempt: b.children.some((c) => c.words[0] === 'nopreempt'),
        vips,
      });
    } else if (b.words[0] === 'virtual_server' && b.words.length >= 3) {
      const forward = KIND[val(b, 'lb_kind') ?? 'DR'] ?? 'Route';
      services.push({
        proto: (val(b, 'protocol') ?? 'TCP') === 'UDP' ? 'UDP' : 'TCP',
        vip: b.words[1],
        port: Number(b.words[2]),
        scheduler: val(b, 'lb_algo') ?? 'wlc',
        reals: b.children
          .filter((c) => c.words[0] === 'real_server')
          .map((c) => ({
            addr: c.words[1],
            port: Number(c.words[2] ?? b.words[2]),
            forward,
            weight: Number(val(c, 'weight') ?? 1),
            active: 0,
            inactive: 0,
          })),
      });
    }
  }
  return { instances, services };
}
