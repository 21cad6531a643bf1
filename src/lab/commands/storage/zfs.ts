/** ZFS pool state helpers: health rollup, resilver progress on the lab clock, sizes the way zfs prints them. */
import type { LabMachine, ZfsDiskState, ZfsVdevDisk, ZPool } from '../../state.js';
import { splitPartName } from './devices.js';

/** Lab resilver issue rate (bytes/s of lab time), ~ a SATA SSD mirror. */
export const RESILVER_BPS = 350 * 1024 * 1024;

/** zfs_nicenum / zfs_nicebytes: `412G`, `20.4G`, `1.02G`, `0B`. */
export function zfsNice(n: number, bytesSuffix = true): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${Math.round(n)}${bytesSuffix ? 'B' : ''}`;
  const u = units[i]!;
  if (n % 1024 ** i === 0) return `${v}${u}`;
  for (const p of [2, 1, 0]) {
    const s = `${v.toFixed(p)}${u}`;
    if (s.length <= 5) return s;
  }
  return `${Math.round(v)}${u}`;
}

/** Partition number a vdev disk uses (`…-part3` or `sdb3`); 0 = whole disk. */
export function vdevPartNo(z: ZfsVdevDisk): number {
  const m = /-part(\d+)$/.exec(z.name.replace(/\/old$/, ''));
  if (m) return Number(m[1]);
  return splitPartName(z.name.replace(/^\/dev\//, '').replace(/\/old$/, '')).n;
}

const FUNCTIONAL: ZfsDiskState[] = ['ONLINE', 'DEGRADED'];

export interface VdevRow {
  name: string;
  depth: number;
  state: ZfsDiskState | 'UNAVAIL';
  disk?: ZfsVdevDisk;
  resilvering?: boolean;
}

/** The config tree as zpool status prints it, with `replacing-N` groups during a replace. */
export function configRows(pool: ZPool): VdevRow[] {
  const rows: VdevRow[] = [];
  const rep = pool.resilver?.replacing;
  const tops: VdevRow[] = [];
  const vdevRows: VdevRow[][] = [];
  pool.vdevs.forEach((v, vi) => {
    const children: VdevRow[] = [];
    const childStates: ZfsDiskState[] = [];
    v.disks.forEach((d, di) => {
      if (rep && d.name === rep.new) return;
      if (rep && d.name === rep.old) {
        const nd = v.disks.find((x) => x.name === rep.new);
        const group = [d, ...(nd ? [nd] : [])];
        const gState: ZfsDiskState = group.every((x) => x.state === 'ONLINE') ? 'ONLINE' : group.some((x) => FUNCTIONAL.includes(x.state)) ? 'DEGRADED' : 'UNAVAIL';
        children.push({ name: `replacing-${di}`, depth: 4, state: gState });
        children.push({ name: d.name, depth: 6, state: d.state, disk: d });
        if (nd) children.push({ name: nd.name, depth: 6, state: nd.state, disk: nd, resilvering: true });
        childStates.push(gState);
        return;
      }
      children.push({ name: d.name, depth: 4, state: d.state, disk: d });
      childStates.push(d.state);
    });
    const state: ZfsDiskState = childStates.every((s) => s === 'ONLINE') ? 'ONLINE' : childStates.some((s) => FUNCTIONAL.includes(s)) ? 'DEGRADED' : 'UNAVAIL';
    const top: VdevRow = { name: `${v.type}-${vi}`, depth: 2, state };
    tops.push(top);
    vdevRows.push([top, ...children]);
  });
  const poolState = poolHealth(pool, tops);
  rows.push({ name: pool.name, depth: 0, state: poolState });
  for (const vr of vdevRows) rows.push(...vr);
  return rows;
}

export function poolHealth(pool: ZPool, tops?: VdevRow[]): ZfsDiskState {
  const t = tops ?? configRows(pool).filter((r) => r.depth === 2);
  if (t.some((r) => r.state === 'UNAVAIL' || r.state === 'FAULTED')) return 'UNAVAIL';
  if (t.some((r) => r.state !== 'ONLINE')) return 'DEGRADED';
  return 'ONLINE';
}

export interface ResilverProgress {
  elapsedS: number;
  fraction: number;
  issued: number;
  scanned: number;
  total: number;
  remainingS: number;
}

export function resilverProgress(pool: ZPool, now: number): ResilverProgress | undefined {
  const r = pool.resilver;
  if (!r) return undefined;
  const elapsedS = Math.max(0, (now - r.startedAt) / 1000);
  const fraction = r.durationMs <= 0 ? 1 : Math.min(1, Math.max(0, (now - r.startedAt) / r.durationMs));
  const total = pool.allocBytes;
  const issued = total * fraction;
  return { elapsedS, fraction, issued, scanned: Math.min(total, issued * 3), total, remainingS: Math.max(0, (r.startedAt + r.durationMs - now) / 1000) };
}

/** Last completed resilver per pool (not part of the shared state). */
export const lastResilver = new WeakMap<ZPool, { endedAt: number; bytes: number; durationS: number }>();

/** Finish resilvers whose lab time is over: the replaced disk leaves the vdev. */
export function finishResilvers(m: LabMachine, now: number): boolean {
  let changed = false;
  for (const pool of m.zpools) {
    const r = pool.resilver;
    if (!r || now < r.startedAt + r.durationMs) continue;
    if (r.replacing) {
      for (const v of pool.vdevs) {
        const i = v.disks.findIndex((d) => d.name === r.replacing!.old);
        if (i >= 0) v.disks.splice(i, 1);
      }
    }
    lastResilver.set(pool, { endedAt: r.startedAt + r.durationMs, bytes: pool.allocBytes, durationS: r.durationMs / 1000 });
    delete pool.resilver;
    changed = true;
  }
  return changed;
}
