/**
 * The simulated BMC: the operations the ipmitool driver exposes, answered with ipmitool's
 * own text. A wrong password, a machine without BMC or a BMC without AC all fail the
 * same way ipmitool does (it cannot tell them apart either).
 */
import { extra } from './machine-extra.js';
import { hasAc, powerCycle, powerOff, powerOn, reset, softOff } from './power.js';
import type { LabMachine, SelEntry, Sensor } from './state.js';
import type { LabWorld } from './world.js';

export type BmcOp =
  | { op: 'power'; arg: 'status' | 'on' | 'off' | 'cycle' | 'reset' | 'soft' }
  | { op: 'bootdev'; arg: 'pxe' | 'disk' | 'cdrom' | 'bios'; persistent?: boolean }
  | { op: 'sel'; arg: 'list' | 'clear' }
  | { op: 'sensor' }
  | { op: 'chassis-status' };

export type BmcRequest = { user: string; password: string } & BmcOp;

export type BmcResult = { ok: true; output: string } | { ok: false; error: string };

export const SESSION_ERROR = 'Error: Unable to establish IPMI v2 / RMCP+ session';

const p2 = (n: number) => String(n).padStart(2, '0');

/** `11/21/2026 | 03:12:01` in UTC (the BMC clock). */
export function selDate(at: number): string {
  const d = new Date(at);
  return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()} | ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** One `sel elist` row: `   1 | 11/21/2026 | 03:12:01 | Temperature CPU Temp | Upper Critical going high | Asserted`. */
export function selRow(e: SelEntry): string {
  return `${e.id.toString(16).padStart(4)} | ${selDate(e.at)} | ${e.sensor} | ${e.event} | ${e.asserted ? 'Asserted' : 'Deasserted'}`;
}

/** Add an entry to a machine's SEL (no-op without BMC). */
export function addSel(world: LabWorld, m: LabMachine, sensor: string, event: string, asserted = true): SelEntry | undefined {
  if (!m.bmc) return undefined;
  const entry = { id: (m.bmc.sel.at(-1)?.id ?? 0) + 1, at: world.now(), sensor, event, asserted };
  m.bmc.sel.push(entry);
  return entry;
}

const num = (v: number | undefined) => (v === undefined ? 'na'.padEnd(10) : v.toFixed(3).padEnd(10));

/** Sensors that read nothing while the host is off (the BMC itself still runs). */
function readsWhenOff(s: Sensor): boolean {
  return /Inlet|Ambient/i.test(s.name);
}

/** One `ipmitool sensor` row. */
export function sensorRow(s: Sensor, hostOn: boolean): string {
  const live = hostOn || readsWhenOff(s);
  const value = live ? s.value.toFixed(3).padEnd(10) : 'na'.padEnd(10);
  const status = live ? s.status : 'na';
  return `${s.name.padEnd(16)} | ${value} | ${s.unit.padEnd(10)} | ${status.padEnd(6)}| ${'na'.padEnd(10)}| ${num(s.lcr)}| ${num(s.lnc)}| ${num(s.unc)}| ${num(s.ucr)}| ${'na'.padEnd(10)}`;
}

function chassisStatus(world: LabWorld, m: LabMachine): string {
  const e = extra(m);
  const driveFault = m.disks.some((d) => d.failed);
  const fanFault = m.bmc!.sensors.some((s) => s.unit === 'RPM' && s.status !== 'ok');
  return [
    `System Power         : ${m.power}`,
    'Power Overload       : false',
    'Power Interlock      : inactive',
    'Main Power Fault     : false',
    'Power Control Fault  : false',
    `Power Restore Policy : ${e.acRestore}`,
    `Last Power Event     : ${e.lastPowerEvent}`,
    'Chassis Intrusion    : inactive',
    'Front-Panel Lockout  : inactive',
    `Drive Fault          : ${driveFault}`,
    `Cooling/Fan Fault    : ${fanFault}`,
    'Sleep Button Disable : not allowed',
    'Diag Button Disable  : allowed',
    'Reset Button Disable : allowed',
    'Power Button Disable : allowed',
    'Sleep Button Disabled: false',
    'Diag Button Disabled : false',
    'Reset Button Disabled: false',
    'Power Button Disabled: false',
    '',
  ].join('\n');
}

const CONTROL: Record<'on' | 'off' | 'cycle' | 'reset' | 'soft', string> = {
  on: 'Up/On', off: 'Down/Off', cycle: 'Cycle', reset: 'Reset', soft: 'Soft',
};

/** One request to the BMC of `machineName`, as the ipmitool driver would send it. */
export function bmcRequest(world: LabWorld, machineName: string, req: BmcRequest): BmcResult {
  world.advance();
  const m = world.machine(machineName);
  if (!m || !m.bmc || !hasAc(world, m) || req.user !== m.bmc.user || req.password !== m.bmc.password) {
    return { ok: false, error: SESSION_ERROR };
  }
  switch (req.op) {
    case 'power': {
      if (req.arg === 'status') return { ok: true, output: `Chassis Power is ${m.power}\n` };
      if ((req.arg === 'cycle' || req.arg === 'reset') && m.power === 'off') {
        return { ok: false, error: `Set Chassis Power Control to ${CONTROL[req.arg]} failed: Command not supported in present state` };
      }
      const e = extra(m);
      if (req.arg === 'on') powerOn(world, m);
      else if (req.arg === 'off') powerOff(world, m);
      else if (req.arg === 'cycle') powerCycle(world, m);
      else if (req.arg === 'reset') reset(world, m);
      else softOff(world, m);
      e.lastPowerEvent = 'command';
      return { ok: true, output: `Chassis Power Control: ${CONTROL[req.arg]}\n` };
    }
    case 'bootdev': {
      m.bootDevice = req.arg;
      m.bootDeviceOnce = !req.persistent;
      return { ok: true, output: `Set Boot Device to ${req.arg}\n` };
    }
    case 'sel': {
      if (req.arg === 'clear') {
        m.bmc.sel = [];
        addSel(world, m, 'Event Logging Disabled SEL', 'Log area reset/cleared');
        return { ok: true, output: 'Clearing SEL.  Please allow a few seconds to erase.\n' };
      }
      if (m.bmc.sel.length === 0) return { ok: true, output: 'SEL has no entries\n' };
      return { ok: true, output: m.bmc.sel.map(selRow).join('\n') + '\n' };
    }
    case 'sensor':
      return { ok: true, output: m.bmc.sensors.map((s) => sensorRow(s, m.power === 'on')).join('\n') + '\n' };
    case 'chassis-status':
      return { ok: true, output: chassisStatus(world, m) };
    default:
      return { ok: false, error: 'Invalid command' };
  }
}
