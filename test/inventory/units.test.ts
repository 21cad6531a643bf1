import { describe, expect, it } from 'vitest';
import { formatSize, isValidHost, parseSize, parseSshTarget } from '../../src/inventory/index.js';

describe('sizes', () => {
  it('reads decimal, binary and plain byte sizes', () => {
    expect(parseSize('500G')).toBe(500e9);
    expect(parseSize('4T')).toBe(4e12);
    expect(parseSize('1.5TB')).toBe(1.5e12);
    expect(parseSize('8GiB')).toBe(8 * 2 ** 30);
    expect(parseSize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('4096')).toBe(4096);
  });
  it('refuses what is not a size', () => {
    for (const bad of ['500 gigs', '8Gi', 'G', '', '-1G', 12.5, -3, null, {}]) expect(parseSize(bad), String(bad)).toBeUndefined();
  });
  it('prints short decimal sizes', () => {
    expect(formatSize(500e9)).toBe('500G');
    expect(formatSize(1.5e12)).toBe('1.5T');
    expect(formatSize(512)).toBe('512');
  });
});

describe('addresses', () => {
  it('accepts IPv4, IPv6 and DNS names, refuses the rest', () => {
    for (const ok of ['192.0.2.10', '2001:db8::1', 'eva.coop.example', 'eva', 'pve-1.example.org.']) expect(isValidHost(ok), ok).toBe(true);
    for (const bad of ['192.0.2.300', 'eva_01', '-eva', 'a..b', '', 'x'.repeat(64)]) expect(isValidHost(bad), bad).toBe(false);
  });
  it('splits user@host:port strings, with brackets for IPv6', () => {
    expect(parseSshTarget('root@198.51.100.10:22')).toEqual({ user: 'root', host: '198.51.100.10', port: 22 });
    expect(parseSshTarget('eva.example.org')).toEqual({ user: undefined, host: 'eva.example.org', port: undefined });
    expect(parseSshTarget('admin@[2001:db8::1]:2222')).toEqual({ user: 'admin', host: '2001:db8::1', port: 2222 });
    expect(parseSshTarget('2001:db8::1')).toEqual({ user: undefined, host: '2001:db8::1', port: undefined });
    expect(parseSshTarget('root@h:0')).toMatchObject({ error: "has a bad port '0': ports are 1-65535" });
  });
});
