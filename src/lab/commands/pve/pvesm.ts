/** `pvesm status`, `pvesm list STORAGE [--content backup] [--vmid N]` and `pveversion`. */
import { parseArgs } from './args.js';
import { PveError } from './cluster.js';
import { pveCommand, type PveCtx } from './common.js';
import { KERNEL, PVE_VERSION } from './api.js';
import { basename, storagesOf } from './storage.js';
import { nodeUp } from './cluster.js';

export const pvesm = pveCommand((ctx) => {
  const [, sub, ...rest] = ctx.argv;
  if (sub === 'list') return listVolumes(ctx, rest);
  if (sub !== 'status') {
    if (sub === undefined || sub === 'help') {
      ctx.out('USAGE: pvesm list <storage> [OPTIONS]\nUSAGE: pvesm status  [OPTIONS]\n');
      return sub ? 0 : 255;
    }
    throw new PveError(`unknown command 'pvesm ${sub}'`);
  }
  const { opts } = parseArgs(rest, { bool: ['enabled'], str: ['storage', 'content', 'target'] });
  let list = storagesOf(ctx.world, ctx.machine, ctx.cluster);
  if (opts.storage) {
    list = list.filter((s) => s.name === opts.storage);
    if (!list.length) throw new PveError(`storage '${opts.storage}' does not exist`);
  }
  if (opts.content) list = list.filter((s) => s.content.split(',').includes(opts.content));
  for (const s of list) if (!s.active) ctx.err(`storage '${s.name}' is not online\n`);
  const w = Math.max(...list.map((s) => s.name.length), 4) + 2;
  let out = `${'Name'.padEnd(w)} ${'Type'.padStart(10)} ${'Status'.padStart(10)} ${'Total'.padStart(15)} ${'Used'.padStart(15)} ${'Available'.padStart(15)} ${'%'.padStart(8)}\n`;
  for (const s of list) {
    const kib = (b: number) => String(Math.floor(b / 1024));
    const pct = s.totalBytes ? ((s.usedBytes / s.totalBytes) * 100).toFixed(2) : '0.00';
    out += `${s.name.padEnd(w)} ${s.type.padStart(10)} ${(s.active ? 'active' : 'inactive').padStart(10)} ${kib(s.totalBytes).padStart(15)} ${kib(s.usedBytes).padStart(15)} ${kib(Math.max(0, s.totalBytes - s.usedBytes)).padStart(15)} ${`${pct}%`.padStart(8)}\n`;
  }
  ctx.out(out);
  return 0;
});

export const pveversion = pveCommand((ctx) => {
  const { opts } = parseArgs(ctx.argv.slice(1), { bool: ['verbose'] });
  ctx.out(`${PVE_VERSION} (running kernel: ${KERNEL})\n`);
  if (opts.verbose === '1') {
    ctx.out(`proxmox-ve: 8.2.0 (running kernel: ${KERNEL})\n${PVE_VERSION.replace('/', ': ').replace(/\/.*$/, '')}\npve-kernel-helper: 8.1.0\nqemu-server: 8.2.4\npve-ha-manager: 4.0.5\npve-cluster: 8.0.7\ncorosync: 3.1.7-pve3\nzfsutils-linux: 2.2.6-pve1\n`);
  }
  return 0;
});

/** `pvesm list STORAGE`: the volumes of a storage; the lab knows the backup boxes' archives (sorted by volid, as pvesm does). */
function listVolumes(ctx: PveCtx, rest: string[]): number {
  const { pos, opts } = parseArgs(rest, { bool: [], str: ['content', 'vmid'] });
  const storage = pos[0];
  if (!storage) throw new PveError('400 not enough arguments\nUSAGE: pvesm list <storage> [OPTIONS]');
  const st = storagesOf(ctx.world, ctx.machine, ctx.cluster).find((s) => s.name === storage);
  if (!st) throw new PveError(`storage '${storage}' does not exist`);
  if (!st.active || (ctx.world.backups.has(storage) && !nodeUp(ctx.world, storage))) throw new PveError(`storage '${storage}' is not online`);
  const rows = (ctx.world.backups.get(storage) ?? [])
    .filter((b) => !opts.content || opts.content === 'backup')
    .filter((b) => !opts.vmid || String(b.vmid) === opts.vmid)
    .map((b) => {
      const name = basename(b.path);
      const format = name.replace(/^.*?\.(vma|tar)/, '$1');
      return { volid: `${storage}:backup/${name}`, format, size: String(b.sizeBytes), vmid: String(b.vmid) };
    })
    .sort((a, b) => (a.volid < b.volid ? -1 : a.volid > b.volid ? 1 : 0));
  const w = Math.max(5, ...rows.map((r) => r.volid.length));
  const fw = Math.max(6, ...rows.map((r) => r.format.length));
  let out = `${'Volid'.padEnd(w)} ${'Format'.padEnd(fw)}  ${'Type'.padEnd(8)} ${'Size'.padStart(15)} VMID\n`;
  for (const r of rows) out += `${r.volid.padEnd(w)} ${r.format.padEnd(fw)}  ${'backup'.padEnd(8)} ${r.size.padStart(15)} ${r.vmid}\n`;
  ctx.out(out);
  return 0;
}
