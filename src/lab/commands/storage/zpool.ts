/** `zpool` (OpenZFS 2.2): status [-x] [-P] [-L] [POOL], list [-H] [-p] [-o], replace [-f] [-w], online, offline, clear. */
import type { CmdContext } from '../../shell/types.js';
import type { LabMachine, ZfsVdevDisk, ZPool } from '../../state.js';
import { ctime, hms, partName, resolveBlock, stripDev } from './devices.js';
import {
  configRows, finishResilvers, lastResilver, poolHealth, RESILVER_BPS, resilverProgress, vdevPartNo, zfsNice,
} from './zfs.js';

function statusBlock(pool: ZPool, now: number): string {
  const rows = configRows(pool);
  const disks = rows.filter((r) => r.disk).map((r) => r.disk!);
  const health = rows[0]!.state;
  let s = `  pool: ${pool.name}\n state: ${health}\n`;
  if (pool.resilver) {
    s += 'status: One or more devices is currently being resilvered.  The pool will\n\tcontinue to function, possibly in a degraded state.\naction: Wait for the resilver to complete.\n';
  } else if (disks.some((d) => d.state === 'FAULTED')) {
    s += "status: One or more devices are faulted in response to persistent errors.\n\tSufficient replicas exist for the pool to continue functioning in a\n\tdegraded state.\naction: Replace the faulted device, or use 'zpool clear' to mark the device\n\trepaired.\n";
  } else if (disks.some((d) => d.state === 'UNAVAIL' || d.state === 'REMOVED')) {
    s += "status: One or more devices could not be used because the label is missing or\n\tinvalid.  Sufficient replicas exist for the pool to continue\n\tfunctioning in a degraded state.\naction: Replace the device using 'zpool replace'.\n   see: https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-4J\n";
  } else if (disks.some((d) => d.state === 'OFFLINE')) {
    s += "status: One or more devices has been taken offline by the administrator.\n\tSufficient replicas exist for the pool to continue functioning in a\n\tdegraded state.\naction: Online the device using 'zpool online' or replace the device with\n\t'zpool replace'.\n";
  } else if (disks.some((d) => d.readErrors + d.writeErrors + d.cksumErrors > 0)) {
    s += "status: One or more devices has experienced an unrecoverable error.  An\n\tattempt was made to correct the error.  Applications are unaffected.\naction: Determine if the device needs to be replaced, and clear the errors\n\tusing 'zpool clear' or replace the device with 'zpool replace'.\n   see: https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-9P\n";
  }
  const p = resilverProgress(pool, now);
  const last = lastResilver.get(pool);
  if (p && pool.resilver) {
    const rate = (b: number) => (p.elapsedS > 0 ? zfsNice(b / p.elapsedS) : '0B');
    s += `  scan: resilver in progress since ${ctime(pool.resilver.startedAt)}\n`;
    s += `\t${zfsNice(p.scanned)} / ${zfsNice(p.total)} scanned at ${rate(p.scanned)}/s, ${zfsNice(p.issued)} / ${zfsNice(p.total)} issued at ${rate(p.issued)}/s\n`;
    s += `\t${zfsNice(p.issued)} resilvered, ${(p.fraction * 100).toFixed(2)}% done, ${p.issued > 0 ? `${hms(p.remainingS)} to go` : 'no estimated completion time'}\n`;
  } else if (last && (!pool.lastScrub || last.endedAt > pool.lastScrub)) {
    s += `  scan: resilvered ${zfsNice(last.bytes)} in ${hms(last.durationS)} with 0 errors on ${ctime(last.endedAt)}\n`;
  } else if (pool.lastScrub) {
    const dur = Math.round(pool.allocBytes / (1.5 * 1024 ** 3));
    s += `  scan: scrub repaired 0B in ${hms(dur)} with 0 errors on ${ctime(pool.lastScrub)}\n`;
  }
  return s;
}

function displayName(m: LabMachine, d: ZfsVdevDisk, full: boolean, real: boolean): string {
  if (real) {
    const n = vdevPartNo(d);
    return n ? partName(d.disk, n) : d.disk;
  }
  if (!full) return d.name;
  return /^(ata|nvme|wwn|scsi)-/.test(d.name) ? `/dev/disk/by-id/${d.name}` : `/dev/${d.name}`;
}

