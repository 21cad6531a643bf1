/**
 * Addresses in the lab: which machine holds an address, whether it answers.
 * Pure functions over the world state.
 */
import type { LabIface, LabMachine } from '../../state.js';
import type { LabWorld } from '../../world.js';

/** `192.0.2.11/24` → `192.0.2.11`; a bare address is returned as is. */
export function addrOf(cidr: string): string {
  const i = cidr.indexOf('/');
  return i < 0 ? cidr : cidr.slice(0, i);
}

/** Prefix length of a CIDR (32 when absent). */
export function prefixOf(cidr: string): number {
  const i = cidr.indexOf('/');
  if (i < 0) return 32;
  const n = Number(cidr.slice(i + 1));
  return Number.isInteger(n) && n >= 0 && n <= 32 ? n : 32;
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => (acc * 256 + Number(p)) >>> 0, 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** Network address and broadcast of a CIDR. */
export function subnetOf(cidr: string): { network: string; broadcast: string; prefix: number } {
  const prefix = prefixOf(cidr);
  const ip = ipToInt(addrOf(cidr));
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (ip & mask) >>> 0;
  const bcast = (net | (~mask >>> 0)) >>> 0;
  return { network: intToIp(net), broadcast: intToIp(bcast), prefix };
}

/** The machine is powered, booted and its network works: it answers packets. */
export function answers(m: LabMachine): boolean {
  return m.power === 'on' && m.boot === 'up' && !m.networkDown;
}

/** Interfaces of the machine, with a synthesized `lo` first when the state has none. */
export function ifacesOf(m: LabMachine): LabIface[] {
  if (m.ifaces.some((i) => i.name === 'lo')) return m.ifaces;
  return [{ name: 'lo', up: true, addrs: ['127.0.0.1/8'], mac: '00:00:00:00:00:00' }, ...m.ifaces];
}

/**
 * The iface holding `addr` (bare address) on an up link, or undefined. With `external`,
 * loopback is ignored: LVS-DR real servers carry the VIP on `lo` and never answer ARP for it.
 */
export function ifaceHolding(m: LabMachine, addr: string, external = false): LabIface | undefined {
  return m.ifaces.find((i) => i.up && !(external && i.name === 'lo') && i.addrs.some((a) => addrOf(a) === addr));
}

/** Every machine that has `addr` configured on an up interface, whether or not it answers. */
export function addrHolders(world: LabWorld, addr: string): LabMachine[] {
  const out: LabMachine[] = [];
  for (const m of world.machines.values()) {
    if (m.power !== 'on') continue; // a machine that is off has no configured addresses
    if (ifaceHolding(m, addr, true)) out.push(m);
  }
  return out;
}

/**
 * The machine that currently answers for `addr`: one that holds it and answers.
 * When several answer (a split brain), the first in world order wins.
 */
export function vipHolder(world: LabWorld, addr: string): LabMachine | undefined {
  return addrHolders(world, addr).find(answers);
}

/**
 * Resolve a host argument (address, machine name, `localhost`) to an IPv4 address,
 * from the point of view of `self`. Undefined when the name is unknown.
 */
export function resolveHost(world: LabWorld, self: LabMachine, host: string): string | undefined {
  if (isIpv4(host)) return host;
  if (host === 'localhost' || host === self.hostname || host === self.name) return '127.0.0.1';
  const m = world.machines.get(host) ?? [...world.machines.values()].find((x) => x.hostname === host);
  if (!m) return undefined;
  return primaryAddr(m);
}

/** A machine's own address: its inventory address if an IPv4, else its first non-loopback address. */
export function primaryAddr(m: LabMachine): string | undefined {
  if (isIpv4(m.address)) return m.address;
  for (const i of m.ifaces) for (const a of i.addrs) if (!addrOf(a).startsWith('127.')) return addrOf(a);
  return undefined;
}

/**
 * Where packets from `self` to `addr` land: loopback addresses and the machine's own
 * addresses stay local; otherwise the holder in the world.
 */
export type Destination =
  | { kind: 'local'; machine: LabMachine }
  | { kind: 'remote'; machine: LabMachine }
  /** Held only by machines that do not answer (hung, cable pulled). */
  | { kind: 'silent'; machine: LabMachine }
  /** Nobody holds it. */
  | { kind: 'none' };

export function destination(world: LabWorld, self: LabMachine, addr: string): Destination {
  if (addr.startsWith('127.') || ifaceHolding(self, addr)) return { kind: 'local', machine: self };
  if (self.networkDown) return { kind: 'none' };
  const holders = addrHolders(world, addr);
  const live = holders.find(answers);
  if (live) return { kind: 'remote', machine: live };
  if (holders.length > 0) return { kind: 'silent', machine: holders[0] };
  return { kind: 'none' };
}

/** A stable MAC for an interface without one. */
export function macFor(m: LabMachine, iface: LabIface): string {
  if (iface.mac) return iface.mac;
  if (iface.name === 'lo') return '00:00:00:00:00:00';
  let h = 2166136261;
  for (const c of `${m.name}/${iface.name}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const b = [0x0c, 0xc4, 0x7a, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
