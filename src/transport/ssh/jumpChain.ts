/**
 * The hops to reach a machine through its jump hosts (ProxyJump, also chained): outermost first,
 * ending with the machine itself. A jump is a machine name (resolved through the inventory) or
 * `[user@]host[:port]`. Loops and chains longer than MAX_HOPS are refused.
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { SshEndpoint } from '../../model/fleet.js';
import { TransportError } from '../types.js';
import { addressOf } from './connect.js';
import { parseJumpSpec } from './jumpSpec.js';

export interface Hop {
  name: string;
  endpoint: SshEndpoint;
}

export const MAX_HOPS = 8;

export function hopKey(h: Hop): string {
  return `${h.name}=${h.endpoint.user}@${addressOf(h.endpoint)}`;
}

export interface ChainResolver {
  resolve(name: string): SshEndpoint | undefined;
  localUser: string;
}

export function chainOf(r: ChainResolver, name: string, ep: SshEndpoint, seen: string[] = []): Hop[] {
  if (seen.includes(name) || seen.length >= MAX_HOPS) {
    throw new TransportError('unreachable', name, `jump host loop or chain too long (${[...seen, name].join(' → ')})`);
  }
  const self: Hop = { name, endpoint: ep };
  if (ep.jump.length === 0) return [self];
  const hops = ep.jump.map((j) => resolveJump(r, name, j, ep));
  // The first jump host is reached its own way; the following ones through the previous.
  const chain = chainOf(r, hops[0].name, hops[0].endpoint, [...seen, name]);
  for (const h of hops.slice(1)) {
    if (chain.some((c) => c.name === h.name) || h.name === name) {
      throw new TransportError('unreachable', name, `jump host loop (${[...chain.map((c) => c.name), h.name].join(' → ')})`);
    }
    chain.push(h);
  }
  if (chain.length >= MAX_HOPS) throw new TransportError('unreachable', name, 'jump chain too long');
  chain.push(self);
  return chain;
}

function resolveJump(r: ChainResolver, forName: string, spec: string, ep: SshEndpoint): Hop {
  const known = r.resolve(spec);
  if (known) return { name: spec, endpoint: known };
  const parsed = parseJumpSpec(spec, { user: r.localUser });
  if (!parsed) {
    throw new TransportError('unreachable', forName, `jump host "${spec}" is neither a known machine nor [user@]host[:port]`);
  }
  return { name: spec, endpoint: { ...parsed, identityFiles: ep.identityFiles, knownHosts: ep.knownHosts } };
}

/** A stream to the next hop, opened through the previous hop's connection. */
export function forwardOut(parent: Client, hop: Hop, via: string): Promise<Duplex> {
  const ep = hop.endpoint;
  return new Promise<Duplex>((resolve, reject) => {
    const failed = (msg: string, cause?: unknown): void =>
      reject(new TransportError('unreachable', hop.name, `cannot reach ${addressOf(ep)} through jump host ${via}: ${msg}`, { cause }));
    try {
      parent.forwardOut('127.0.0.1', 0, ep.host, ep.port, (err, stream) => {
        if (err) failed(err.message, err);
        else resolve(stream as unknown as Duplex);
      });
    } catch (e) {
      failed((e as Error).message, e);
    }
  });
}

