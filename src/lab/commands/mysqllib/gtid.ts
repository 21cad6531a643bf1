/**
 * GTID positions. MariaDB: `D-S-N` per replication domain, comma separated (`0-1-7,1-3-2`).
 * MySQL: GTID sets `UUID:1-7[:9-12],UUID2:1-3`. Only what the lab needs: compare, merge, bump.
 */

export interface MariaGtid {
  domain: number;
  server: number;
  seq: number;
}

export function parseMariaPos(pos: string): MariaGtid[] | undefined {
  const out: MariaGtid[] = [];
  for (const part of pos.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
    if (!m) return undefined;
    out.push({ domain: Number(m[1]), server: Number(m[2]), seq: Number(m[3]) });
  }
  return out;
}

export function formatMariaPos(list: MariaGtid[]): string {
  return [...list].sort((a, b) => a.domain - b.domain).map((g) => `${g.domain}-${g.server}-${g.seq}`).join(',');
}

/** MySQL set → uuid → highest transaction number (the lab's sets have no gaps). */
function parseMysqlSet(set: string): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const part of set.replace(/\s+/g, '').split(',').filter(Boolean)) {
    const [uuid, ...ranges] = part.split(':');
    if (!uuid || ranges.length === 0) return undefined;
    let max = 0;
    for (const r of ranges) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(r);
      if (!m) return undefined;
      max = Math.max(max, Number(m[2] ?? m[1]));
    }
    out.set(uuid.toLowerCase(), max);
  }
  return out;
}

function formatMysqlSet(map: Map<string, number>): string {
  return [...map].filter(([, n]) => n > 0).map(([u, n]) => `${u}:1-${n}`).join(',\n');
}

export function isMysqlSet(pos: string): boolean {
  return pos.includes(':');
}

/** Whether position `have` includes everything in `want` (per domain / per uuid). */
export function gtidReached(have: string, want: string): boolean {
  if (want.trim() === '') return true;
  if (isMysqlSet(want)) {
    const h = parseMysqlSet(have) ?? new Map();
    const w = parseMysqlSet(want);
    if (!w) return false;
    return [...w].every(([u, n]) => (h.get(u) ?? 0) >= n);
  }
  const h = parseMariaPos(have) ?? [];
  const w = parseMariaPos(want);
  if (!w) return false;
  return w.every((g) => h.some((x) => x.domain === g.domain && x.seq >= g.seq));
}

/** Merge two positions, keeping the furthest per domain / uuid. */
export function gtidMerge(a: string, b: string): string {
  if (a.trim() === '') return b;
  if (b.trim() === '') return a;
  if (isMysqlSet(a) || isMysqlSet(b)) {
    const m = parseMysqlSet(a) ?? new Map<string, number>();
    for (const [u, n] of parseMysqlSet(b) ?? []) m.set(u, Math.max(m.get(u) ?? 0, n));
    return formatMysqlSet(m);
  }
  const byDomain = new Map<number, MariaGtid>();
  for (const g of [...(parseMariaPos(a) ?? []), ...(parseMariaPos(b) ?? [])]) {
    const cur = byDomain.get(g.domain);
    if (!cur || g.seq > cur.seq) byDomain.set(g.domain, g);
  }
  return formatMariaPos([...byDomain.values()]);
}

/** One more transaction written by `serverId` (MariaDB domain 0) or by `uuid` (MySQL). */
export function gtidBump(pos: string, serverId: number, uuid?: string): string {
  if (isMysqlSet(pos) || (pos.trim() === '' && uuid)) {
    const m = parseMysqlSet(pos) ?? new Map<string, number>();
    const u = (uuid ?? [...m.keys()][0] ?? '00000000-0000-0000-0000-000000000000').toLowerCase();
    m.set(u, (m.get(u) ?? 0) + 1);
    return formatMysqlSet(m);
  }
  const list = parseMariaPos(pos) ?? [];
  const d0 = list.find((g) => g.domain === 0);
  const rest = list.filter((g) => g.domain !== 0);
  return formatMariaPos([...rest, { domain: 0, server: serverId, seq: (d0?.seq ?? 0) + 1 }]);
}

/** Highest sequence number in a position (for binlog offsets). */
export function gtidSeq(pos: string): number {
  if (isMysqlSet(pos)) return Math.max(0, ...(parseMysqlSet(pos)?.values() ?? []));
  return Math.max(0, ...(parseMariaPos(pos) ?? []).map((g) => g.seq));
}
