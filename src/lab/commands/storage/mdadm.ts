/** `mdadm`: --detail [--test|--scan], --examine, manage mode (--fail/--remove/--add/--re-add/--replace), --zero-superblock. */
import type { CmdContext } from '../../shell/types.js';
import type { LabMachine, MdArray, MdMember } from '../../state.js';
import { resolveBlock, splitPartName, stripDev } from './devices.js';
import {
  activeCount, bumpEvents, fillFromSpare, findArray, hasBitmap, memberOf, nextNumber,
  setDescNumber, startRecovery,
} from './md.js';
import { mdDetailText, mdExamineText, mdHumanSize, mdTestStatus, scanLine } from './mdadmText.js';

type DevMode = 'fail' | 'remove' | 'add' | 're-add' | 'replace' | 'with';

export { mdDetailText, mdExamineText, mdHumanSize, mdState, mdTestStatus } from './mdadmText.js';

/** Superblocks left on partitions removed from an array: machine → `serial:partN` → array name. */
const leftSuperblocks = new WeakMap<LabMachine, Map<string, string>>();
/** Members marked with --replace that wait for a spare. */
const wantReplacement = new WeakSet<MdMember>();

function sbKey(m: LabMachine, dev: string): string | undefined {
  const { disk, n } = splitPartName(dev);
  const d = m.disks.find((x) => x.dev === disk && !x.gone);
  return d ? `${d.serial}:${n}` : undefined;
}

function rememberSuperblock(m: LabMachine, dev: string, array: string): void {
  const k = sbKey(m, dev);
  if (!k) return;
  let map = leftSuperblocks.get(m);
  if (!map) leftSuperblocks.set(m, (map = new Map()));
  map.set(k, array);
}

function leftSuperblock(m: LabMachine, dev: string): string | undefined {
  const k = sbKey(m, dev);
  return k ? leftSuperblocks.get(m)?.get(k) : undefined;
}

function forgetSuperblock(m: LabMachine, dev: string): void {
  const k = sbKey(m, dev);
  if (k) leftSuperblocks.get(m)?.delete(k);
}

/** mdadm's human_size: `(464.68 GiB 498.95 GB)`. */

const DEVMODES: Record<string, DevMode> = {
  '--fail': 'fail', '-f': 'fail', '--set-faulty': 'fail',
  '--remove': 'remove', '-r': 'remove',
  '--add': 'add', '-a': 'add',
  '--re-add': 're-add',
  '--replace': 'replace',
  '--with': 'with',
};

type Mode = 'detail' | 'examine' | 'manage' | 'zero' | 'misc';

export function mdadm(ctx: CmdContext): number {
  const m = ctx.machine;
  const now = ctx.world.now();
  let mode: Mode | undefined;
  let devmode: DevMode | undefined;
  let test = false;
  let scan = false;
  const devs: { path: string; op?: DevMode }[] = [];
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '--detail' || arg === '-D') mode = 'detail';
    else if (arg === '--examine' || arg === '-E') mode = 'examine';
    else if (arg === '--manage') mode = 'manage';
    else if (arg === '--misc') mode ??= 'misc';
    else if (arg === '--zero-superblock') mode = 'zero';
    else if (arg === '--test' || arg === '-t') test = true;
    else if (arg === '--scan' || arg === '-s') scan = true;
    else if (['--verbose', '-v', '--quiet', '-q', '--brief', '-b', '--force'].includes(arg)) continue;
    else if (arg in DEVMODES && (mode === undefined || mode === 'manage')) {
      devmode = DEVMODES[arg];
      mode = 'manage';
    } else if (arg.startsWith('-')) {
      ctx.err(`mdadm: unrecognized option '${arg}'\nUsage: mdadm --help\n  for help\n`);
      return 2;
    } else devs.push({ path: arg, op: devmode });
  }
  if (mode === undefined && devs.length === 0) {
    ctx.err('Usage: mdadm --help\n  for help\n');
    return 2;
  }
  switch (mode) {
    case 'detail':
      return detail(ctx, devs.map((d) => d.path), test, scan, now);
    case 'examine':
      return examine(ctx, devs.map((d) => d.path), now);
    case 'zero':
      return zero(ctx, devs.map((d) => d.path));
    case 'manage':
      return manage(ctx, devs, now);
    default:
      if (devs.length === 1) {
        // `mdadm /dev/md0` alone: the short query form.
        const a = findArray(m, devs[0]!.path);
        if (!a) {
          ctx.err(`mdadm: cannot open ${devs[0]!.path}: No such file or directory\n`);
          return 1;
        }
        const size = mdHumanSize(a.blocks).replace(/^ \((\S+ \S+).*$/, '$1');
        ctx.out(`/dev/${a.name}: ${size} raid1 ${a.raidDisks} devices, ${a.members.filter((x) => x.state === 'spare').length} spares. Use mdadm --detail for more detail.\n`);
        return 0;
      }
      ctx.err('mdadm: No devices given.\n');
      return 2;
  }
}

