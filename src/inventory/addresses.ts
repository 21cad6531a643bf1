/** Host names, addresses and `user@host:port` strings. Pure. */
import { isIP } from 'node:net';

export const HOST_HINT = 'an IPv4 or IPv6 address or a DNS name';

/** True for an IPv4/IPv6 address or a syntactically valid DNS name (RFC 1123 labels). */
export function isValidHost(host: string): boolean {
  if (isIP(host)) return true;
  if (host.length === 0 || host.length > 253) return false;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (/^[\d.]+$/.test(name)) return false; // looks like a broken IPv4 address
  return name.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

export function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

/**
 * `root@198.51.100.10:22`, `eva.example.org`, `admin@[2001:db8::1]:2222`, `2001:db8::1`, `alias`.
 * Returns an error text when the form is wrong (the host itself is validated by the caller,
 * since it may be an ~/.ssh/config alias).
 */
export function parseSshTarget(text: string): SshTarget | { error: string; form: boolean } {
  const s = text.trim();
  if (!s) return { error: 'is empty', form: true };
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  const rest = at >= 0 ? s.slice(at + 1) : s;
  if (user !== undefined && !/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(user)) return { error: `has a bad user name '${user}'`, form: true };
  let host = rest;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  }
  if (!host) return { error: 'has no host', form: true };
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!isValidPort(port)) return { error: `has a bad port '${portText}': ports are 1-65535`, form: false };
  }
  return { user, host, port };
}
