/** `ip -br addr` and `ipvsadm -Ln`. */
import type { IfaceInfo, IpvsInfo } from '../types.js';

export function parseIpBrAddr(text: string): IfaceInfo[] {
  const out: IfaceInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+?)(?:@\S+)?\s+(\S+)\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    out.push({ name: m[1], state: m[2], addrs: m[3].trim() ? m[3].trim().split(/\s+/) : [] });
  }
  return out;
}

export function parseIpvsadm(text: string): IpvsInfo[] {
  const out: IpvsInfo[] = [];
  let cur: IpvsInfo | undefined;
  for (const line of text.split('\n')) {
    const svc = /^(TCP|UDP|FWM)\s+(\S+):(\d+)\s+(\S+)/.exec(line);
    if (svc) {
      cur = { proto: svc[1], vip: svc[2], port: Number(svc[3]), scheduler: svc[4], reals: [] };
      out.push(cur);
      continue;
    }
    const real = /^\s+->\s+(\S+):(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
    if (real && cur) cur.reals.push({ addr: real[1], port: Number(real[2]), forward: real[3], weight: Number(real[4]), active: Number(real[5]), inactive: Number(real[6]) });
  }
  return out;
}
