/** `smartctl` (smartmontools 7.3): -H, -A, -i, -a/-x, -j; exit status is the documented bitmask. */
import type { CmdContext } from '../../shell/types.js';
import type { LabDisk, LabMachine } from '../../state.js';
import { ctime, isSsd, kernelRelease, presentDisk, stripDev } from './devices.js';

/** Exit status bits (smartctl(8) "RETURN VALUES"). */
export const SMART_EXIT = { cmdline: 1, open: 2, command: 4, failing: 8, prefail: 16, past: 32, errlog: 64, selftest: 128 } as const;

interface AttrDef { id: number; name: string; flag: number; thresh: number; prefail: boolean }

const ATTRS: AttrDef[] = [
  { id: 1, name: 'Raw_Read_Error_Rate', flag: 0x000f, thresh: 6, prefail: true },
  { id: 5, name: 'Reallocated_Sector_Ct', flag: 0x0033, thresh: 10, prefail: true },
  { id: 9, name: 'Power_On_Hours', flag: 0x0032, thresh: 0, prefail: false },
  { id: 12, name: 'Power_Cycle_Count', flag: 0x0032, thresh: 0, prefail: false },
  { id: 177, name: 'Wear_Leveling_Count', flag: 0x0013, thresh: 5, prefail: true },
  { id: 187, name: 'Reported_Uncorrect', flag: 0x0032, thresh: 0, prefail: false },
  { id: 188, name: 'Command_Timeout', flag: 0x0032, thresh: 0, prefail: false },
  { id: 190, name: 'Airflow_Temperature_Cel', flag: 0x0022, thresh: 0, prefail: false },
  { id: 194, name: 'Temperature_Celsius', flag: 0x0022, thresh: 0, prefail: false },
  { id: 197, name: 'Current_Pending_Sector', flag: 0x0012, thresh: 0, prefail: false },
  { id: 198, name: 'Offline_Uncorrectable', flag: 0x0010, thresh: 0, prefail: false },
  { id: 199, name: 'UDMA_CRC_Error_Count', flag: 0x003e, thresh: 0, prefail: false },
];
const ALWAYS_SHOWN = [5, 9, 12, 187, 188, 194, 197, 198, 199];

export interface SmartAttr {
  id: number;
  name: string;
  flag: number;
  value: number;
  worst: number;
  thresh: number;
  prefail: boolean;
  whenFailed: '' | 'FAILING_NOW' | 'In_the_past';
  raw: number;
}

/** The attribute table as the drive reports it, computed from the raw values in the state. */
export function smartAttributes(d: LabDisk): SmartAttr[] {
  const ids = new Set([...ALWAYS_SHOWN, ...Object.keys(d.smartRaw).map(Number)]);
  if (isSsd(d)) ids.add(177);
  const out: SmartAttr[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const def = ATTRS.find((a) => a.id === id) ?? { id, name: 'Unknown_Attribute', flag: 0x0032, thresh: 0, prefail: false };
    const raw = d.smartRaw[id] ?? (id === 194 ? 31 : id === 12 ? 18 : 0);
    let value = 100;
    if (id === 5) value = raw > 0 ? Math.max(1, 100 - Math.floor(raw / 30)) : 100;
    else if (id === 194 || id === 190) value = Math.max(1, 100 - raw);
    else if (id === 9) value = Math.max(1, 100 - Math.floor(raw / 8760) * 5);
    else if (id === 177) value = 99;
    else if (id === 1) value = raw > 0 ? 80 : 100;
    const whenFailed = def.thresh > 0 && value <= def.thresh ? 'FAILING_NOW' : '';
    out.push({ ...def, value, worst: value, whenFailed, raw });
  }
  return out;
}

function banner(m: LabMachine): string {
  return `smartctl 7.3 2022-02-28 r5338 [x86_64-linux-${kernelRelease(m)}] (local build)\nCopyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n\n`;
}

const group3 = (n: number) => n.toLocaleString('en-US');

function capacityGB(bytes: number): string {
  const gb = bytes / 1e9;
  return gb >= 1000 ? `${(bytes / 1e12).toFixed(2).replace(/\.?0+$/, '')} TB` : `${Math.round(gb)} GB`;
}

function wwnText(w: string): string {
  const h = w.replace(/^0x/, '');
  return `${h.slice(0, 1)} ${h.slice(1, 7)} ${h.slice(7)}`;
}