function detail(ctx: CmdContext, paths: string[], test: boolean, scan: boolean, now: number): number {
  const m = ctx.machine;
  if (scan) {
    const arrays = paths.length ? paths.map((p) => findArray(m, p)).filter((a): a is MdArray => !!a) : m.md;
    for (const a of [...arrays].sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }))) ctx.out(scanLine(m, a));
    return 0;
  }
  if (paths.length === 0) {
    ctx.err('mdadm: No devices given.\n');
    return 2;
  }
  let rv = 0;
  for (const p of paths) {
    const a = findArray(m, p);
    if (!a) {
      const blk = resolveBlock(m, p);
      ctx.err(blk ? `mdadm: ${p} does not appear to be an md device\n` : `mdadm: cannot open ${p}: No such file or directory\n`);
      rv |= test ? 4 : 1;
      continue;
    }
    ctx.out(mdDetailText(m, a, now));
    if (test) rv |= mdTestStatus(a);
  }
  return rv;
}

function examine(ctx: CmdContext, paths: string[], now: number): number {
  const m = ctx.machine;
  let rv = 0;
  for (const p of paths) {
    const blk = resolveBlock(m, p);
    if (!blk) {
      ctx.err(`mdadm: cannot open ${p}: No such file or directory\n`);
      rv = 1;
      continue;
    }
    const mem = memberOf(m, blk.name);
    const leftName = mem ? undefined : leftSuperblock(m, blk.name);
    const a = mem?.array ?? (leftName ? m.md.find((x) => x.name === leftName) : undefined);
    if (!a) {
      ctx.err(`mdadm: No md superblock detected on ${p}.\n`);
      rv = 1;
      continue;
    }
    ctx.out(mdExamineText(m, blk.name, a, now));
  }
  return rv;
}

function zero(ctx: CmdContext, paths: string[]): number {
  const m = ctx.machine;
  for (const p of paths) {
    const blk = resolveBlock(m, p);
    if (!blk) {
      ctx.err(`mdadm: Couldn't open ${p} for write - not zeroing\n`);
      return 1;
    }
    if (memberOf(m, blk.name)) {
      ctx.err(`mdadm: Couldn't open ${p} for write - not zeroing\n`);
      return 1;
    }
    if (!leftSuperblock(m, blk.name)) {
      ctx.err(`mdadm: Unrecognised md component device - ${p}\n`);
      return 1;
    }
    forgetSuperblock(m, blk.name);
  }
  return 0;
}