export function zpoolStatusText(m: LabMachine, pool: ZPool, now: number, opts: { full?: boolean; real?: boolean } = {}): string {
  const rows = configRows(pool).map((r) => ({ ...r, shown: r.disk ? displayName(m, r.disk, !!opts.full, !!opts.real) : r.name }));
  const nameWidth = Math.max(10, ...rows.map((r) => r.depth + r.shown.length));
  let s = statusBlock(pool, now);
  s += 'config:\n\n';
  s += `\t${'NAME'.padEnd(nameWidth)}  ${'STATE'.padEnd(8)} ${'READ'.padStart(5)} ${'WRITE'.padStart(5)} ${'CKSUM'.padStart(5)}\n`;
  for (const r of rows) {
    const d = r.disk;
    const errs = [d?.readErrors ?? 0, d?.writeErrors ?? 0, d?.cksumErrors ?? 0].map((e) => zfsNice(e, false).padStart(5)).join(' ');
    let aux = '';
    if (d?.state === 'FAULTED') aux = '  too many errors';
    else if (d?.state === 'UNAVAIL') aux = '  cannot open';
    if (r.resilvering) aux += '  (resilvering)';
    s += `\t${' '.repeat(r.depth)}${r.shown.padEnd(nameWidth - r.depth)}  ${r.state.padEnd(8)} ${errs}${aux}\n`;
  }
  s += '\nerrors: No known data errors\n';
  return s;
}

function findPool(m: LabMachine, name: string | undefined): ZPool | undefined {
  return m.zpools.find((p) => p.name === name);
}

function findVdevDisk(pool: ZPool, path: string): ZfsVdevDisk | undefined {
  const s = stripDev(path);
  for (const v of pool.vdevs) for (const d of v.disks) if (d.name === s || d.name === path) return d;
  return undefined;
}

/** The mirror vdev a disk belongs to. */
function vdevOf(pool: ZPool, d: ZfsVdevDisk) {
  return pool.vdevs.find((v) => v.disks.includes(d))!;
}

export function zpool(ctx: CmdContext): number | Promise<number> {
  const [sub, ...args] = ctx.argv.slice(1);
  switch (sub) {
    case 'status': return status(ctx, args);
    case 'list': return list(ctx, args);
    case 'replace': return replace(ctx, args);
    case 'online': return onOff(ctx, args, true);
    case 'offline': return onOff(ctx, args, false);
    case 'clear': return clear(ctx, args);
    case undefined:
      ctx.err('missing command\nusage: zpool command args ...\nwhere \'command\' is one of the following:\n\n\tstatus [-x] [-P] [-L] [pool] ...\n\tlist [-H] [-p] [-o field[,...]] [pool] ...\n\treplace [-f] [-w] <pool> <device> [new-device]\n\tonline <pool> <device> ...\n\toffline <pool> <device> ...\n\tclear <pool> [device]\n');
      return 2;
    default:
      ctx.err(`unrecognized command '${sub}'\nusage: zpool command args ...\n`);
      return 2;
  }
}

function status(ctx: CmdContext, args: string[]): number {
  const m = ctx.machine;
  const now = ctx.world.now();
  let onlyUnhealthy = false, full = false, real = false;
  const names: string[] = [];
  for (const a of args) {
    if (/^-[xPLvgDitTe]+$/.test(a)) {
      if (a.includes('x')) onlyUnhealthy = true;
      if (a.includes('P')) full = true;
      if (a.includes('L')) real = true;
    } else if (a.startsWith('-')) {
      ctx.err(`invalid option '${a.slice(1, 2)}'\nusage:\n\tstatus [-c [script1,script2,...]] [-igLpPstvxD]  [-T d|u] [pool] ... \n\t    [interval [count]]\n`);
      return 2;
    } else names.push(a);
  }
  for (const n of names) {
    if (!findPool(m, n)) {
      ctx.err(`cannot open '${n}': no such pool\n`);
      return 1;
    }
  }
  let pools = names.length ? names.map((n) => findPool(m, n)!) : m.zpools;
  if (m.zpools.length === 0) {
    ctx.out('no pools available\n');
    return 0;
  }
  if (onlyUnhealthy) {
    pools = pools.filter((p) => poolHealth(p) !== 'ONLINE' || p.resilver || p.vdevs.some((v) => v.disks.some((d) => d.readErrors + d.writeErrors + d.cksumErrors > 0)));
    if (pools.length === 0) {
      ctx.out(names.length ? `pool '${names[0]}' is healthy\n` : 'all pools are healthy\n');
      return 0;
    }
  }
  ctx.out(pools.map((p) => zpoolStatusText(m, p, now, { full, real })).join('\n'));
  return 0;
}

const LIST_COLS = ['NAME', 'SIZE', 'ALLOC', 'FREE', 'CKPOINT', 'EXPANDSZ', 'FRAG', 'CAP', 'DEDUP', 'HEALTH', 'ALTROOT'];

