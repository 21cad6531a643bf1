/**
 * iproute2's `ip`: `-br addr|link`, `addr show [dev X]`, `link show`, `link set DEV up|down`,
 * `addr add|del CIDR dev DEV`, `route`. Formats follow iproute2 6.1 (Debian 12).
 */
import type { LabIface, LabMachine } from '../../state.js';
import type { CmdContext } from '../../shell/types.js';
import { addrOf, ifacesOf, isIpv4, macFor, prefixOf, subnetOf } from './addr.js';

function isLo(i: LabIface): boolean {
  return i.name === 'lo';
}

/** The cable is out on the first physical interface when the machine's network is down. */
function carrier(m: LabMachine, i: LabIface): boolean {
  if (isLo(i)) return true;
  const first = m.ifaces.find((x) => !isLo(x));
  return !(m.networkDown && first === i);
}

function flags(m: LabMachine, i: LabIface): string {
  if (isLo(i)) return i.up ? '<LOOPBACK,UP,LOWER_UP>' : '<LOOPBACK>';
  if (!i.up) return '<BROADCAST,MULTICAST>';
  return carrier(m, i) ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<NO-CARRIER,BROADCAST,MULTICAST,UP>';
}

function operState(m: LabMachine, i: LabIface): string {
  if (isLo(i)) return 'UNKNOWN';
  if (!i.up || !carrier(m, i)) return 'DOWN';
  return 'UP';
}

function v6LinkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 2;
  const h = (x: number, y: number) => ((x << 8) | y).toString(16);
  return `fe80::${h(b[0], b[1])}:${h(b[2], 0xff)}:${h(0xfe, b[3])}:${h(b[4], b[5])}/64`;
}

/** Addresses as `ip` lists them: IPv4 first, then IPv6 (lo ::1, link-local on up links). */
function v6Of(m: LabMachine, i: LabIface): string[] {
  if (isLo(i)) return i.up ? ['::1/128'] : [];
  return i.up ? [v6LinkLocal(macFor(m, i))] : [];
}

function briefAddr(m: LabMachine, i: LabIface): string {
  const addrs = [...i.addrs, ...v6Of(m, i)];
  return `${i.name.padEnd(16)} ${operState(m, i).padEnd(14)} ${addrs.map((a) => `${a} `).join('')}`;
}

function briefLink(m: LabMachine, i: LabIface): string {
  return `${i.name.padEnd(16)} ${operState(m, i).padEnd(14)} ${macFor(m, i)} ${flags(m, i)} `;
}

function linkHeader(m: LabMachine, i: LabIface, idx: number): string[] {
  const lo = isLo(i);
  const qdisc = lo ? 'noqueue' : i.up ? 'mq' : 'mq';
  return [
    `${idx}: ${i.name}: ${flags(m, i)} mtu ${lo ? 65536 : 1500} qdisc ${qdisc} state ${operState(m, i)} group default qlen 1000`,
    lo ? `    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00` : `    link/ether ${macFor(m, i)} brd ff:ff:ff:ff:ff:ff`,
  ];
}

function longAddr(m: LabMachine, i: LabIface, idx: number): string {
  const lines = linkHeader(m, i, idx);
  const seen: string[] = [];
  for (const a of i.addrs) {
    const p = prefixOf(a);
    const sn = subnetOf(a);
    const secondary = seen.some((s) => prefixOf(s) === p && subnetOf(s).network === sn.network);
    const brd = !isLo(i) && p < 31 && seen.length === 0 ? ` brd ${sn.broadcast}` : '';
    const scope = isLo(i) ? 'host' : 'global';
    lines.push(`    inet ${a}${brd} scope ${scope}${secondary ? ' secondary' : ''} ${i.name}`, '       valid_lft forever preferred_lft forever');
    seen.push(a);
  }
  for (const a of v6Of(m, i)) {
    lines.push(`    inet6 ${a} scope ${isLo(i) ? 'host' : 'link'} `, '       valid_lft forever preferred_lft forever');
  }
  return lines.join('\n');
}

function usage(ctx: CmdContext): number {
  ctx.err('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { address | link | route | rule | neigh | ... }\n');
  return 255;
}

/** iproute2 accepts any unambiguous prefix of an object or command. */
function is(word: string | undefined, full: string, min = 1): boolean {
  return !!word && word.length >= min && full.startsWith(word);
}

function findDev(ctx: CmdContext, name: string): LabIface | undefined {
  const i = ifacesOf(ctx.machine).find((x) => x.name === name);
  if (!i) ctx.err(`Cannot find device "${name}"\n`);
  return i;
}

