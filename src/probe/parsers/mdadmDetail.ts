/** `mdadm --detail /dev/mdX` → state, counts, rebuild status and member table. */
import type { MdDetailInfo } from '../types.js';

export function parseMdadmDetail(text: string): MdDetailInfo {
  const dev = /^(\/dev\/\S+):/m.exec(text)?.[1] ?? '';
  const field = (name: string) => new RegExp(`^[ \\t]*${name}[ \\t]*:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const num = (name: string) => {
    const v = field(name);
    return v === undefined ? undefined : Number(v);
  };
  const members: MdDetailInfo['members'] = [];
  const tableStart = text.search(/Number\s+Major\s+Minor\s+RaidDevice\s+State/);
  if (tableStart >= 0) {
    for (const line of text.slice(tableStart).split('\n').slice(1)) {
      const m = /^\s*(\d+|-)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(.*?)\s*$/.exec(line);
      if (!m) continue;
      const rest = m[5];
      const devm = /(\/dev\/\S+)$/.exec(rest);
      members.push({ number: m[1], major: Number(m[2]), minor: Number(m[3]), raidDevice: m[4], state: (devm ? rest.slice(0, devm.index) : rest).trim(), device: devm?.[1] });
    }
  }
  const rebuild = /Rebuild Status\s*:\s*(\d+)% complete/.exec(text);
  return {
    device: dev,
    state: field('State') ?? '',
    raidLevel: field('Raid Level'),
    activeDevices: num('Active Devices'),
    workingDevices: num('Working Devices'),
    failedDevices: num('Failed Devices'),
    spareDevices: num('Spare Devices'),
    rebuildPercent: rebuild ? Number(rebuild[1]) : undefined,
    members,
  };
}
