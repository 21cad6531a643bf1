/** `qmrestore ARCHIVE VMID` and `pct restore VMID ARCHIVE`: progress over lab time. */
import type { LabGuest } from '../../state.js';
import { isTrue, parseArgs } from './args.js';
import { findGuest, parseVmid, PveError, runtime, setDiskNode } from './cluster.js';
import { pveCommand, requireQuorum, type PveCtx } from './common.js';
import { ctime } from './format.js';
import { findStorage, resolveArchive, type ResolvedArchive } from './storage.js';

/** Restore throughput: 1 GbE from the backup box ≈ 110 MB/s (lab time). */
export const RESTORE_BPS = 110e6;

const GiB = 1024 ** 3;

function decompressor(path: string): string {
  if (path.endsWith('.zst')) return `zstd -q -d -c ${path}`;
  if (path.endsWith('.gz')) return `zcat ${path}`;
  if (path.endsWith('.lzo')) return `lzop -d -c ${path}`;
  return '';
}

/** The guest config the archive carries (recorded by vzdump, else the original guest, else defaults). */
function archivedGuest(ctx: PveCtx, a: ResolvedArchive, type: 'qemu' | 'lxc'): Omit<LabGuest, 'vmid' | 'node'> {
  const saved = runtime(ctx.world).archiveConfig.get(a.backup.path);
  const orig = saved ?? findGuest(ctx.cluster, a.backup.vmid);
  if (orig && orig.type === type) {
    return {
      type,
      name: orig.name,
      status: 'stopped',
      cpus: orig.cpus,
      memBytes: orig.memBytes,
      diskBytes: orig.diskBytes,
      storage: orig.storage,
      priority: orig.priority,
      services: [...orig.services],
      ip: orig.ip,
    };
  }
  return {
    type,
    name: type === 'qemu' ? `vm${a.backup.vmid}` : `ct${a.backup.vmid}`,
    status: 'stopped',
    cpus: type === 'qemu' ? 2 : 1,
    memBytes: (type === 'qemu' ? 2048 : 512) * 1024 ** 2,
    diskBytes: Math.max(GiB, Math.ceil(a.backup.sizeBytes / GiB) * GiB),
    storage: 'local-zfs',
    priority: 0,
    services: [],
  };
}

interface Prepared {
  a: ResolvedArchive;
  guest: LabGuest;
  replaced?: LabGuest;
}

function prepare(ctx: PveCtx, type: 'qemu' | 'lxc', archive: string, vmid: number, opts: Record<string, string>): Prepared {
  const what = type === 'qemu' ? 'VM' : 'CT';
  const emsg = `unable to restore ${what} ${vmid} -`;
  const a = resolveArchive(ctx.world, ctx.machine, archive);
  if (a.backup.type !== type) {
    throw new PveError(
      type === 'qemu' ? `${emsg} archive '${archive}' is a container backup - use 'pct restore'` : `${emsg} archive '${archive}' is a VM backup - use 'qmrestore'`,
    );
  }
  requireQuorum(ctx);
  const existing = findGuest(ctx.cluster, vmid);
  if (existing) {
    const exWhat = existing.type === 'qemu' ? 'VM' : 'CT';
    if (existing.node !== ctx.node || existing.type !== type || !isTrue(opts.force)) {
      throw new PveError(`${emsg} ${exWhat} ${vmid} already exists on node '${existing.node}'`);
    }
    if (existing.status === 'running') throw new PveError(`${emsg} ${type === 'qemu' ? 'vm' : 'container'} is running`);
    if (existing.lock) throw new PveError(`${emsg} ${what} is locked (${existing.lock})`);
  }
  const base = archivedGuest(ctx, a, type);
  const storageName = opts.storage ?? base.storage;
  const st = findStorage(ctx.world, ctx.machine, ctx.cluster, storageName);
  if (!st.content.includes(type === 'qemu' ? 'images' : 'rootdir')) {
    throw new PveError(`${emsg} storage '${storageName}' does not support ${type === 'qemu' ? 'vm images' : 'container directories'}`);
  }
  if (!st.active) throw new PveError(`storage '${storageName}' is not online`);
  const guest: LabGuest = { ...base, vmid, node: ctx.node, storage: storageName, lock: 'create' };
  if (existing) {
    guest.ha = existing.ha;
    guest.haGroup = existing.haGroup;
    guest.priority = existing.priority;
  }
  return { a, guest, replaced: existing };
}

