/** /proc/mdstat → arrays. */
import type { MdArrayInfo, MdMemberInfo } from '../types.js';

export function parseMdstat(text: string): MdArrayInfo[] {
  const out: MdArrayInfo[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^(md\w+)\s*:\s*(active|inactive)(?:\s*\((?:auto-)?read-only\))?\s+(?:(raid\d+|linear|multipath)\s+)?(.*)$/.exec(lines[i]);
    if (!head) continue;
    const [, name, state, level = '', rest] = head;
    const members: MdMemberInfo[] = [];
    for (const tok of rest.trim().split(/\s+/)) {
      const mm = /^([\w.-]+)\[(\d+)\]((?:\([FSWRJ]\))*)$/.exec(tok);
      if (mm) members.push({ dev: mm[1], slot: Number(mm[2]), flags: [...mm[3].matchAll(/\(([FSWRJ])\)/g)].map((x) => x[1] as MdMemberInfo['flags'][number]) });
    }
    const arr: MdArrayInfo = { name, level, state: state as 'active' | 'inactive', blocks: 0, raidDisks: 0, activeDisks: 0, map: '', members, degraded: false };
    for (let j = i + 1; j < lines.length && lines[j].trim() !== '' && !/^md\w+\s*:/.test(lines[j]); j++) {
      const l = lines[j];
      const b = /(\d+) blocks/.exec(l);
      if (b) arr.blocks = Number(b[1]);
      const st = /\[(\d+)\/(\d+)\]\s+\[([U_]+)\]/.exec(l);
      if (st) {
        arr.raidDisks = Number(st[1]);
        arr.activeDisks = Number(st[2]);
        arr.map = st[3];
      }
      const rec = /(recovery|resync|check|reshape)\s*=\s*([\d.]+)%(?:.*?finish=([\d.]+)min)?(?:.*?speed=(\d+)K\/sec)?/.exec(l);
      if (rec) arr.recovery = { kind: rec[1] as 'recovery', percent: Number(rec[2]), finishMin: rec[3] ? Number(rec[3]) : undefined, speedKps: rec[4] ? Number(rec[4]) : undefined };
      const pend = /resync=(DELAYED|PENDING)/.exec(l);
      if (pend) arr.pending = pend[1] as 'DELAYED';
    }
    arr.degraded = arr.map.includes('_') || members.some((m) => m.flags.includes('F')) || (arr.raidDisks > 0 && arr.activeDisks < arr.raidDisks);
    out.push(arr);
  }
  return out;
}
