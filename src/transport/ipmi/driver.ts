/**
 * The BMC driver interface: power, boot device, SEL, sensors and the Serial-over-LAN console of
 * one machine. Two implementations return identical types: ipmitool over lanplus (ipmitool.ts)
 * and the lab's simulated BMC over its control socket (lab.ts). Every failure is a BmcError
 * (errors.ts) whose message is one line naming the machine's BMC.
 */
import type { Bmc } from '../../model/fleet.js';
import type { PtySession } from '../types.js';
// The ipmitool text parsers live with the probe parsers; the driver reuses them so both drivers
// and the probes read the same output the same way.
import type { SelEvent, SensorReading } from './parse.js';
import { IpmitoolDriver } from './ipmitool.js';
import { LabBmcDriver } from './lab.js';
import type { Env } from './secrets.js';

export type { SelEvent, SensorReading };

export type PowerAction = 'status' | 'on' | 'off' | 'cycle' | 'reset' | 'soft';
export type BootDevice = 'pxe' | 'disk' | 'cdrom' | 'bios';

export interface PowerResult {
  /** The chassis power after `status`; undefined for the control actions (the BMC only acknowledges). */
  power?: 'on' | 'off';
  /** The tool's text as is, e.g. `Chassis Power Control: Up/On`. */
  output: string;
}

export interface SolOptions {
  cols?: number;
  rows?: number;
  signal?: AbortSignal;
}

export interface BmcDriver {
  /** Which implementation this is. */
  readonly kind: 'ipmitool' | 'lab';
  power(action: PowerAction, signal?: AbortSignal): Promise<PowerResult>;
  /** Resolves with the BMC's answer, e.g. `Set Boot Device to pxe`. */
  bootdev(dev: BootDevice, opts?: { persistent?: boolean; signal?: AbortSignal }): Promise<string>;
  sel(signal?: AbortSignal): Promise<SelEvent[]>;
  selClear(signal?: AbortSignal): Promise<void>;
  sensors(signal?: AbortSignal): Promise<SensorReading[]>;
  /**
   * Opens the Serial-over-LAN console. Output arrives through onData; close() leaves with `~.`
   * (and, for ipmitool, `sol deactivate`). Rejects with BmcError('busy') when another session
   * holds the console: solDeactivate() frees it.
   */
  sol(opts?: SolOptions): Promise<PtySession>;
  /** Ends whatever SOL session is active on the BMC (someone else's too). */
  solDeactivate(signal?: AbortSignal): Promise<void>;
}

export interface BmcDriverOptions {
  /** Where password variables are read from (default process.env). */
  env?: Env;
  /** Deadline for each call (default 20 s; SOL: for the console to come up). */
  timeoutMs?: number;
  /** ipmitool `-L`: the session privilege (default ipmitool's, ADMINISTRATOR). A read-only account needs USER. */
  privilege?: 'USER' | 'OPERATOR' | 'ADMINISTRATOR';
  /** ipmitool binary (default `ipmitool` on PATH). */
  ipmitool?: string;
}

/** The driver for a machine's BMC: `bmc.driver` picks ipmitool or the lab. */
export function bmcDriverFor(machineName: string, bmc: Bmc, opts: BmcDriverOptions = {}): BmcDriver {
  return bmc.driver === 'lab' ? new LabBmcDriver(machineName, bmc, opts) : new IpmitoolDriver(machineName, bmc, opts);
}
