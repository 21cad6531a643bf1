/**
 * Lab facts about a machine that src/lab/state.ts has no field for (kept beside the machine,
 * keyed by its object): PXE installer, power cable, AC restore policy, why the network is down.
 */
import type { IpvsService, LabMachine } from './state.js';

export interface MachineExtra {
  /** The PXE/preseed server will reinstall this machine on its next PXE boot (one-shot). */
  pxeArmed: boolean;
  /** Power cable pulled out of the machine (no AC at all: host and BMC dead). */
  unplugged: boolean;
  /** What a BIOS does when AC comes back (ipmitool `chassis policy`). */
  acRestore: 'always-off' | 'always-on' | 'previous';
  /** Power state before AC was lost (for `previous`). */
  poweredBeforeAcLoss?: boolean;
  /** `chassis status` Last Power Event. */
  lastPowerEvent: '' | 'command' | 'ac-failed' | 'power-button';
  /** Why `networkDown` is set: `link` = eno1 down (ip link set up fixes it), `cable` = unplugged cable. */
  netCause?: 'link' | 'cable';
  /** Interface the network fault took down (`eno1`). */
  netIface?: string;
  /** IPVS table keepalived loads from its configuration when it starts. */
  ipvsConfigured: IpvsService[];
  /** Was keepalived running at the last vrrp tick (to load/flush IPVS on transitions). */
  keepalivedWasActive?: boolean;
  /** `shutdown +N` pending: lab ms and whether it reboots. */
  pendingShutdown?: { at: number; reboot: boolean };
}

const EXTRA = new WeakMap<LabMachine, MachineExtra>();

export function extra(m: LabMachine): MachineExtra {
  let e = EXTRA.get(m);
  if (!e) {
    e = { pxeArmed: true, unplugged: false, acRestore: 'always-off', lastPowerEvent: '', ipvsConfigured: [] };
    EXTRA.set(m, e);
  }
  return e;
}