function infoSection(m: LabMachine, d: LabDisk, now: number): string {
  let s = '=== START OF INFORMATION SECTION ===\n';
  s += `Device Model:     ${d.model}\n`;
  s += `Serial Number:    ${d.serial}\n`;
  if (d.wwn) s += `LU WWN Device Id: ${wwnText(d.wwn)}\n`;
  s += `Firmware Version: ${isSsd(d) ? 'HXT7404Q' : '83.00A83'}\n`;
  s += `User Capacity:    ${group3(d.sizeBytes)} bytes [${capacityGB(d.sizeBytes)}]\n`;
  s += 'Sector Size:      512 bytes logical/physical\n';
  s += `Rotation Rate:    ${isSsd(d) ? 'Solid State Device' : '7200 rpm'}\n`;
  s += `Form Factor:      ${isSsd(d) ? '2.5 inches' : '3.5 inches'}\n`;
  s += 'Device is:        Not in smartctl database 7.3/5319\n';
  s += 'ATA Version is:   ACS-4 T13/BSR INCITS 529 revision 5\n';
  s += 'SATA Version is:  SATA 3.2, 6.0 Gb/s (current: 6.0 Gb/s)\n';
  s += `Local Time is:    ${ctime(now)} UTC\n`;
  s += 'SMART support is: Available - device has SMART capability.\n';
  s += 'SMART support is: Enabled\n\n';
  void m;
  return s;
}

function healthSection(d: LabDisk, attrs: SmartAttr[], attrsFollow: boolean): string {
  let s = '=== START OF READ SMART DATA SECTION ===\n';
  if (d.smartPassed) return s + 'SMART overall-health self-assessment test result: PASSED\n\n';
  s += 'SMART overall-health self-assessment test result: FAILED!\n';
  s += 'Drive failure expected in less than 24 hours. SAVE ALL DATA.\n';
  const failing = attrs.filter((a) => a.whenFailed === 'FAILING_NOW');
  if (failing.length && attrsFollow) return s + 'See vendor-specific Attribute list for failed Attributes.\n\n';
  if (failing.length) return s + 'Failed Attributes:\n' + attrHeader() + failing.map(attrLine).join('') + '\n';
  return s + '\n';
}

function attrHeader(): string {
  return 'ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n';
}

function attrLine(a: SmartAttr): string {
  const p3 = (n: number) => String(n).padStart(3, '0');
  const when = a.whenFailed === '' ? '    -      ' : a.whenFailed.padEnd(11);
  const updated = a.flag & 0x0002 ? 'Always' : 'Offline';
  return `${String(a.id).padStart(3)} ${a.name.padEnd(24)}0x${a.flag.toString(16).padStart(4, '0')}   ${p3(a.value)}   ${p3(a.worst)}   ${p3(a.thresh)}    ${(a.prefail ? 'Pre-fail' : 'Old_age').padEnd(10)}${updated.padEnd(9)}${when} ${a.raw}\n`;
}

function attrSection(attrs: SmartAttr[], withHeaderLine: boolean): string {
  let s = withHeaderLine ? '=== START OF READ SMART DATA SECTION ===\n' : '';
  s += 'SMART Attributes Data Structure revision number: 1\nVendor Specific SMART Attributes with Thresholds:\n';
  return s + attrHeader() + attrs.map(attrLine).join('') + '\n';
}

function logsSection(d: LabDisk): string {
  const errors = (d.smartRaw[187] ?? 0) + (d.smartRaw[198] ?? 0);
  let s = 'SMART Error Log Version: 1\n';
  s += errors > 0 ? `ATA Error Count: ${errors} (device log contains only the most recent five errors)\n\n` : 'No Errors Logged\n\n';
  s += 'SMART Self-test log structure revision number 1\nNo self-tests have been logged.  [To run self-tests, use: smartctl -t]\n\n';
  return s;
}

interface Want { info: boolean; health: boolean; attrs: boolean; logs: boolean; json: boolean }