/** Put the new guest in place (locked) for the restore's duration; undo on failure. */
async function withPlacedGuest(ctx: PveCtx, p: Prepared, body: () => Promise<void>): Promise<number> {
  const list = ctx.cluster.guests;
  if (p.replaced) list.splice(list.indexOf(p.replaced), 1);
  list.push(p.guest);
  try {
    await body();
  } catch (e) {
    list.splice(list.indexOf(p.guest), 1);
    throw e;
  }
  p.guest.lock = undefined;
  setDiskNode(ctx.world, ctx.cluster, p.guest, ctx.node);
  return 0;
}

export async function restoreQemu(ctx: PveCtx, archive: string, vmid: number, opts: Record<string, string>): Promise<number> {
  const p = prepare(ctx, 'qemu', archive, vmid, opts);
  const { a, guest } = p;
  const total = a.backup.sizeBytes;
  const tmp = `/var/tmp/vzdumptmp${(vmid * 7 + 4000) % 90000}`;
  return withPlacedGuest(ctx, p, async () => {
    const dec = decompressor(a.nodePath);
    ctx.out(
      dec
        ? `restore vma archive: ${dec} | vma extract -v -r ${tmp}.fifo - ${tmp}\n`
        : `restore vma archive: vma extract -v -r ${tmp}.fifo ${a.nodePath} ${tmp}\n`,
    );
    ctx.out(`CFG: size: ${420 + guest.name.length} name: qemu-server.conf\n`);
    ctx.out(`DEV: dev_id=1 size: ${guest.diskBytes} devname: drive-scsi0\n`);
    ctx.out(`CTIME: ${ctime(a.backup.at)}\n`);
    const vol = `vm-${vmid}-disk-0`;
    ctx.out(`new volume ID is '${guest.storage}:${vol}'\n`);
    const dev = guest.storage === 'local-zfs' ? `/dev/zvol/rpool/data/${vol}` : `/dev/${guest.storage}/${vol}`;
    ctx.out(`map 'drive-scsi0' to '${dev}' (write zeros = 0)\n`);
    const totalMs = (total / RESTORE_BPS) * 1000;
    const t0 = ctx.world.now();
    for (let pct = 1; pct <= 100; pct++) {
      await ctx.sleep(totalMs / 100);
      const read = Math.floor((total * pct) / 100);
      const secs = Math.floor((ctx.world.now() - t0) / 1000);
      ctx.out(`progress ${pct}% (read ${read} bytes, duration ${secs} sec)\n`);
    }
    const sparse = Math.floor(total * 0.31);
    ctx.out(`total bytes read ${total}, sparse bytes ${sparse} (${((sparse / total) * 100).toFixed(1)}%)\n`);
    ctx.out('space reduction due to 4K zero blocks 0.41%\n');
    ctx.out('rescan volumes...\n');
  });
}

export async function restoreLxc(ctx: PveCtx, vmid: number, archive: string, opts: Record<string, string>): Promise<number> {
  const p = prepare(ctx, 'lxc', archive, vmid, opts);
  const { a } = p;
  const total = a.backup.sizeBytes;
  return withPlacedGuest(ctx, p, async () => {
    ctx.out(`recovering backed-up configuration from '${a.volid}'\n`);
    ctx.out(`restoring '${a.volid}' now..\n`);
    ctx.out(`extracting archive '${a.nodePath}'\n`);
    const t0 = ctx.world.now();
    await ctx.sleep((total / RESTORE_BPS) * 1000);
    const secs = Math.max(1, (ctx.world.now() - t0) / 1000);
    const mib = (n: number) => `${Math.round(n / 1024 ** 2)}MiB`;
    ctx.out(`Total bytes read: ${total} (${mib(total)}, ${mib(total / secs)}/s)\n`);
    ctx.out('Detected container architecture: amd64\n');
    ctx.out('merging backed-up and given configuration..\n');
  });
}

export const qmrestore = pveCommand(async (ctx) => {
  const usage = 'USAGE: qmrestore <archive> <vmid> [OPTIONS]';
  const { pos, opts } = parseArgs(ctx.argv.slice(1), {
    bool: ['force', 'unique', 'start', 'live-restore'],
    str: ['storage', 'bwlimit', 'pool'],
  });
  if (!pos[0]) throw new PveError(`400 not enough arguments\n${usage}`);
  const vmid = parseVmid(pos[1], usage);
  const rc = await restoreQemu(ctx, pos[0], vmid, opts);
  if (rc === 0 && isTrue(opts.start)) {
    const g = findGuest(ctx.cluster, vmid);
    if (g) {
      g.status = 'running';
      g.startedAt = ctx.world.now();
    }
  }
  return rc;
});
