/** `zpool status` → pools with device tree, scan and resilver progress. */
import type { ZpoolInfo } from '../types.js';

export function parseZpoolStatus(text: string): ZpoolInfo[] {
  const pools: ZpoolInfo[] = [];
  for (const chunk of text.split(/^(?=\s*pool:)/m)) {
    const name = /^\s*pool:\s*(\S+)/m.exec(chunk)?.[1];
    if (!name) continue;
    const state = /^\s*state:\s*(\S+)/m.exec(chunk)?.[1] ?? 'UNKNOWN';
    const status = /^\s*status:\s*([\s\S]*?)(?=^\s*\w+:)/m.exec(chunk)?.[1]?.replace(/\s+/g, ' ').trim();
    const scan = /^\s*scan:\s*([\s\S]*?)(?=^\s*config:)/m.exec(chunk)?.[1]?.replace(/\s+/g, ' ').trim();
    const pool: ZpoolInfo = { name, state, status, scan, devices: [] };
    const res = scan && /([\d.]+)% done(?:,\s*([\d:]+|\S+ \S+) to go)?/.exec(scan);
    if (scan && /resilver in progress/.test(scan) && res) pool.resilver = { percent: Number(res[1]), toGo: res[2] };
    const cfg = chunk.search(/NAME\s+STATE\s+READ\s+WRITE\s+CKSUM/);
    if (cfg >= 0) {
      const lines = chunk.slice(cfg).split('\n').slice(1);
      let base = -1;
      for (const line of lines) {
        if (/^\s*errors:/.test(line)) break;
        const m = /^(\s*)(\S+)\s+(\S+)(?:\s+(\d+)\s+(\d+)\s+(\d+))?\s*(.*)$/.exec(line);
        if (!m || line.trim() === '') continue;
        const indent = m[1].replace(/\t/g, '        ').length;
        if (base < 0) base = indent;
        pool.devices.push({ name: m[2], state: m[3], read: Number(m[4] ?? 0), write: Number(m[5] ?? 0), cksum: Number(m[6] ?? 0), depth: Math.max(0, Math.round((indent - base) / 2)), note: m[7] || undefined });
      }
    }
    pool.errors = /^\s*errors:\s*(.*)$/m.exec(chunk)?.[1];
    pools.push(pool);
  }
  return pools;
}
