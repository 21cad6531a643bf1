/**
 * `vzdump VMID… --storage S --mode snapshot --compress zstd`: the real task log (on stderr, as
 * vzdump writes it) over lab time; the archive lands in world.backups of the backup box.
 */
import type { LabBackup, LabGuest } from '../../state.js';
import { isTrue, parseArgs } from './args.js';
import { findGuest, PveError, runtime } from './cluster.js';
import { pveCommand, type PveCtx } from './common.js';
import { archiveStamp, configSize, decimalSize, fakeUuid, hms, iec, shortDuration, ymdhms } from './format.js';
import { diskVolume } from './guests.js';
import { boxDumpDir, dumpDir, storagesOf } from './storage.js';

/** Reading the source disk. */
export const BACKUP_READ_BPS = 400e6;
/** Writing to the backup box over 1 GbE. */
export const BACKUP_WRITE_BPS = 110e6;

const RATIO: Record<string, number> = { zstd: 0.3, gzip: 0.38, lzo: 0.45, '0': 0.62 };
const EXT: Record<string, string> = { zstd: '.zst', gzip: '.gz', lzo: '.lzo', '0': '' };

interface Job {
  storage: string;
  mode: string;
  compress: string;
  active: boolean;
  shared: boolean;
}

async function backupOne(ctx: PveCtx, g: LabGuest, job: Job): Promise<void> {
  const log = (m: string) => ctx.err(`INFO: ${m}\n`);
  const w = ctx.world;
  const t0 = w.now();
  log(`Starting Backup of VM ${g.vmid} (${g.type})`);
  log(`Backup started at ${ymdhms(t0)}`);
  if (!job.active) throw new PveError(`storage '${job.storage}' is not online`);
  if (g.lock) throw new PveError(`${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${g.lock})`);
  const running = g.status === 'running';
  log(`status = ${g.status}`);
  const mode = running ? job.mode : 'stop';
  const name = `vzdump-${g.type}-${g.vmid}-${archiveStamp(t0)}.${g.type === 'qemu' ? 'vma' : 'tar'}${EXT[job.compress] ?? '.zst'}`;
  const nodePath = job.shared ? `${dumpDir(job.storage)}/${name}` : `/var/lib/vz/dump/${name}`;
  const used = Math.floor(g.diskBytes * 0.62);
  const archiveBytes = Math.floor(used * (RATIO[job.compress] ?? 0.3) / 0.62);
  const totalMs = Math.max((g.diskBytes / BACKUP_READ_BPS) * 1000, (archiveBytes / BACKUP_WRITE_BPS) * 1000);
  g.lock = 'backup';
  try {
    if (g.type === 'qemu') {
      log(`VM Name: ${g.name}`);
      log(`include disk 'scsi0' '${diskVolume(g)}' ${configSize(g.diskBytes)}`);
      log(`backup mode: ${mode}`);
      log('ionice priority: 7');
      log(`creating vzdump archive '${nodePath}'`);
      if (!running) log('starting kvm to execute backup task');
      log(`started backup task '${fakeUuid(g.vmid + Math.floor(t0 / 1000))}'`);
      if (running) log('resuming VM again');
      for (let pct = 10; pct <= 100; pct += 10) {
        await ctx.sleep(totalMs / 10);
        const el = Math.max(1, (w.now() - t0) / 1000);
        const done = (g.diskBytes * pct) / 100;
        log(`${String(pct).padStart(3)}% (${iec(done)} of ${iec(g.diskBytes)}) in ${shortDuration(el)}, read: ${iec(done / el)}/s, write: ${iec((done * 0.62) / el)}/s`);
      }
      const el = Math.max(1, Math.round((w.now() - t0) / 1000));
      const zero = g.diskBytes - used;
      log(`backup is sparse: ${iec(zero, 2)} (${Math.round((zero / g.diskBytes) * 100)}%) total zero data`);
      log(`transferred ${iec(g.diskBytes, 2)} in ${el} seconds (${iec(g.diskBytes / el)}/s)`);
      if (!running) log('stopping kvm after backup task');
    } else {
      log(`CT Name: ${g.name}`);
      log("including mount point rootfs ('/') in backup");
      log(`backup mode: ${mode}`);
      log('ionice priority: 7');
      if (mode === 'snapshot') log("create storage snapshot 'vzdump'");
      log(`creating vzdump archive '${nodePath}'`);
      await ctx.sleep(totalMs);
      const el = Math.max(1, (w.now() - t0) / 1000);
      const mib = (n: number) => `${Math.round(n / 1024 ** 2)}MiB`;
      log(`Total bytes written: ${used} (${mib(used)}, ${mib(used / el)}/s)`);
    }
    log(`archive file size: ${decimalSize(archiveBytes)}`);
    if (g.type === 'lxc' && mode === 'snapshot') log("cleanup temporary 'vzdump' snapshot");
  } finally {
    g.lock = undefined;
  }
  if (job.shared) {
    const list = w.backups.get(job.storage) ?? [];
    const b: LabBackup = { path: `${boxDumpDir(w, job.storage)}/${name}`, vmid: g.vmid, type: g.type, at: t0, sizeBytes: archiveBytes };
    list.push(b);
    w.backups.set(job.storage, list);
    runtime(w).archiveConfig.set(b.path, { ...g, services: [...g.services], lock: undefined });
  }
  log(`Finished Backup of VM ${g.vmid} (${hms((w.now() - t0) / 1000)})`);
  log(`Backup finished at ${ymdhms(w.now())}`);
}

