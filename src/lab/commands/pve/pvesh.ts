/** `pvesh get PATH [--output-format json|json-pretty|text|yaml]` for the paths the lab knows. */
import { parseArgs } from './args.js';
import { findGuest, memberOnline, PveError, quorumView } from './cluster.js';
import { pveCommand, type PveCtx } from './common.js';
import { clusterResources, clusterStatus, guestStatusCurrent, nodeGuests, nodeRecord, nodeStatus, type Rec } from './api.js';
import { haStatus } from './ha.js';
import { configLines } from './guests.js';
import { storagesOf } from './storage.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Compact JSON with sorted keys (pvesh emits canonical JSON). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Perl JSON pretty: three-space indent, `"key" : value`. */
export function prettyJson(v: unknown, indent = ''): string {
  const next = indent + '   ';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[\n${v.map((x) => next + prettyJson(x, next)).join(',\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort();
    if (!keys.length) return '{}';
    return `{\n${keys.map((k) => `${next}${JSON.stringify(k)} : ${prettyJson(o[k], next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v ?? null);
}

function scalar(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return canonicalJson(v);
  return String(v);
}

/** pvesh's default text output: a bordered table for lists, key/value table for objects. */
export function textTable(data: unknown, noBorder: boolean, noHeader: boolean): string {
  let rows: string[][];
  let header: string[];
  if (Array.isArray(data)) {
    const cols: string[] = [];
    for (const r of data as Rec[]) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
    cols.sort((a, b) => (a === 'id' ? -1 : b === 'id' ? 1 : a.localeCompare(b)));
    header = cols;
    rows = (data as Rec[]).map((r) => cols.map((c) => scalar(r[c])));
  } else if (data && typeof data === 'object') {
    header = ['key', 'value'];
    const o = data as Record<string, unknown>;
    rows = Object.keys(o)
      .sort()
      .map((k) => [k, scalar(o[k])]);
  } else {
    return `${scalar(data)}\n`;
  }
  const widths = header.map((h, i) => Math.max(noHeader ? 0 : h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    noBorder ? cells.map((c, i) => c.padEnd(widths[i])).join(' ').trimEnd() : `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string, f: string) => `${l}${widths.map((w) => f.repeat(w + 2)).join(m)}${r}`;
  const out: string[] = [];
  if (!noBorder) out.push(rule('┌', '┬', '┐', '─'));
  if (!noHeader) {
    out.push(line(header));
    if (!noBorder) out.push(rule('╞', '╪', '╡', '═'));
  }
  rows.forEach((r, i) => {
    out.push(line(r));
    if (!noBorder && i < rows.length - 1) out.push(rule('├', '┼', '┤', '─'));
  });
  if (!noBorder) out.push(rule('└', '┴', '┘', '─'));
  return out.join('\n') + '\n';
}

function proxyTo(ctx: PveCtx, node: string): void {
  if (!ctx.cluster.nodes.includes(node)) throw new PveError(`hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  if (node !== ctx.node && !(memberOnline(ctx.world, ctx.cluster, node) && quorumView(ctx.world, ctx.cluster, ctx.node).members.includes(node))) {
    throw new PveError('proxy handler failed: 595 Errors during connection establishment, proxy handshake: No route to host');
  }
}

function get(ctx: PveCtx, path: string, opts: Record<string, string>): unknown {
  const { world, cluster, node } = ctx;
  const p = path.replace(/\/+$/, '').replace(/^(?!\/)/, '/');
  if (p === '/cluster/resources') {
    if (opts.type && !['vm', 'node', 'storage', 'sdn'].includes(opts.type)) {
      throw new PveError(`400 Parameter verification failed.\ntype: value '${opts.type}' does not have a value in the enumeration 'vm, storage, node, sdn'`);
    }
    return clusterResources(world, cluster, node, opts.type);
  }
  if (p === '/cluster/status') return clusterStatus(world, cluster, node, ctx.standalone);
  if (p === '/cluster/ha/status/current') return haStatus(world, cluster, node);
  if (p === '/cluster/ha/resources') {
    return cluster.guests
      .filter((g) => g.ha)
      .map((g) => ({ sid: `${g.type === 'qemu' ? 'vm' : 'ct'}:${g.vmid}`, type: g.type === 'qemu' ? 'vm' : 'ct', state: g.ha === 'stopped' || g.ha === 'disabled' ? g.ha : 'started', group: g.haGroup ?? '', digest: 'd3b07384d113edec49eaa6238ad5ff00' }));
  }
  if (p === '/nodes') {
    const view = quorumView(world, cluster, node);
    return cluster.nodes.map((n) => {
      const r = nodeRecord(world, cluster, n, view.members.includes(n));
      delete r.id;
      delete r.type;
      delete r.hastate;
      return r;
    });
  }
  let m = /^\/nodes\/([^/]+)(\/.*)?$/.exec(p);
  if (m) {
    const target = m[1] === 'localhost' ? node : m[1];
    proxyTo(ctx, target);
    const rest = m[2] ?? '';
    if (rest === '/status') return nodeStatus(world, cluster, target);
    if (rest === '/qemu') return nodeGuests(world, cluster, target, 'qemu');
    if (rest === '/lxc') return nodeGuests(world, cluster, target, 'lxc');
    if (rest === '/storage') {
      const tm = world.machines.get(target);
      if (!tm) return [];
      return storagesOf(world, tm, cluster).map((s) => ({
        storage: s.name,
        type: s.type,
        content: s.content,
        active: s.active ? 1 : 0,
        enabled: 1,
        shared: s.shared ? 1 : 0,
        total: s.totalBytes,
        used: s.usedBytes,
        avail: Math.max(0, s.totalBytes - s.usedBytes),
        used_fraction: s.totalBytes ? s.usedBytes / s.totalBytes : 0,
      }));
    }
    m = /^\/(qemu|lxc)\/(\d+)\/config$/.exec(rest);
    if (m) {
      const g = findGuest(cluster, Number(m[2]));
      if (!g || g.node !== target || g.type !== m[1]) {
        throw new PveError(`Configuration file 'nodes/${target}/${m[1] === 'qemu' ? 'qemu-server' : 'lxc'}/${m[2]}.conf' does not exist`);
      }
      const conf: Record<string, string | number> = { digest: 'a3f1c0ffee5eeded0000000000000000deadbeef' };
      for (const line of configLines(g, g.startedAt ?? world.now())) {
        const i = line.indexOf(': ');
        const v = line.slice(i + 2);
        conf[line.slice(0, i)] = /^\d+$/.test(v) ? Number(v) : v;
      }
      return conf;
    }
    m = /^\/(qemu|lxc)\/(\d+)\/status\/current$/.exec(rest);
    if (m) {
      const g = findGuest(cluster, Number(m[2]));
      if (!g || g.node !== target || g.type !== m[1]) {
        throw new PveError(`Configuration file 'nodes/${target}/${m[1] === 'qemu' ? 'qemu-server' : 'lxc'}/${m[2]}.conf' does not exist`);
      }
      return guestStatusCurrent(world, g);
    }
  }
  throw new PveError(`No 'get' handler defined for '${p}'`);
}

export const pvesh = pveCommand((ctx) => {
  const [, verb, ...rest] = ctx.argv;
  if (!verb || verb === 'help') {
    ctx.out('USAGE: pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]\n');
    return verb ? 0 : 255;
  }
  if (verb === 'ls' || verb === 'usage') {
    throw new PveError(`pvesh ${verb} is not available in the lab`);
  }
  if (verb !== 'get') {
    throw new PveError(`unknown command 'pvesh ${verb}'`);
  }
  const { pos, opts } = parseArgs(rest, {
    bool: ['noborder', 'noheader', 'human-readable'],
    str: ['output-format', 'type', 'limit', 'typefilter', 'vmid'],
  });
  if (!pos[0]) throw new PveError('400 not enough arguments\nUSAGE: pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]');
  const data = get(ctx, pos[0], opts) as Json;
  const fmt = opts['output-format'] ?? 'text';
  if (fmt === 'json') ctx.out(canonicalJson(data) + '\n');
  else if (fmt === 'json-pretty') ctx.out(prettyJson(data) + '\n');
  else if (fmt === 'text' || fmt === 'yaml') ctx.out(textTable(data, opts.noborder === '1', opts.noheader === '1'));
  else throw new PveError(`400 Parameter verification failed.\noutput-format: value '${fmt}' does not have a value in the enumeration 'text, json, json-pretty, yaml'`);
  return 0;
});