export function smartctl(ctx: CmdContext): number {
  const m = ctx.machine;
  const now = ctx.world.now();
  const args = ctx.argv.slice(1);
  const want: Want = { info: false, health: false, attrs: false, logs: false, json: false };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-d' || a === '--device') { i++; continue; }
    if (a.startsWith('--')) {
      if (a === '--health') want.health = true;
      else if (a === '--info') want.info = true;
      else if (a === '--attributes') want.attrs = true;
      else if (a === '--all' || a === '--xall') Object.assign(want, { info: true, health: true, attrs: true, logs: true });
      else if (a.startsWith('--json')) want.json = true;
      else if (a.startsWith('--device=')) continue;
      else {
        ctx.err(`${banner(m)}=======> UNRECOGNIZED OPTION: ${a.slice(2)}\n\nUse smartctl -h to get a usage summary\n\n`);
        return SMART_EXIT.cmdline;
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (const f of a.slice(1)) {
        if (f === 'H') want.health = true;
        else if (f === 'i') want.info = true;
        else if (f === 'A') want.attrs = true;
        else if (f === 'a' || f === 'x') Object.assign(want, { info: true, health: true, attrs: true, logs: true });
        else if (f === 'j') want.json = true;
        else if (f === 'q' || f === 'n' || f === 'c' || f === 'l' || f === 's' || f === 'T') continue;
        else {
          ctx.err(`${banner(m)}=======> INVALID ARGUMENT TO -${f}\n\nUse smartctl -h to get a usage summary\n\n`);
          return SMART_EXIT.cmdline;
        }
      }
      continue;
    }
    paths.push(a);
  }
  const path = paths[0];
  if (!path) {
    ctx.out(`${banner(m)}ERROR: smartctl requires a device name as the final command-line argument.\n\n\nUse smartctl -h to get a usage summary\n\n`);
    return SMART_EXIT.cmdline;
  }
  const d = presentDisk(m, stripDev(path));
  const argv = ctx.argv;
  if (!d) {
    const msg = `Smartctl open device: ${path} failed: No such device`;
    if (want.json) ctx.out(JSON.stringify(jsonBase(m, argv, SMART_EXIT.open, [{ string: msg, severity: 'error' }]), null, 2) + '\n');
    else ctx.out(`${banner(m)}${msg}\n`);
    return SMART_EXIT.open;
  }
  const attrs = smartAttributes(d);
  let rc = 0;
  if (want.health && !d.smartPassed) rc |= SMART_EXIT.failing;
  if ((want.health || want.attrs) && attrs.some((a) => a.whenFailed === 'FAILING_NOW')) rc |= SMART_EXIT.prefail;
  if (want.logs && (d.smartRaw[187] ?? 0) + (d.smartRaw[198] ?? 0) > 0) rc |= SMART_EXIT.errlog;
  if (want.json) {
    ctx.out(JSON.stringify(smartJson(m, d, attrs, want, argv, rc, now), null, 2) + '\n');
    return rc;
  }
  let s = banner(m);
  if (want.info) s += infoSection(m, d, now);
  if (want.health) s += healthSection(d, attrs, want.attrs);
  if (want.attrs) s += attrSection(attrs, !want.health);
  if (want.logs) s += logsSection(d);
  if (!want.info && !want.health && !want.attrs) s += `=== START OF INFORMATION SECTION ===\nATA device successfully opened\n\nUse 'smartctl -a' (or '-x') to print SMART (and more) information\n\n`;
  ctx.out(s);
  return rc;
}

function jsonBase(m: LabMachine, argv: string[], exit: number, messages?: { string: string; severity: string }[]): Record<string, unknown> {
  return {
    json_format_version: [1, 0],
    smartctl: {
      version: [7, 3], svn_revision: '5338', platform_info: `x86_64-linux-${kernelRelease(m)}`, build_info: '(local build)',
      argv, ...(messages ? { messages } : {}), exit_status: exit,
    },
  };
}

export function smartJson(m: LabMachine, d: LabDisk, attrs: SmartAttr[], want: Omit<Want, 'json'>, argv: string[], rc: number, now: number): Record<string, unknown> {
  const o: Record<string, unknown> = jsonBase(m, argv, rc);
  o['local_time'] = { time_t: Math.floor(now / 1000), asctime: `${ctime(now)} UTC` };
  o['device'] = { name: `/dev/${d.dev}`, info_name: `/dev/${d.dev} [SAT]`, type: 'sat', protocol: 'ATA' };
  if (want.info) {
    o['model_name'] = d.model;
    o['serial_number'] = d.serial;
    if (d.wwn) o['wwn'] = { naa: Number.parseInt(d.wwn.replace(/^0x/, '').slice(0, 1), 16), oui: Number.parseInt(d.wwn.replace(/^0x/, '').slice(1, 7), 16), id: Number.parseInt(d.wwn.replace(/^0x/, '').slice(7), 16) };
    o['user_capacity'] = { blocks: Math.floor(d.sizeBytes / 512), bytes: d.sizeBytes };
    o['logical_block_size'] = 512;
    o['rotation_rate'] = isSsd(d) ? 0 : 7200;
    o['smart_support'] = { available: true, enabled: true };
  }
  if (want.health) o['smart_status'] = { passed: d.smartPassed };
  if (want.attrs) {
    o['ata_smart_attributes'] = {
      revision: 1,
      table: attrs.map((a) => ({
        id: a.id, name: a.name, value: a.value, worst: a.worst, thresh: a.thresh, when_failed: a.whenFailed === 'FAILING_NOW' ? 'now' : '',
        flags: { value: a.flag, prefailure: a.prefail, updated_online: (a.flag & 0x2) !== 0, performance: (a.flag & 0x4) !== 0, error_rate: (a.flag & 0x8) !== 0, event_count: (a.flag & 0x10) !== 0, auto_keep: (a.flag & 0x20) !== 0 },
        raw: { value: a.raw, string: String(a.raw) },
      })),
    };
    o['power_on_time'] = { hours: d.smartRaw[9] ?? 0 };
    o['power_cycle_count'] = d.smartRaw[12] ?? 18;
    o['temperature'] = { current: d.smartRaw[194] ?? 31 };
  }
  return o;
}
