/** Proxmox: pvesh /cluster/resources JSON, qm list, pct list, ha-manager status. */
import type { GuestInfo, HaStatus, NodeInfo } from '../types.js';

interface Resource {
  id: string;
  type: string;
  status?: string;
  name?: string;
  node?: string;
  vmid?: number;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  hastate?: string;
  lock?: string;
  template?: number;
}

export function parsePveshResources(text: string): { guests: GuestInfo[]; nodes: NodeInfo[] } {
  const list = JSON.parse(text) as Resource[];
  if (!Array.isArray(list)) throw new Error('pvesh: expected a JSON array');
  const guests: GuestInfo[] = [];
  const nodes: NodeInfo[] = [];
  for (const r of list) {
    if ((r.type === 'qemu' || r.type === 'lxc') && !r.template) {
      guests.push({ vmid: r.vmid ?? Number(r.id.split('/')[1]), type: r.type, name: r.name ?? '', node: r.node ?? '', status: r.status ?? 'unknown', cpu: r.cpu, maxcpu: r.maxcpu, mem: r.mem, maxmem: r.maxmem, disk: r.disk, maxdisk: r.maxdisk, uptime: r.uptime, hastate: r.hastate, lock: r.lock });
    } else if (r.type === 'node') {
      nodes.push({ node: r.node ?? r.id.replace(/^node\//, ''), status: r.status ?? 'unknown', cpu: r.cpu, maxcpu: r.maxcpu, mem: r.mem, maxmem: r.maxmem, disk: r.disk, maxdisk: r.maxdisk });
    }
  }
  return { guests: guests.sort((a, b) => a.vmid - b.vmid), nodes };
}

/** `qm list` on one node. */
export function parseQmList(text: string, node: string): GuestInfo[] {
  const out: GuestInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+([\d.]+)\s+(\d+)/.exec(line);
    if (m) out.push({ vmid: Number(m[1]), type: 'qemu', name: m[2], node, status: m[3], maxmem: Number(m[4]) * 2 ** 20, maxdisk: Number(m[5]) * 2 ** 30 });
  }
  return out;
}

/** `pct list`: the Lock column is usually empty, so columns are located from the header. */
export function parsePctList(text: string, node: string): GuestInfo[] {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  const lockAt = header.indexOf('Lock');
  const nameAt = header.indexOf('Name');
  const out: GuestInfo[] = [];
  for (const line of lines.slice(1)) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const lock = lockAt >= 0 && nameAt > lockAt ? line.slice(lockAt, nameAt).trim() : '';
    const name = nameAt >= 0 ? line.slice(nameAt).trim() : (line.trim().split(/\s+/).pop() ?? '');
    out.push({ vmid: Number(m[1]), type: 'lxc', name, node, status: m[2], lock: lock || undefined });
  }
  return out;
}

/** `virsh list --all`. */
export function parseVirshList(text: string, node: string): GuestInfo[] {
  const out: GuestInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m || m[2] === 'Name') continue;
    out.push({ vmid: m[1] === '-' ? -1 : Number(m[1]), type: 'qemu', name: m[2], node, status: m[3] });
  }
  return out;
}

export function parseHaStatus(text: string): HaStatus {
  const st: HaStatus = { quorum: /^quorum OK/m.test(text), lrms: [], services: [] };
  const master = /^master (\S+) \(([^,)]+)/m.exec(text);
  if (master) st.master = { node: master[1], state: master[2] };
  for (const m of text.matchAll(/^lrm (\S+) \(([^,)]+)/gm)) st.lrms.push({ node: m[1], state: m[2] });
  for (const m of text.matchAll(/^service (\S+) \((\S+?), ([^)]+)\)/gm)) st.services.push({ sid: m[1], node: m[2], state: m[3] });
  return st;
}
