/**
 * Which probes a machine gets, by role, batched into one shell script so a refresh is one
 * SSH round-trip per machine. Each section is framed by marker lines and reports its exit status.
 */
import type { Machine } from '../model/fleet.js';
import type { MachineProbe } from './types.js';
import { parseMdstat } from './parsers/mdstat.js';
import { parseSmartText } from './parsers/smart.js';
import { parseZpoolStatus } from './parsers/zpool.js';
import { parseHaStatus, parsePveshResources } from './parsers/proxmox.js';
import { parseIpBrAddr, parseIpvsadm } from './parsers/network.js';
import { parseIsActive, parseLoadavg, parseProcUptime, parseReplicaStatus } from './parsers/system.js';

export interface Section {
  key: string;
  command: string;
  apply(p: MachineProbe, out: string, rc: number): void;
}

const MARK = '@@baie:';
const RC = '@@rc:';

const has = (m: Machine, ...roles: string[]) => m.roles.some((r) => roles.includes(r));
export const isHypervisorRole = (m: Machine) => has(m, 'proxmox', 'pve', 'hypervisor');
export const isDbRole = (m: Machine) => has(m, 'mysql', 'mariadb', 'db', 'database', 'mysql-primary', 'mysql-replica');
export const isDirectorRole = (m: Machine) => has(m, 'director', 'lvs', 'loadbalancer');
/** Switches, power strips, console servers: their CLI is not a POSIX shell. */
export const isApplianceRole = (m: Machine) => has(m, 'switch', 'pdu', 'power-strip', 'console-server');

export function sectionsFor(m: Machine): Section[] {
  // Switches and power strips run their own CLI: any answer over SSH proves they are alive.
  if (isApplianceRole(m)) return [{ key: 'alive', command: has(m, 'pdu', 'power-strip') ? 'olStatus all' : 'true', apply: () => undefined }];
  const s: Section[] = [
    procSection(!isHypervisorRole(m)),
    { key: 'addr', command: 'ip -br addr', apply: (p, out, rc) => rc === 0 && (p.ifaces = parseIpBrAddr(out)) },
  ];
  for (const d of m.disks) {
    s.push({
      key: `smart:${d.dev}`,
      command: `smartctl -H -A /dev/${d.dev}`,
      apply: (p, out) => {
        const info = parseSmartText(d.dev, out);
        if (info.passed === undefined && info.attrs.length === 0) return;
        (p.disks ??= []).push({ ...info, model: info.model ?? d.model, serial: info.serial ?? d.serial });
      },
    });
  }
  if (isHypervisorRole(m)) {
    s.push({ key: 'zpool', command: 'zpool status', apply: (p, out, rc) => rc === 0 && (p.pools = parseZpoolStatus(out)) });
    s.push({
      key: 'pvesh',
      command: 'pvesh get /cluster/resources --output-format json',
      apply: (p, out, rc) => {
        if (rc !== 0) return void p.errors.push(`pvesh: ${out.trim().split('\n')[0] ?? `exit ${rc}`}`);
        try {
          const r = parsePveshResources(out);
          p.guests = r.guests;
          p.nodes = r.nodes;
        } catch (e) {
          p.errors.push(`pvesh: ${(e as Error).message}`);
        }
      },
    });
    s.push({ key: 'ha', command: 'ha-manager status', apply: (p, out, rc) => rc === 0 && (p.ha = parseHaStatus(out)) });
  }
  if (isDirectorRole(m)) s.push({ key: 'ipvs', command: 'ipvsadm -Ln', apply: (p, out, rc) => rc === 0 && (p.ipvs = parseIpvsadm(out)) });
  if (isDbRole(m)) {
    s.push({
      key: 'replica',
      command: `mysql -e 'SHOW SLAVE STATUS\\G'`,
      apply: (p, out, rc) => {
        if (rc === 0) p.replication = parseReplicaStatus(out);
        else p.errors.push(`mysql: ${out.trim().split('\n')[0]}`);
      },
    });
    s.push({ key: 'readonly', command: `mysql -N -B -e 'SELECT @@read_only'`, apply: (p, out, rc) => rc === 0 && (p.readOnly = out.trim() === '1') });
  }
  if (m.services.length) {
    s.push({ key: 'services', command: `systemctl is-active ${m.services.map(quoteUnit).join(' ')}`, apply: (p, out) => (p.services = parseIsActive(m.services, out)) });
  }
  return s;
}

/**
 * /proc/loadavg, /proc/uptime and (without ZFS) /proc/mdstat read by one process instead of one
 * `cat` each: `grep -Hs '' FILES` prints every line of every file prefixed with `FILE:` (empty
 * lines too) and skips a missing file silently. Each parser gets that file's text as before.
 */
const PROC_FILES: Array<[file: string, apply: (p: MachineProbe, out: string) => void]> = [
  ['/proc/loadavg', (p, out) => (p.load = parseLoadavg(out))],
  ['/proc/uptime', (p, out) => (p.uptimeSec = parseProcUptime(out))],
  ['/proc/mdstat', (p, out) => (p.arrays = parseMdstat(out))],
];

function procSection(withMdstat: boolean): Section {
  const files = PROC_FILES.filter(([f]) => withMdstat || f !== '/proc/mdstat');
  return {
    key: 'proc',
    command: `grep -Hs '' ${files.map(([f]) => f).join(' ')}`,
    apply: (p, out) => {
      const texts = splitByFile(out, files.map(([f]) => f));
      for (const [f, apply] of files) {
        const text = texts.get(f);
        if (text !== undefined) apply(p, text);
      }
    },
  };
}

/** `grep -H` output → file → its text (lines joined by \n, no trailing newline); files with no line are absent. */
export function splitByFile(out: string, files: string[]): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const f = files.find((x) => line.startsWith(`${x}:`));
    if (f === undefined) continue;
    let l = lines.get(f);
    if (!l) lines.set(f, (l = []));
    l.push(line.slice(f.length + 1));
  }
  return new Map([...lines].map(([f, l]) => [f, l.join('\n')]));
}

function quoteUnit(u: string): string {
  return /^[\w@.:-]+$/.test(u) ? u : `'${u.replace(/'/g, `'\\''`)}'`;
}

export function buildScript(sections: Section[]): string {
  return sections.map((s) => `echo '${MARK}${s.key}'; ${s.command} 2>&1; echo "${RC}$?"`).join('; ');
}

/** Split the script's output back into sections: key → { out, rc }. */
export function splitSections(stdout: string): Map<string, { out: string; rc: number }> {
  const res = new Map<string, { out: string; rc: number }>();
  let key: string | undefined;
  let buf: string[] = [];
  for (const line of stdout.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith(MARK)) {
      key = line.slice(MARK.length).trim();
      buf = [];
    } else if (line.startsWith(RC) && key !== undefined) {
      res.set(key, { out: buf.join('\n'), rc: Number(line.slice(RC.length)) });
      key = undefined;
    } else if (key !== undefined) buf.push(line);
  }
  return res;
}
