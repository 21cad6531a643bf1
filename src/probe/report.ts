/** `baie probe` output: a table for people, one JSON object per machine for scripts. Pure. */
import type { MachineProbe } from './types.js';

export function probeJson(p: MachineProbe): Record<string, unknown> {
  return {
    machine: p.machine,
    at: new Date(p.at).toISOString(),
    health: p.health.level,
    reasons: p.health.reasons.filter((r) => r.level !== 'ok').map((r) => r.text),
    reachable: p.reachable,
    latencyMs: p.latencyMs ?? null,
    power: p.power ?? null,
    load: p.load ?? null,
    uptimeSec: p.uptimeSec ?? null,
    arrays: p.arrays ?? [],
    pools: p.pools ?? [],
    disks: p.disks ?? [],
    vms: p.guests ?? [],
    nodes: p.nodes ?? [],
    ha: p.ha ?? null,
    services: p.services ?? [],
    replication: p.replication ?? null,
    readOnly: p.readOnly ?? null,
    vips: (p.ifaces ?? []).flatMap((i) => i.addrs.filter((a) => a.endsWith('/32')).map((a) => a.replace(/\/32$/, ''))),
    addresses: p.ifaces ?? [],
    ipvs: p.ipvs ?? [],
    sel: p.sel ?? [],
    errors: p.errors,
  };
}

const GLYPH = { ok: 'ok', warning: 'WARN', critical: 'CRIT', unknown: '?' } as const;

export function probeTable(ps: MachineProbe[]): string {
  const rows = ps.map((p) => [
    p.machine,
    GLYPH[p.health.level],
    p.reachable ? `${p.latencyMs ?? '-'}ms` : 'down',
    p.power ?? '-',
    p.load ? p.load[0].toFixed(2) : '-',
    p.health.reasons.filter((r) => r.level !== 'ok').map((r) => r.text).join('; ') || 'ok',
  ]);
  const head = ['MACHINE', 'HEALTH', 'SSH', 'POWER', 'LOAD', 'REASONS'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