function list(ctx: CmdContext, args: string[]): number {
  const m = ctx.machine;
  let scripted = false, parsable = false;
  let cols = LIST_COLS;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o') cols = (args[++i] ?? '').split(',').map((c) => c.toUpperCase());
    else if (/^-[Hpv]+$/.test(a)) {
      if (a.includes('H')) scripted = true;
      if (a.includes('p')) parsable = true;
    } else if (a.startsWith('-')) {
      ctx.err(`invalid option '${a.slice(1, 2)}'\n`);
      return 2;
    } else names.push(a);
  }
  const bad = cols.find((c) => !LIST_COLS.includes(c) && c !== 'CAPACITY' && c !== 'FRAGMENTATION');
  if (bad) {
    ctx.err(`invalid property '${bad.toLowerCase()}'\n`);
    return 2;
  }
  for (const n of names) if (!findPool(m, n)) {
    ctx.err(`cannot open '${n}': no such pool\n`);
    return 1;
  }
  const pools = names.length ? names.map((n) => findPool(m, n)!) : m.zpools;
  if (pools.length === 0) {
    ctx.out('no pools available\n');
    return 0;
  }
  const num = (n: number) => (parsable ? String(n) : zfsNice(n, false));
  const rows = pools.map((p) => {
    const cap = Math.floor((p.allocBytes / p.sizeBytes) * 100);
    const vals: Record<string, string> = {
      NAME: p.name, SIZE: num(p.sizeBytes), ALLOC: num(p.allocBytes), FREE: num(p.sizeBytes - p.allocBytes), CKPOINT: '-', EXPANDSZ: '-',
      FRAG: parsable ? String(Math.round(cap / 5)) : `${Math.round(cap / 5)}%`, CAP: parsable ? String(cap) : `${cap}%`, DEDUP: parsable ? '1.00' : '1.00x',
      HEALTH: poolHealth(p), ALTROOT: '-',
    };
    vals['CAPACITY'] = vals['CAP']!;
    vals['FRAGMENTATION'] = vals['FRAG']!;
    return cols.map((c) => vals[c]!);
  });
  if (scripted) {
    for (const r of rows) ctx.out(r.join('\t') + '\n');
    return 0;
  }
  const all = [cols, ...rows];
  const minWidth = (c: string) => (c === 'HEALTH' ? 8 : c === 'NAME' || c === 'ALTROOT' ? 0 : 5);
  const w = cols.map((c, i) => Math.max(minWidth(c), ...all.map((r) => r[i]!.length)));
  for (const r of all) ctx.out(r.map((v, i) => (i === 0 || cols[i] === 'ALTROOT' ? v.padEnd(w[i]!) : v.padStart(w[i]!))).join('  ').trimEnd() + '\n');
  return 0;
}

async function replace(ctx: CmdContext, args: string[]): Promise<number> {
  const m = ctx.machine;
  let force = false, wait = false;
  const pos: string[] = [];
  for (const a of args) {
    if (/^-[fsw]+$/.test(a)) {
      if (a.includes('f')) force = true;
      if (a.includes('w')) wait = true;
    } else if (a.startsWith('-')) {
      ctx.err(`invalid option '${a.slice(1, 2)}'\nusage:\n\treplace [-fsw] [-o property=value] <pool> <device> [new-device]\n`);
      return 2;
    } else pos.push(a);
  }
  const [poolName, oldPath, newArg] = pos;
  if (!poolName || !oldPath) {
    ctx.err(`missing ${poolName ? 'device' : 'pool name'} argument\nusage:\n\treplace [-fsw] [-o property=value] <pool> <device> [new-device]\n`);
    return 2;
  }
  const pool = findPool(m, poolName);
  if (!pool) {
    ctx.err(`cannot open '${poolName}': no such pool\n`);
    return 1;
  }
  const newPath = newArg ?? oldPath;
  const old = findVdevDisk(pool, oldPath);
  if (!old) {
    ctx.err(`cannot replace ${oldPath} with ${newPath}: no such device in pool\n`);
    return 1;
  }
  if (pool.resilver?.replacing) {
    ctx.err(`cannot replace ${oldPath} with ${newPath}: already in replacing/spare config; wait for completion or use 'zpool detach'\n`);
    return 1;
  }
  const blk = resolveBlock(m, newPath);
  if (!blk) {
    ctx.err(`cannot open '${newPath}': no such device in /dev\nmust be a full path or shorthand device name\n`);
    return 1;
  }
  // Is the new device already part of an active pool (other than the member it replaces, still present)?
  for (const p of m.zpools) for (const v of p.vdevs) for (const d of v.disks) {
    if (d.disk !== blk.disk.dev || d.state === 'UNAVAIL' || d.state === 'REMOVED') continue;
    if ((blk.part ? vdevPartNo(d) === blk.part.n : true) && !(d === old && newArg === undefined)) {
      ctx.err(`invalid vdev specification\nthe following errors must be manually repaired:\n/dev/${blk.name} is part of active pool '${p.name}'\n`);
      return 1;
    }
  }
  if (!blk.part && blk.disk.label && blk.disk.label.partitions.length > 0 && !force) {
    ctx.err(`invalid vdev specification\nuse '-f' to override the following errors:\n/dev/${blk.name}1 contains a filesystem of type 'vfat'\n`);
    return 1;
  }
  const newSize = blk.part ? blk.part.sizeSectors * 512 : blk.disk.sizeBytes;
  if (newSize < pool.sizeBytes * 0.9) {
    ctx.err(`cannot replace ${oldPath} with ${newPath}: device is too small\n`);
    return 1;
  }
  const now = ctx.world.now();
  const newName = stripDev(newPath);
  if (newName === old.name) old.name = `${old.name}/old`;
  const nd: ZfsVdevDisk = { name: newName, disk: blk.disk.dev, state: 'ONLINE', readErrors: 0, writeErrors: 0, cksumErrors: 0 };
  const v = vdevOf(pool, old);
  v.disks.splice(v.disks.indexOf(old) + 1, 0, nd);
  const durationMs = Math.ceil((pool.allocBytes / RESILVER_BPS) * 1000);
  pool.resilver = { startedAt: now, durationMs, replacing: { old: old.name, new: newName } };
  if (wait) {
    await ctx.sleep(durationMs);
    finishResilvers(m, ctx.world.now());
  }
  return 0;
}

