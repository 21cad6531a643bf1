/** Guest migration: `qm migrate` (streamed log over lab time) and HA-driven moves (scheduled). */
import type { LabGuest } from '../../state.js';
import type { LabWorld } from '../../world.js';
import {
  diskNodeOf,
  memberOnline,
  nodeAddress,
  nodeLocalStorage,
  PveError,
  runtime,
  setDiskNode,
} from './cluster.js';
import type { PveCtx } from './common.js';
import { hms, iec, ymdhms } from './format.js';
import { diskVolume } from './guests.js';
import { haConverge } from './ha.js';
import type { LabCluster } from '../../state.js';

/** 1 GbE migration network ≈ 110 MB/s. */
export const MIGRATE_BPS = 110e6;

/** Lab ms a migration of `g` takes. */
export function migrationMs(g: LabGuest, online: boolean, withDisk: boolean): number {
  let bytes = withDisk ? g.diskBytes : 0;
  if (online) bytes += g.memBytes;
  return Math.max(3_000, Math.round((bytes / MIGRATE_BPS) * 1000) + 2_000);
}

export function checkTarget(ctx: PveCtx, target: string): void {
  if (!ctx.cluster.nodes.includes(target)) throw new PveError(`no such cluster node '${target}'`);
  if (target === ctx.node) throw new PveError('target is local node.');
  if (!memberOnline(ctx.world, ctx.cluster, target)) throw new PveError(`target node '${target}' is not online`);
}

/** Run `qm migrate` for a local, non-HA VM, printing the task log over lab time. */
export async function runMigration(
  ctx: PveCtx,
  g: LabGuest,
  target: string,
  opts: { online: boolean; withLocalDisks: boolean },
): Promise<number> {
  const w = ctx.world;
  const t0 = w.now();
  const log = (line: string) => ctx.out(`${ymdhms(w.now())} ${line}\n`);
  const local = nodeLocalStorage(g.storage);
  const vol = diskVolume(g);
  const running = g.status === 'running';
  log(`starting migration of VM ${g.vmid} to node '${target}' (${nodeAddress(w, target)})`);
  if (local) log(`found local disk '${vol}' (attached)`);
  if (running && local && !opts.withLocalDisks) {
    const msg = "can't live migrate attached local disks without with-local-disks option";
    log(`ERROR: Problem found while scanning volumes - ${msg}`);
    log('aborting phase 1 - cleanup resources');
    log(`ERROR: migration aborted (duration ${hms((w.now() - t0) / 1000)}): Problem found while scanning volumes - ${msg}`);
    ctx.err('migration aborted\n');
    return 255;
  }
  if (local && diskNodeOf(w, ctx.cluster, g) !== ctx.node) {
    const msg = `storage migration for '${vol}' failed - dataset does not exist`;
    log(`ERROR: ${msg}`);
    log(`ERROR: migration aborted (duration ${hms((w.now() - t0) / 1000)}): ${msg}`);
    ctx.err('migration aborted\n');
    return 255;
  }
  g.lock = 'migrate';
  try {
    const total = local ? g.diskBytes : 0;
    const steps = 10;
    if (local && !running) {
      const ds = `rpool/data/vm-${g.vmid}-disk-0@__migration__`;
      log('copying local disk images');
      log(`full send of ${ds} estimated size is ${iec(total, 1).replace(/ (.)iB/, '$1')}`);
      log(`total estimated size is ${iec(total, 1).replace(/ (.)iB/, '$1')}`);
      log(`TIME        SENT   SNAPSHOT ${ds}`);
      for (let i = 1; i <= steps; i++) {
        await ctx.sleep(((total / MIGRATE_BPS) * 1000) / steps);
        const d = new Date(w.now());
        const tm = d.toISOString().slice(11, 19);
        log(`${tm}   ${iec((total * i) / steps, 2).replace(/ (.)iB/, '$1')}   ${ds}`);
      }
      log(`successfully imported '${vol}'`);
      log(`volume '${vol}' is '${vol}' on the target`);
    } else if (running) {
      log(`starting VM ${g.vmid} on remote node '${target}'`);
      await ctx.sleep(1_500);
      log('start remote tunnel');
      log('ssh tunnel ver 1');
      if (local) {
        log('starting storage migration');
        log(`scsi0: start migration to nbd:unix:/run/qemu-server/${g.vmid}_nbd.migrate:exportname=drive-scsi0`);
        log('drive mirror is starting for drive-scsi0');
        for (let i = 1; i <= steps; i++) {
          await ctx.sleep(((total / MIGRATE_BPS) * 1000) / steps);
          const done = (total * i) / steps;
          const el = Math.round((w.now() - t0) / 1000);
          log(`drive-scsi0: transferred ${iec(done)} of ${iec(total)} (${((done / total) * 100).toFixed(2)}%) in ${el}s`);
        }
        log("all 'mirror' jobs are ready");
      }
      log(`starting online/live migration on unix:/run/qemu-server/${g.vmid}.migrate`);
      log('set migration capabilities');
      const memMs = (g.memBytes / MIGRATE_BPS) * 1000;
      await ctx.sleep(memMs / 2);
      log(`migration active, transferred ${iec(g.memBytes / 2)} of ${iec(g.memBytes)} VM-state, ${iec(MIGRATE_BPS)}/s`);
      await ctx.sleep(memMs / 2);
      log(`average migration speed: ${iec(MIGRATE_BPS)}/s - downtime 52 ms`);
      log('migration status: completed');
      if (local) log(`volume '${vol}' is '${vol}' on the target`);
    } else {
      await ctx.sleep(1_000);
    }
    g.node = target;
    setDiskNode(w, ctx.cluster, g, target);
    if (running) {
      log('stopping NBD storage migration server on target.');
      log(`migration finished successfully (duration ${hms((w.now() - t0) / 1000)})`);
    } else {
      log(`migration finished successfully (duration ${hms((w.now() - t0) / 1000)})`);
    }
    return 0;
  } finally {
    g.lock = undefined;
  }
}

/** Schedule an HA migration (`migrate`: live; `relocate`: stop, move, start). */
export function scheduleHaMove(world: LabWorld, cluster: LabCluster, g: LabGuest, target: string, kind: 'migrate' | 'relocate'): void {
  const rt = runtime(world);
  const running = g.status === 'running';
  const before = g.ha;
  const ms = migrationMs(g, kind === 'migrate' && running, nodeLocalStorage(g.storage)) + (kind === 'relocate' ? 10_000 : 0);
  g.ha = kind;
  g.lock = 'migrate';
  if (kind === 'relocate' && running) {
    g.status = 'stopped';
    g.startedAt = undefined;
  }
  const key = `${cluster.name}/${g.vmid}`;
  rt.pending = rt.pending.filter((p) => p.key !== key);
  rt.pending.push({
    at: world.now() + ms,
    key,
    apply: (w) => {
      g.lock = undefined;
      if (!memberOnline(w, cluster, target) || !memberOnline(w, cluster, g.node)) {
        g.ha = before === 'stopped' ? 'stopped' : 'started';
        return;
      }
      const startedAt = g.startedAt;
      g.node = target;
      setDiskNode(w, cluster, g, target);
      g.ha = before === 'stopped' ? 'stopped' : 'started';
      if (kind === 'migrate' && running) {
        g.status = 'running';
        g.startedAt = startedAt;
      }
      haConverge(w, cluster);
    },
  });
}
