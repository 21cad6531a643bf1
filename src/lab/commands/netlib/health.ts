/**
 * Who answers on a TCP port: the services listening, real-server health as keepalived's
 * checkers see it, and what an HTTP client gets from an address.
 */
import type { IpvsService, LabMachine } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { answers, destination, vipHolder } from './addr.js';
import { findUnit, serviceActive } from './units.js';

/** Services that listen on a port (any one active is enough). */
const LISTENERS: Record<number, string[]> = {
  80: ['apache2', 'nginx', 'haproxy', 'lighttpd', 'caddy'],
  443: ['apache2', 'nginx', 'haproxy', 'lighttpd', 'caddy'],
  8080: ['apache2', 'nginx', 'haproxy', 'tomcat9'],
  3306: ['mariadb', 'mysql'],
  25: ['postfix', 'exim4'],
  587: ['postfix', 'exim4'],
  143: ['dovecot'],
  993: ['dovecot'],
  8006: ['pveproxy'],
};

/** Whether something listens on `port` of the machine (ignoring whether it answers). */
export function listening(m: LabMachine, port: number): boolean {
  if (port === 22) return !findUnit(m, 'ssh') || serviceActive(m, 'ssh');
  const names = LISTENERS[port];
  if (!names) return false;
  return names.some((n) => serviceActive(m, n));
}

/** keepalived's view of a real server: it answers and listens on the port. */
export function realHealthy(world: LabWorld, addr: string, port: number): boolean {
  const m = vipHolder(world, addr);
  return !!m && answers(m) && listening(m, port);
}

/** The IPVS virtual service for addr:port on a director, if any. */
export function ipvsServiceFor(m: LabMachine, addr: string, port: number, proto: 'TCP' | 'UDP' = 'TCP'): IpvsService | undefined {
  return m.ipvs.find((s) => s.vip === addr && s.port === port && s.proto === proto);
}

export type TcpOutcome =
  /** Connected; `server` is the machine that answers the request. */
  | { ok: true; server: LabMachine }
  /** Refused / unreachable port: curl exit 7. */
  | { ok: false; why: 'refused' }
  /** Nothing answers at all: curl exit 28 after the timeout. */
  | { ok: false; why: 'timeout' };

/** What a TCP connection from `self` to addr:port meets. */
export function tcpConnect(world: LabWorld, self: LabMachine, addr: string, port: number): TcpOutcome {
  const dest = destination(world, self, addr);
  if (dest.kind === 'none') return self.networkDown && !addr.startsWith('127.') ? { ok: false, why: 'timeout' } : { ok: false, why: 'refused' };
  if (dest.kind === 'silent') return { ok: false, why: 'timeout' };
  const holder = dest.machine;
  const svc = ipvsServiceFor(holder, addr, port);
  if (svc && dest.kind === 'remote') {
    // LVS: the director forwards to a real server; with none usable IPVS answers port unreachable.
    for (const r of svc.reals) {
      if (r.weight <= 0) continue;
      if (realHealthy(world, r.addr, r.port)) {
        const server = vipHolder(world, r.addr);
        if (server) return { ok: true, server };
      }
    }
    return { ok: false, why: 'refused' };
  }
  return listening(holder, port) ? { ok: true, server: holder } : { ok: false, why: 'refused' };
}