function manage(ctx: CmdContext, devs: { path: string; op?: DevMode }[], now: number): number {
  const m = ctx.machine;
  const first = devs[0];
  if (!first) {
    ctx.err('mdadm: No devices given.\n');
    return 2;
  }
  const a = findArray(m, first.path);
  if (!a) {
    ctx.err(`mdadm: error opening ${first.path}: No such file or directory\n`);
    return 1;
  }
  const md = `/dev/${a.name}`;
  let lastReplaced: MdMember | undefined;
  for (const { path, op } of devs.slice(1)) {
    if (!op) {
      ctx.err(`mdadm: No changes requested for ${path}\n`);
      return 1;
    }
    if (op === 'remove' && (path === 'failed' || path === 'detached')) {
      for (const mb of [...a.members]) {
        const gone = !m.disks.some((d) => d.dev === splitPartName(mb.dev).disk && !d.gone);
        if ((path === 'failed' && mb.state === 'faulty') || (path === 'detached' && gone && mb.state !== 'active')) {
          rememberSuperblock(m, mb.dev, a.name);
          a.members.splice(a.members.indexOf(mb), 1);
          ctx.err(`mdadm: hot removed ${mb.dev} from ${md}\n`);
        }
      }
      bumpEvents(a);
      continue;
    }
    const name = stripDev(path);
    const mb = a.members.find((x) => x.dev === name || `/dev/${x.dev}` === path);
    switch (op) {
      case 'fail': {
        if (!mb) {
          if (!resolveBlock(m, path)) ctx.err(`mdadm: stat failed for ${path}: No such file or directory\n`);
          else ctx.err(`mdadm: set device faulty failed for ${path}:  No such device\n`);
          return 1;
        }
        if (mb.state === 'active' && activeCount(a) <= 1 && a.members.filter((x) => x.slot === mb.slot && x.state === 'active').length === 1) {
          ctx.err(`mdadm: set device faulty failed for ${path}:  Device or resource busy\n`);
          // Manage_subdevs: an EBUSY from --fail makes the exit status 2.
          return 2;
        }
        if (mb.state === 'rebuilding') delete a.recovery;
        mb.state = 'faulty';
        bumpEvents(a);
        ctx.err(`mdadm: set ${path} faulty in ${md}\n`);
        if (fillFromSpare(a)) startRecovery(m, a, now);
        break;
      }
      case 'remove': {
        if (!mb) {
          ctx.err(`mdadm: hot remove failed for ${path}: No such device or address\n`);
          return 1;
        }
        if (mb.state === 'active' || mb.state === 'rebuilding') {
          ctx.err(`mdadm: hot remove failed for ${path}: Device or resource busy\n`);
          return 1;
        }
        rememberSuperblock(m, mb.dev, a.name);
        a.members.splice(a.members.indexOf(mb), 1);
        bumpEvents(a);
        ctx.err(`mdadm: hot removed ${path} from ${md}\n`);
        break;
      }
      case 'add':
      case 're-add':
      case 'with': {
        const blk = resolveBlock(m, path);
        if (!blk || !blk.part) {
          ctx.err(`mdadm: stat failed for ${path}: No such file or directory\n`);
          return 1;
        }
        if (memberOf(m, blk.name)) {
          if (op === 'with') {
            const w = a.members.find((x) => x.dev === blk.name && x.state === 'spare');
            if (w && lastReplaced) {
              w.state = 'rebuilding';
              w.slot = lastReplaced.slot;
              wantReplacement.delete(lastReplaced);
              if (!a.recovery) startRecovery(m, a, now);
              ctx.err(`mdadm: Marked ${path} in ${md} as replacement for device ${lastReplaced.slot}\n`);
              break;
            }
          }
          ctx.err(`mdadm: Cannot open ${path}: Device or resource busy\n`);
          return 1;
        }
        if (op === 'with') {
          ctx.err(`mdadm: ${path} is not a spare in ${md}\n`);
          return 1;
        }
        if (blk.disk.failed) {
          ctx.err(`mdadm: add new device failed for ${path} as ${nextNumber(a)}: Input/output error\n`);
          return 1;
        }
        if (blk.part.sizeSectors / 2 < a.blocks) {
          ctx.err(`mdadm: ${path} not large enough to join array\n`);
          return 1;
        }
        const readd = leftSuperblock(m, blk.name) === a.name;
        if (op === 're-add' && !readd) {
          ctx.err(`mdadm: --re-add for ${path} to ${md} is not possible\n`);
          return 1;
        }
        forgetSuperblock(m, blk.name);
        const number = nextNumber(a);
        const member: MdMember = { dev: blk.name, slot: number, state: 'spare' };
        setDescNumber(member, number);
        a.members.push(member);
        bumpEvents(a);
        const waiting = a.members.find((x) => wantReplacement.has(x) && x.state === 'active');
        if (fillFromSpare(a)) {
          startRecovery(m, a, now);
          // With a write-intent bitmap a re-added member only copies what changed meanwhile.
          if (readd && hasBitmap(a) && a.recovery) a.recovery.durationMs = Math.ceil(a.recovery.durationMs / 100);
        } else if (waiting && !a.recovery) {
          member.state = 'rebuilding';
          member.slot = waiting.slot;
          wantReplacement.delete(waiting);
          startRecovery(m, a, now);
        }
        ctx.err(`mdadm: ${readd ? 're-added' : 'added'} ${path}\n`);
        break;
      }
      case 'replace': {
        if (!mb || mb.state !== 'active') {
          ctx.err(`mdadm: Marked ${path} (device ${mb?.slot ?? '-'} in ${md}) for replacement\nmdadm: ${path} is not an active member of ${md}\n`);
          return 1;
        }
        ctx.err(`mdadm: Marked ${path} (device ${mb.slot} in ${md}) for replacement\n`);
        lastReplaced = mb;
        const spare = a.members.find((x) => x.state === 'spare');
        const withNext = devs.some((d) => d.op === 'with');
        if (spare && !withNext && !a.recovery) {
          spare.state = 'rebuilding';
          spare.slot = mb.slot;
          startRecovery(m, a, now);
        } else wantReplacement.add(mb);
        break;
      }
    }
  }
  return 0;
}