export const vzdump = pveCommand(async (ctx) => {
  const { pos, opts } = parseArgs(ctx.argv.slice(1), {
    bool: ['all', 'quiet', 'remove', 'stop', 'protected'],
    str: ['storage', 'mode', 'compress', 'dumpdir', 'node', 'mailto', 'exclude', 'notes-template', 'bwlimit', 'ionice', 'prune-backups', 'zstd', 'pool', 'mailnotification', 'notification-mode'],
  });
  const mode = opts.mode ?? 'snapshot';
  if (!['snapshot', 'suspend', 'stop'].includes(mode)) {
    throw new PveError(`400 Parameter verification failed.\nmode: value '${mode}' does not have a value in the enumeration 'snapshot, suspend, stop'`);
  }
  let compress = opts.compress ?? '0';
  if (compress === '1') compress = 'lzo';
  if (!(compress in RATIO)) {
    throw new PveError(`400 Parameter verification failed.\ncompress: value '${compress}' does not have a value in the enumeration '0, 1, gzip, lzo, zstd'`);
  }
  const storageName = opts.storage ?? 'local';
  const st = storagesOf(ctx.world, ctx.machine, ctx.cluster).find((s) => s.name === storageName);
  if (!st) throw new PveError(`storage '${storageName}' does not exist`);
  if (!st.content.split(',').includes('backup')) throw new PveError(`storage '${storageName}' does not support backups`);
  const ids: string[] = pos.flatMap((p) => p.split(/[,;\s]+/)).filter(Boolean);
  for (const id of ids) if (!/^\d+$/.test(id)) throw new PveError(`invalid VMID '${id}'`);
  const excluded = (opts.exclude ?? '').split(/[,;\s]+/).filter(Boolean);
  let vmids: number[];
  if (isTrue(opts.all)) {
    vmids = ctx.cluster.guests.filter((g) => g.node === ctx.node && !excluded.includes(String(g.vmid))).map((g) => g.vmid);
  } else {
    if (!ids.length) throw new PveError('no VMs specified - use --all or give VMIDs');
    vmids = ids.map(Number);
  }
  const skip = vmids.filter((id) => {
    const g = findGuest(ctx.cluster, id);
    return g && g.node !== ctx.node;
  });
  const local = vmids.filter((id) => !skip.includes(id)).sort((a, b) => a - b);
  ctx.err(`INFO: starting new backup job: ${ctx.argv.join(' ')}\n`);
  if (skip.length) ctx.err(`INFO: skip external VMs: ${[...skip].sort((a, b) => a - b).join(', ')}\n`);
  const job: Job = { storage: storageName, mode, compress, active: st.active, shared: st.shared };
  let errors = 0;
  for (const id of local) {
    const g = findGuest(ctx.cluster, id);
    try {
      if (!g) {
        ctx.err(`INFO: Starting Backup of VM ${id} (qemu)\n`);
        throw new PveError(`unable to find configuration file for VM ${id} on node '${ctx.node}'`);
      }
      await backupOne(ctx, g, job);
    } catch (e) {
      if (!(e instanceof PveError)) throw e;
      errors++;
      ctx.err(`ERROR: Backup of VM ${id} failed - ${e.message}\n`);
      ctx.err(`INFO: Failed at ${ymdhms(ctx.world.now())}\n`);
    }
  }
  if (errors) {
    ctx.err('INFO: Backup job finished with errors\n');
    ctx.err('job errors\n');
    return 255;
  }
  ctx.err('INFO: Backup job finished successfully\n');
  return 0;
});
