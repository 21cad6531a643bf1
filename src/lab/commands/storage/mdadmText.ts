/** What `mdadm --detail`, `--examine` and `--detail --scan` print, from an array's state. Pure. */
import type { LabMachine, MdArray, MdMember } from '../../state.js';
import { ctime, majMin } from './devices.js';
import { activeCount, descNumber, eventsOf, hasBitmap, recoveryProgress } from './md.js';

export function mdHumanSize(kib: number): string {
  const bytes = kib * 1024;
  if (bytes < 2 * 1024 ** 3) return ` (${(bytes / 1024 ** 2).toFixed(2)} MiB ${(bytes / 1e6).toFixed(2)} MB)`;
  if (bytes < 2 * 1024 ** 4) return ` (${(bytes / 1024 ** 3).toFixed(2)} GiB ${(bytes / 1e9).toFixed(2)} GB)`;
  return ` (${(bytes / 1024 ** 4).toFixed(2)} TiB ${(bytes / 1e12).toFixed(2)} TB)`;
}

const kv = (label: string, value: string | number): string => `${label.padStart(18)} : ${value}\n`;

export function mdState(a: MdArray, now: number): string {
  const active = activeCount(a);
  const parts = ['clean'];
  if (active === 0) parts.push('FAILED');
  else if (active < a.raidDisks) parts.push('degraded');
  const p = recoveryProgress(a, now);
  if (p) parts.push(p.delayed ? 'resyncing (DELAYED)' : 'recovering');
  return parts.join(', ');
}

/** Exit status of `mdadm --detail --test`: 0 ok, 1 degraded, 2 unusable. */
export function mdTestStatus(a: MdArray): number {
  const active = activeCount(a);
  return active === a.raidDisks ? 0 : active > 0 ? 1 : 2;
}

function memberRow(m: LabMachine, mb: MdMember, role: string, state: string): string {
  const [maj, min] = majMin(m, mb.dev);
  return `   ${String(descNumber(mb)).padStart(5)}   ${String(maj).padStart(5)}    ${String(min).padStart(5)}    ${role.padStart(5)}      ${state}   /dev/${mb.dev}\n`;
}

export function mdDetailText(m: LabMachine, a: MdArray, now: number): string {
  const faulty = a.members.filter((mb) => mb.state === 'faulty').length;
  const spares = a.members.filter((mb) => mb.state === 'spare' || mb.state === 'rebuilding').length;
  const active = activeCount(a);
  const minor = /\d+$/.exec(a.name)?.[0] ?? '0';
  let s = `/dev/${a.name}:\n`;
  s += kv('Version', '1.2');
  s += kv('Creation Time', ctime(a.createdAt));
  s += kv('Raid Level', a.level);
  s += kv('Array Size', `${a.blocks}${mdHumanSize(a.blocks)}`);
  s += kv('Used Dev Size', `${a.blocks}${mdHumanSize(a.blocks)}`);
  s += kv('Raid Devices', a.raidDisks);
  s += kv('Total Devices', a.members.length);
  s += kv('Persistence', 'Superblock is persistent');
  s += '\n';
  if (hasBitmap(a)) s += kv('Intent Bitmap', 'Internal') + '\n';
  s += kv('Update Time', ctime(now));
  s += kv('State', `${mdState(a, now)} `);
  s += kv('Active Devices', active);
  s += kv('Working Devices', a.members.length - faulty);
  s += kv('Failed Devices', faulty);
  s += kv('Spare Devices', spares);
  s += '\n';
  s += kv('Consistency Policy', hasBitmap(a) ? 'bitmap' : 'resync');
  s += '\n';
  const p = recoveryProgress(a, now);
  if (p && !p.delayed) s += kv('Rebuild Status', `${Math.floor(p.fraction * 100)}% complete`) + '\n';
  s += kv('Name', `${m.hostname}:${minor}  (local to host ${m.hostname})`);
  s += kv('UUID', a.uuid);
  s += kv('Events', eventsOf(a));
  s += '\n';
  s += '    Number   Major   Minor   RaidDevice State\n';
  for (let r = 0; r < a.raidDisks; r++) {
    const inRole = a.members.filter((mb) => mb.slot === r && (mb.state === 'active' || mb.state === 'rebuilding'));
    if (inRole.length === 0) s += `       -       0        0    ${String(r).padStart(5)}      removed\n`;
    for (const mb of inRole) s += memberRow(m, mb, String(r), mb.state === 'active' ? 'active sync' : 'spare rebuilding');
  }
  const others = a.members.filter((mb) => mb.state === 'faulty' || mb.state === 'spare');
  if (others.length > 0) s += '\n';
  for (const mb of others) s += memberRow(m, mb, '-', mb.state === 'faulty' ? 'faulty' : 'spare');
  return s;
}

export function mdExamineText(m: LabMachine, dev: string, a: MdArray, now: number): string {
  const mb = a.members.find((x) => x.dev === dev);
  const minor = /\d+$/.exec(a.name)?.[0] ?? '0';
  let arrayState = '';
  for (let r = 0; r < a.raidDisks; r++) {
    const inRole = a.members.filter((x) => x.slot === r);
    arrayState += inRole.some((x) => x.state === 'rebuilding' && inRole.some((y) => y !== x && y.state === 'active')) ? 'R'
      : inRole.some((x) => x.state === 'active') ? 'A' : '.';
  }
  const kve = (l: string, v: string | number) => `${l.padStart(15)} : ${v}\n`;
  let s = `/dev/${dev}:\n`;
  s += kve('Magic', 'a92b4efc');
  s += kve('Version', '1.2');
  s += kve('Feature Map', hasBitmap(a) ? '0x1' : '0x0');
  s += kve('Array UUID', a.uuid);
  s += kve('Name', `${m.hostname}:${minor}  (local to host ${m.hostname})`);
  s += kve('Creation Time', ctime(a.createdAt));
  s += kve('Raid Level', a.level);
  s += kve('Raid Devices', a.raidDisks);
  s += '\n';
  s += kve('Array Size', `${a.blocks}${mdHumanSize(a.blocks)}`);
  s += kve('Data Offset', '264192 sectors');
  s += kve('Super Offset', '8 sectors');
  s += kve('State', mb?.state === 'faulty' ? 'active' : 'clean');
  s += '\n';
  s += kve('Update Time', ctime(now));
  s += kve('Events', eventsOf(a));
  s += '\n';
  const role = !mb ? 'spare' : mb.state === 'spare' ? 'spare' : mb.state === 'rebuilding' ? `Replacement device ${mb.slot}` : `Active device ${mb.slot}`;
  s += kve('Device Role', role);
  s += kve('Array State', `${arrayState} ('A' == active, '.' == missing, 'R' == replacing)`);
  return s;
}

export function scanLine(m: LabMachine, a: MdArray): string {
  const minor = /\d+$/.exec(a.name)?.[0] ?? '0';
  const spares = a.members.filter((mb) => mb.state === 'spare').length;
  return `ARRAY /dev/${a.name} metadata=1.2${spares ? ` spares=${spares}` : ''} name=${m.hostname}:${minor} UUID=${a.uuid}\n`;
}
