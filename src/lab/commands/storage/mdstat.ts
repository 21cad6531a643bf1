/** /proc/mdstat rendered from machine state, in the kernel's format (drivers/md/md.c, raid1.c). */
import type { LabMachine, MdArray, MdMember } from '../../state.js';
import { descNumber, hasBitmap, recoveryProgress } from './md.js';

const PERSONALITIES = 'Personalities : [raid1] [linear] [multipath] [raid0] [raid6] [raid5] [raid4] [raid10] ';

function memberFlag(a: MdArray, mb: MdMember): string {
  if (mb.state === 'faulty') return '(F)';
  if (mb.state === 'spare') return '(S)';
  if (mb.state === 'rebuilding' && a.members.some((o) => o !== mb && o.slot === mb.slot && o.state === 'active')) return '(R)';
  return '';
}

/** `[====>................]  recovery = 21.4% (104376320/487253824) finish=31.7min speed=201234K/sec` */
export function recoveryLine(a: MdArray, now: number): string | undefined {
  const p = recoveryProgress(a, now);
  if (!p) return undefined;
  if (p.delayed) return '\tresync=DELAYED';
  const perMilli = Math.min(1000, Math.floor(p.fraction * 1000));
  const x = Math.floor(perMilli / 50);
  const bar = `[${'='.repeat(x)}>${'.'.repeat(20 - x)}]`;
  const pct = `${String(Math.floor(perMilli / 10)).padStart(3, ' ')}.${perMilli % 10}%`;
  const rt = Math.floor(p.remainingS);
  const finish = `${Math.floor(rt / 60)}.${Math.floor((rt % 60) / 6)}min`;
  const kind = a.members.some((mb) => mb.state === 'rebuilding') ? 'recovery' : 'resync';
  return `${bar}  ${kind} =${pct} (${p.doneBlocks}/${a.blocks}) finish=${finish} speed=${p.speedKps}K/sec`;
}

function bitmapLine(a: MdArray): string {
  const chunkKB = 65536;
  const chunks = Math.ceil(a.blocks / chunkKB);
  const pages = Math.max(1, Math.ceil(chunks / 2048));
  const dirty = a.recovery || a.members.some((mb) => mb.state !== 'active') ? Math.min(pages, Math.max(1, Math.ceil(pages / 2))) : 0;
  return `bitmap: ${dirty}/${pages} pages [${dirty * 4}KB], ${chunkKB}KB chunk`;
}

export function mdArrayText(a: MdArray, now: number): string {
  const members = [...a.members].reverse().map((mb) => `${mb.dev}[${descNumber(mb)}]${memberFlag(a, mb)}`);
  let upRoles = '';
  let up = 0;
  for (let r = 0; r < a.raidDisks; r++) {
    const ok = a.members.some((mb) => mb.slot === r && mb.state === 'active');
    upRoles += ok ? 'U' : '_';
    if (ok) up++;
  }
  let s = `${a.name} : active ${a.level} ${members.join(' ')}\n`;
  s += `      ${a.blocks} blocks super 1.2 [${a.raidDisks}/${up}] [${upRoles}]\n      `;
  const rec = recoveryLine(a, now);
  if (rec) s += `${rec}\n      `;
  if (hasBitmap(a)) s += `${bitmapLine(a)}\n`;
  return s + '\n';
}

/** The whole /proc/mdstat. Arrays are listed newest (highest number) first, as the kernel does. */
export function mdstatText(m: LabMachine, now: number): string {
  if (m.md.length === 0) return 'Personalities : \nunused devices: <none>\n';
  const arrays = [...m.md].sort((x, y) => y.name.localeCompare(x.name, 'en', { numeric: true }));
  return `${PERSONALITIES}\n${arrays.map((a) => mdArrayText(a, now)).join('')}unused devices: <none>\n`;
}
