/** md RAID state helpers: recovery progress on the lab clock, starting and finishing recovery. */
import type { LabMachine, MdArray, MdMember } from '../../state.js';
import { splitPartName } from './devices.js';

/** Lab recovery speed in K/s (lab time) when nothing else is said. */
export const MD_RECOVERY_SPEED_KPS = 150_000;

/** Arrays bigger than this get an internal write-intent bitmap (mdadm's default, 100 GB). */
const BITMAP_MIN_BYTES = 100 * 1000 * 1000 * 1000;

export function hasBitmap(a: MdArray): boolean {
  return a.blocks * 1024 > BITMAP_MIN_BYTES;
}

export interface RecoveryProgress {
  /** Not started yet: waiting for another array on the same disks (`resync=DELAYED`). */
  delayed: boolean;
  /** 0..1. */
  fraction: number;
  /** 1K blocks done. */
  doneBlocks: number;
  /** Seconds left (lab time). */
  remainingS: number;
  speedKps: number;
}

export function recoveryProgress(a: MdArray, now: number): RecoveryProgress | undefined {
  const r = a.recovery;
  if (!r) return undefined;
  if (now < r.startedAt) return { delayed: true, fraction: 0, doneBlocks: 0, remainingS: r.durationMs / 1000, speedKps: r.speedKps };
  const fraction = r.durationMs <= 0 ? 1 : Math.min(1, (now - r.startedAt) / r.durationMs);
  const remainingS = Math.max(0, (r.startedAt + r.durationMs - now) / 1000);
  return { delayed: false, fraction, doneBlocks: Math.floor(a.blocks * fraction), remainingS, speedKps: r.speedKps };
}

/** Member in a role that counts as in sync. */
export function activeInRole(a: MdArray, role: number): MdMember | undefined {
  return a.members.find((mb) => mb.slot === role && mb.state === 'active');
}

export function activeCount(a: MdArray): number {
  let n = 0;
  for (let r = 0; r < a.raidDisks; r++) if (activeInRole(a, r)) n++;
  return n;
}

/** Physical disks an array's members sit on. */
function diskSet(a: MdArray): Set<string> {
  return new Set(a.members.filter((mb) => mb.state !== 'faulty').map((mb) => splitPartName(mb.dev).disk));
}

/**
 * Start a recovery onto `a`'s rebuilding member(s). Like the kernel, arrays sharing a physical disk
 * recover one after the other: the start waits for the last recovery on a shared disk to end.
 */
export function startRecovery(m: LabMachine, a: MdArray, now: number, speedKps = MD_RECOVERY_SPEED_KPS): void {
  const mine = diskSet(a);
  let start = now;
  for (const other of m.md) {
    if (other === a || !other.recovery) continue;
    const shared = [...diskSet(other)].some((d) => mine.has(d));
    if (shared) start = Math.max(start, other.recovery.startedAt + other.recovery.durationMs);
  }
  a.recovery = { startedAt: start, durationMs: Math.ceil((a.blocks / speedKps) * 1000), speedKps };
}

/** Finish recoveries whose lab time is over. Returns true when something changed. */
export function finishMdRecoveries(m: LabMachine, now: number): boolean {
  let changed = false;
  for (const a of m.md) {
    const r = a.recovery;
    if (!r || now < r.startedAt + r.durationMs) continue;
    for (const mb of a.members.filter((x) => x.state === 'rebuilding')) {
      // --replace: the member being replaced in the same role is marked faulty once the copy is done.
      for (const old of a.members) if (old !== mb && old.slot === mb.slot && old.state === 'active') old.state = 'faulty';
      mb.state = 'active';
    }
    delete a.recovery;
    bumpEvents(a);
    changed = true;
    // A spare can take over a role still empty.
    if (fillFromSpare(a)) startRecovery(m, a, now);
  }
  return changed;
}

/** If a role is empty and a spare waits, the kernel starts rebuilding onto it. */
export function fillFromSpare(a: MdArray): boolean {
  if (a.recovery) return false;
  for (let r = 0; r < a.raidDisks; r++) {
    if (a.members.some((mb) => mb.slot === r && (mb.state === 'active' || mb.state === 'rebuilding'))) continue;
    const spare = a.members.find((mb) => mb.state === 'spare');
    if (!spare) return false;
    spare.state = 'rebuilding';
    spare.slot = r;
    return true;
  }
  return false;
}

/**
 * Descriptor numbers (mdstat's `sdb2[2]`, --detail's Number). The shared state only has the role (`slot`); a
 * member added to a running array gets the first free number from raidDisks up, as the kernel does.
 */
const descNumbers = new WeakMap<MdMember, number>();

export function descNumber(mb: MdMember): number {
  return descNumbers.get(mb) ?? mb.slot;
}

/** Next free descriptor number for a new member. */
export function nextNumber(a: MdArray): number {
  let n = a.raidDisks;
  const used = new Set(a.members.map(descNumber));
  while (used.has(n)) n++;
  return n;
}

export function setDescNumber(mb: MdMember, n: number): void {
  descNumbers.set(mb, n);
}

const events = new WeakMap<MdArray, number>();

/** Superblock event counter (mdadm --detail `Events :`); not part of the shared state. */
export function eventsOf(a: MdArray): number {
  return events.get(a) ?? 1000 + a.members.length * 17 + (a.blocks % 97);
}

export function bumpEvents(a: MdArray): void {
  events.set(a, eventsOf(a) + 2);
}

/** `md1` → 1. */
export function mdMinor(a: MdArray): number {
  return Number(/\d+$/.exec(a.name)?.[0] ?? 0);
}

export function findArray(m: LabMachine, path: string): MdArray | undefined {
  const s = path.replace(/^\/dev\//, '').replace(/^md\//, 'md');
  return m.md.find((a) => a.name === s);
}

/** Which array uses a partition, and as which member. */
export function memberOf(m: LabMachine, dev: string): { array: MdArray; member: MdMember } | undefined {
  for (const array of m.md) {
    const member = array.members.find((mb) => mb.dev === dev);
    if (member) return { array, member };
  }
  return undefined;
}