function onOff(ctx: CmdContext, args: string[], online: boolean): number {
  const m = ctx.machine;
  const pos = args.filter((a) => !a.startsWith('-'));
  const [poolName, ...devs] = pos;
  const verb = online ? 'online' : 'offline';
  if (!poolName || devs.length === 0) {
    ctx.err(`missing ${poolName ? 'device name' : 'pool name'}\nusage:\n\t${verb} ${online ? '[-e] ' : '[-f] [-t] '}<pool> <device> ...\n`);
    return 2;
  }
  const pool = findPool(m, poolName);
  if (!pool) {
    ctx.err(`cannot open '${poolName}': no such pool\n`);
    return 1;
  }
  for (const p of devs) {
    const d = findVdevDisk(pool, p);
    if (!d) {
      ctx.err(`cannot ${verb} ${p}: no such device in pool\n`);
      return 1;
    }
    const backing = m.disks.find((x) => x.dev === d.disk && !x.gone);
    if (online) {
      if (!backing || backing.failed || d.state === 'UNAVAIL' || d.state === 'FAULTED') {
        ctx.err(`warning: device '${p}' onlined, but remains in faulted state\nuse 'zpool replace' to replace devices that are no longer present\n`);
        continue;
      }
      if (d.state === 'OFFLINE') {
        d.state = 'ONLINE';
        if (!pool.resilver) pool.resilver = { startedAt: ctx.world.now(), durationMs: 5000 };
      }
    } else {
      const v = vdevOf(pool, d);
      const others = v.disks.filter((x) => x !== d && x.state === 'ONLINE');
      if (d.state === 'ONLINE' && others.length === 0) {
        ctx.err(`cannot offline ${p}: no valid replicas\n`);
        return 1;
      }
      d.state = 'OFFLINE';
    }
  }
  return 0;
}

function clear(ctx: CmdContext, args: string[]): number {
  const m = ctx.machine;
  const [poolName, dev] = args.filter((a) => !a.startsWith('-'));
  const pool = findPool(m, poolName);
  if (!pool) {
    ctx.err(poolName ? `cannot open '${poolName}': no such pool\n` : 'missing pool name\n');
    return poolName ? 1 : 2;
  }
  const targets = dev ? [findVdevDisk(pool, dev)] : pool.vdevs.flatMap((v) => v.disks);
  if (dev && !targets[0]) {
    ctx.err(`cannot clear errors for ${dev}: no such device in pool\n`);
    return 1;
  }
  for (const d of targets) {
    if (!d) continue;
    d.readErrors = d.writeErrors = d.cksumErrors = 0;
    const backing = m.disks.find((x) => x.dev === d.disk && !x.gone);
    if (d.state === 'FAULTED' && backing && !backing.failed) d.state = 'ONLINE';
  }
  return 0;
}