export function ip(ctx: CmdContext): number {
  const m = ctx.machine;
  let brief = false;
  let family: '4' | '6' | undefined;
  const args = ctx.argv.slice(1);
  while (args[0]?.startsWith('-')) {
    const o = args.shift()!;
    if (o === '-br' || o === '-brief' || o === '--brief') brief = true;
    else if (o === '-4') family = '4';
    else if (o === '-6') family = '6';
    else if (o === '-c' || o === '-color' || o.startsWith('-color=') || o === '-o' || o === '-oneline' || o === '-d' || o === '-s') continue;
    else if (o === '-j' || o === '-json') {
      ctx.err('lab: ip -json is not simulated\n');
      return 1;
    } else {
      ctx.err(`Option "${o}" is unknown, try "ip -help".\n`);
      return 255;
    }
  }
  void family;
  const [obj, cmd, ...rest] = args;
  const list = ifacesOf(m);
  if (!obj) return usage(ctx);

  if (is(obj, 'address') || obj === 'a' || obj === 'addr') {
    if (!cmd || is(cmd, 'show') || is(cmd, 'list')) {
      let dev: string | undefined = rest[0] === "dev" ? rest[1] : rest[0];
      if (dev === 'up') dev = undefined;
      let shown = list.map((i, n) => ({ i, n: n + 1 }));
      if (dev) {
        if (!findDev(ctx, dev)) return 1;
        shown = shown.filter((x) => x.i.name === dev);
      }
      if (rest.includes('up')) shown = shown.filter((x) => x.i.up);
      ctx.out(shown.map((x) => (brief ? briefAddr(m, x.i) : longAddr(m, x.i, x.n))).join('\n') + '\n');
      return 0;
    }
    if (cmd === 'add' || cmd === 'del' || cmd === 'delete') {
      const cidr = rest[0];
      const devAt = rest.indexOf('dev');
      const devName = devAt >= 0 ? rest[devAt + 1] : undefined;
      if (!cidr || !isIpv4(addrOf(cidr))) {
        ctx.err(`Error: any valid prefix is expected rather than "${cidr ?? ''}".\n`);
        return 1;
      }
      if (!devName) {
        ctx.err('Not enough information: "dev" argument is required.\n');
        return 1;
      }
      const iface = findDev(ctx, devName);
      if (!iface) return 1;
      const full = cidr.includes('/') ? cidr : `${cidr}/32`;
      if (cmd === 'add') {
        if (iface.addrs.some((a) => addrOf(a) === addrOf(full) && prefixOf(a) === prefixOf(full))) {
          ctx.err('RTNETLINK answers: File exists\n');
          return 2;
        }
        if (isLo(iface) && !m.ifaces.includes(iface)) m.ifaces.unshift(iface);
        iface.addrs.push(full);
        return 0;
      }
      const idx = iface.addrs.findIndex((a) => addrOf(a) === addrOf(full) && (!cidr.includes('/') || prefixOf(a) === prefixOf(full)));
      if (idx < 0) {
        ctx.err('RTNETLINK answers: Cannot assign requested address\n');
        return 2;
      }
      iface.addrs.splice(idx, 1);
      return 0;
    }
    if (cmd === 'flush') {
      const devAt = rest.indexOf('dev');
      const iface = findDev(ctx, rest[devAt >= 0 ? devAt + 1 : 0] ?? '');
      if (!iface) return 1;
      iface.addrs = [];
      return 0;
    }
    ctx.err(`Command "${cmd}" is unknown, try "ip address help".\n`);
    return 255;
  }

  if (is(obj, 'link') || obj === 'l') {
    if (!cmd || is(cmd, 'show') || is(cmd, 'list')) {
      const dev = rest[0] === 'dev' ? rest[1] : rest[0];
      let shown = list.map((i, n) => ({ i, n: n + 1 }));
      if (dev) {
        if (!findDev(ctx, dev)) return 1;
        shown = shown.filter((x) => x.i.name === dev);
      }
      ctx.out(shown.map((x) => (brief ? briefLink(m, x.i) : linkHeader(m, x.i, x.n).join('\n'))).join('\n') + '\n');
      return 0;
    }
    if (cmd === 'set') {
      const devName = rest[0] === 'dev' ? rest[1] : rest[0];
      const state = rest.find((w) => w === 'up' || w === 'down');
      if (!devName) {
        ctx.err('Not enough information: "dev" argument is required.\n');
        return 1;
      }
      const iface = findDev(ctx, devName);
      if (!iface) return 1;
      if (state) iface.up = state === 'up';
      return 0;
    }
    ctx.err(`Command "${cmd}" is unknown, try "ip link help".\n`);
    return 255;
  }

  if (is(obj, 'route') || obj === 'r' || obj === 'ro') {
    if (cmd && !is(cmd, 'show') && !is(cmd, 'list')) {
      ctx.err('lab: only `ip route show` is simulated\n');
      return 2;
    }
    const lines: string[] = [];
    let gw: string | undefined;
    for (const i of m.ifaces) {
      if (isLo(i) || !i.up || !carrier(m, i)) continue;
      for (const a of i.addrs) {
        const p = prefixOf(a);
        if (p >= 31) continue;
        const sn = subnetOf(a);
        if (!gw) {
          gw = sn.network.replace(/\d+$/, (x) => String(Number(x) + 1));
          lines.unshift(`default via ${gw} dev ${i.name} onlink `);
        }
        if (!lines.some((l) => l.startsWith(`${sn.network}/${p} `))) lines.push(`${sn.network}/${p} dev ${i.name} proto kernel scope link src ${addrOf(a)} `);
      }
    }
    if (lines.length) ctx.out(lines.join('\n') + '\n');
    return 0;
  }

  ctx.err(`Object "${obj}" is unknown, try "ip help".\n`);
  return 1;
}
