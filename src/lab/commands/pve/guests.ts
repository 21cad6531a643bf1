/** Guest operations shared by qm and pct (start, stop, shutdown, config text). */
import type { LabGuest } from '../../state.js';
import { guestUptime, PveError } from './cluster.js';
import { requireQuorum, type PveCtx } from './common.js';
import { configSize, fakeUuid, guestMac } from './format.js';
import { haConverge, startBlocker } from './ha.js';

const MiB = 1024 ** 2;

/** `VM 100` / `CT 200`. */
export function label(g: LabGuest): string {
  return `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`;
}

export function diskVolume(g: LabGuest): string {
  return g.type === 'qemu' ? `${g.storage}:vm-${g.vmid}-disk-0` : `${g.storage}:subvol-${g.vmid}-disk-0`;
}

function checkLock(g: LabGuest): void {
  if (g.lock) throw new PveError(`${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${g.lock})`);
}

export async function startGuest(ctx: PveCtx, g: LabGuest): Promise<number> {
  requireQuorum(ctx);
  if (g.ha && g.ha !== 'ignored') {
    ctx.out(`Requesting HA start for ${label(g)}\n`);
    g.ha = 'started';
    haConverge(ctx.world, ctx.cluster);
    return 0;
  }
  if (g.status === 'running') throw new PveError(`${label(g)} already running`);
  checkLock(g);
  const why = startBlocker(ctx.world, ctx.cluster, g);
  if (why) throw new PveError(`${why}\nstart failed: ${label(g)} - storage for '${diskVolume(g)}' missing`);
  await ctx.sleep(g.type === 'qemu' ? 2_000 : 1_000);
  g.status = 'running';
  g.startedAt = ctx.world.now();
  return 0;
}

export async function stopGuest(ctx: PveCtx, g: LabGuest, graceful: boolean): Promise<number> {
  if (g.ha && g.ha !== 'ignored') {
    requireQuorum(ctx);
    ctx.out(`Requesting HA stop for ${label(g)}\n`);
    g.ha = 'stopped';
    haConverge(ctx.world, ctx.cluster);
    return 0;
  }
  if (g.status !== 'running') {
    if (graceful) throw new PveError(`${label(g)} not running`);
    return 0;
  }
  checkLock(g);
  await ctx.sleep(graceful ? 8_000 : 1_000);
  g.status = 'stopped';
  g.startedAt = undefined;
  return 0;
}

function ipWithPrefix(ip: string): string {
  return ip.includes('/') ? ip : `${ip}/24`;
}

/** `qm config` / `pct config` lines, keys sorted as PVE prints them. */
export function configLines(g: LabGuest, createdAt: number): string[] {
  const mem = Math.round(g.memBytes / MiB);
  const lines: Record<string, string> = {};
  if (g.type === 'qemu') {
    lines.boot = 'order=scsi0;net0';
    lines.cores = String(g.cpus);
    lines.cpu = 'x86-64-v2-AES';
    lines.memory = String(mem);
    lines.meta = `creation-qemu=9.0.2,ctime=${Math.floor(createdAt / 1000)}`;
    lines.name = g.name;
    lines.net0 = `virtio=${guestMac(g.vmid)},bridge=vmbr0,firewall=1`;
    lines.numa = '0';
    lines.onboot = '1';
    lines.ostype = 'l26';
    lines.scsi0 = `${diskVolume(g)},size=${configSize(g.diskBytes)}`;
    lines.scsihw = 'virtio-scsi-single';
    lines.smbios1 = `uuid=${fakeUuid(g.vmid)}`;
    lines.sockets = '1';
    lines.vmgenid = fakeUuid(g.vmid * 31 + 7);
  } else {
    lines.arch = 'amd64';
    lines.cores = String(g.cpus);
    lines.features = 'nesting=1';
    lines.hostname = g.name;
    lines.memory = String(mem);
    lines.net0 = `name=eth0,bridge=vmbr0,firewall=1,hwaddr=${guestMac(g.vmid)}${g.ip ? `,ip=${ipWithPrefix(g.ip)}` : ',ip=dhcp'},type=veth`;
    lines.onboot = '1';
    lines.ostype = 'debian';
    lines.rootfs = `${diskVolume(g)},size=${configSize(g.diskBytes)}`;
    lines.swap = '512';
    lines.unprivileged = '1';
  }
  if (g.lock) lines.lock = g.lock;
  return Object.keys(lines)
    .sort()
    .map((k) => `${k}: ${lines[k]}`);
}

/** Memory in use by a running guest (a stable share of its maximum). */
export function guestMemUsed(g: LabGuest): number {
  if (g.status !== 'running') return 0;
  return Math.floor(g.memBytes * (0.35 + ((g.vmid * 37) % 40) / 100));
}

/** CPU fraction in use by a running guest. */
export function guestCpu(g: LabGuest): number {
  if (g.status !== 'running') return 0;
  return Math.round((0.01 + ((g.vmid * 13) % 17) / 100) * 10000) / 10000;
}

export { guestUptime };

/** `qm destroy` / `pct destroy`: the guest must be stopped; HA-managed ones need --purge. */
export async function destroyGuest(ctx: PveCtx, g: LabGuest, purge: boolean): Promise<number> {
  requireQuorum(ctx);
  const what = g.type === 'qemu' ? 'VM' : 'CT';
  if (g.lock) throw new PveError(`${what} is locked (${g.lock})`);
  if (g.status === 'running') throw new PveError(`${label(g)} is running - destroy failed`);
  if (g.ha && !purge) {
    throw new PveError(`unable to remove ${what} ${g.vmid} - used in HA resources and purge parameter not set.`);
  }
  const vol = diskVolume(g);
  await ctx.sleep(1_500);
  ctx.out(`destroyed volume '${vol}'\n`);
  if (purge && g.ha) ctx.out(`purging ${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} from related configurations..\n`);
  const list = ctx.cluster.guests;
  list.splice(list.indexOf(g), 1);
  return 0;
}
