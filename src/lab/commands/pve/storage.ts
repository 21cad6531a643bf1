/**
 * Storages a node sees (`local`, `local-zfs`, and one shared backup storage per backup box in
 * world.backups) and how archive names resolve to backups.
 */
import type { LabBackup, LabCluster, LabMachine } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { nodeUp, PveError } from './cluster.js';

export interface PveStorage {
  name: string;
  type: 'dir' | 'zfspool' | 'nfs';
  content: string;
  shared: boolean;
  active: boolean;
  totalBytes: number;
  usedBytes: number;
}

const GiB = 1024 ** 3;

/** Where a shared storage is mounted on the nodes. */
export function mountPath(storage: string): string {
  return `/mnt/pve/${storage}`;
}

export function dumpDir(storage: string): string {
  return `${mountPath(storage)}/dump`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Storage names of backup boxes (world.backups keys). */
export function backupStorages(world: LabWorld): string[] {
  return [...world.backups.keys()].sort();
}

export function storagesOf(world: LabWorld, node: LabMachine, cluster: LabCluster): PveStorage[] {
  const pool = node.zpools.find((p) => p.name === 'rpool') ?? node.zpools[0];
  const guestBytes = cluster.guests
    .filter((g) => g.node === node.name && g.storage === 'local-zfs')
    .reduce((s, g) => s + g.diskBytes, 0);
  const poolSize = pool?.sizeBytes ?? 900 * GiB;
  const poolAlloc = Math.max(pool?.allocBytes ?? 0, guestBytes + 4 * GiB);
  const rootUsed = 4 * GiB;
  const out: PveStorage[] = [
    {
      name: 'local',
      type: 'dir',
      content: 'iso,vztmpl,backup',
      shared: false,
      active: true,
      totalBytes: Math.floor(poolSize - poolAlloc + rootUsed),
      usedBytes: rootUsed,
    },
    {
      name: 'local-zfs',
      type: 'zfspool',
      content: 'images,rootdir',
      shared: false,
      active: !!pool || node.zpools.length === 0,
      totalBytes: Math.floor(poolSize - 4 * GiB),
      usedBytes: Math.floor(poolAlloc - 4 * GiB),
    },
  ];
  for (const box of backupStorages(world)) {
    const active = nodeUp(world, box) && !node.networkDown;
    const used = (world.backups.get(box) ?? []).reduce((s, b) => s + b.sizeBytes, 0);
    const boxM = world.machines.get(box);
    const total = boxM?.disks.reduce((s, d) => s + d.sizeBytes, 0) || 8 * 1024 * GiB;
    out.push({
      name: box,
      type: 'nfs',
      content: 'backup',
      shared: true,
      active,
      totalBytes: active ? total : 0,
      usedBytes: active ? Math.min(total, used) : 0,
    });
  }
  return out;
}

export function findStorage(world: LabWorld, node: LabMachine, cluster: LabCluster, name: string): PveStorage {
  const s = storagesOf(world, node, cluster).find((x) => x.name === name);
  if (!s) throw new PveError(`storage '${name}' does not exist`);
  return s;
}

export interface ResolvedArchive {
  storage: string;
  backup: LabBackup;
  /** Path as the node sees it: /mnt/pve/baloo/dump/NAME. */
  nodePath: string;
  /** Volume id: baloo:backup/NAME. */
  volid: string;
}

/**
 * Resolve `/mnt/pve/baloo/dump/NAME`, `baloo:backup/NAME` or the box-side path to a backup.
 * Throws the real-looking errors for a missing file or an offline storage.
 */
export function resolveArchive(world: LabWorld, node: LabMachine, archive: string): ResolvedArchive {
  let storage: string | undefined;
  let name: string;
  const volid = /^([a-zA-Z][\w.-]*):backup\/(.+)$/.exec(archive);
  if (volid) {
    storage = volid[1];
    name = volid[2];
    if (!world.backups.has(storage)) throw new PveError(`storage '${storage}' does not exist`);
  } else {
    name = basename(archive);
    const mnt = /^\/mnt\/pve\/([^/]+)\//.exec(archive);
    if (mnt) storage = mnt[1];
  }
  const candidates = storage ? [storage] : backupStorages(world);
  for (const box of candidates) {
    const list = world.backups.get(box);
    const b = list?.find((x) => (storage ? basename(x.path) === name : x.path === archive));
    if (b) {
      if (!nodeUp(world, box) || node.networkDown) throw new PveError(`storage '${box}' is not online`);
      return { storage: box, backup: b, nodePath: `${dumpDir(box)}/${name}`, volid: `${box}:backup/${name}` };
    }
  }
  if (storage && world.backups.has(storage) && (!nodeUp(world, storage) || node.networkDown)) {
    throw new PveError(`storage '${storage}' is not online`);
  }
  if (volid) throw new PveError(`volume '${archive}' does not exist`);
  throw new PveError(`unable to open file '${archive}' - No such file or directory`);
}

/** Directory on the box where new archives go (next to the existing ones). */
export function boxDumpDir(world: LabWorld, box: string): string {
  const first = world.backups.get(box)?.[0];
  if (first) return first.path.slice(0, first.path.lastIndexOf('/'));
  return dumpDir(box);
}
