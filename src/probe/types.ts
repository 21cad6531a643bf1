/** What probes learn about a machine. Parsers fill these; health rules read them; the UI shows them. */
import type { Health } from '../model/health.js';

export interface MdMemberInfo {
  dev: string;
  slot: number;
  flags: ('F' | 'S' | 'W' | 'R' | 'J')[];
}

export interface MdArrayInfo {
  name: string;
  level: string;
  state: 'active' | 'inactive';
  blocks: number;
  /** [2/1] → raidDisks 2, activeDisks 1. */
  raidDisks: number;
  activeDisks: number;
  /** `UU`, `U_` */
  map: string;
  members: MdMemberInfo[];
  degraded: boolean;
  recovery?: { kind: 'recovery' | 'resync' | 'check' | 'reshape'; percent: number; finishMin?: number; speedKps?: number };
  pending?: 'DELAYED' | 'PENDING';
}

export interface MdDetailInfo {
  device: string;
  state: string;
  raidLevel?: string;
  activeDevices?: number;
  workingDevices?: number;
  failedDevices?: number;
  spareDevices?: number;
  rebuildPercent?: number;
  members: { number: string; major: number; minor: number; raidDevice: string; state: string; device?: string }[];
}

export interface SmartAttr {
  id: number;
  name: string;
  value?: number;
  worst?: number;
  thresh?: number;
  whenFailed?: string;
  raw: number;
}

export interface SmartInfo {
  dev: string;
  model?: string;
  serial?: string;
  /** overall-health PASSED / OK → true, FAILED → false, unknown → undefined. */
  passed?: boolean;
  attrs: SmartAttr[];
  temperatureC?: number;
}

export interface ZpoolDevice {
  name: string;
  state: string;
  read: number;
  write: number;
  cksum: number;
  depth: number;
  note?: string;
}

export interface ZpoolInfo {
  name: string;
  state: string;
  status?: string;
  scan?: string;
  resilver?: { percent: number; toGo?: string };
  devices: ZpoolDevice[];
  errors?: string;
}

export interface GuestInfo {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  node: string;
  status: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  hastate?: string;
  lock?: string;
}

export interface NodeInfo {
  node: string;
  status: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
}

export interface HaStatus {
  quorum: boolean;
  master?: { node: string; state: string };
  lrms: { node: string; state: string }[];
  services: { sid: string; node: string; state: string }[];
}

export interface IfaceInfo {
  name: string;
  state: string;
  addrs: string[];
}

export interface IpvsInfo {
  proto: string;
  vip: string;
  port: number;
  scheduler: string;
  reals: { addr: string; port: number; forward: string; weight: number; active: number; inactive: number }[];
}

export interface ReplicationInfo {
  ioRunning: string;
  sqlRunning: string;
  secondsBehind: number | null;
  lastIoError?: string;
  lastSqlError?: string;
  masterHost?: string;
  gtidIoPos?: string;
  usingGtid?: string;
}

export interface ServiceState {
  name: string;
  state: string;
}

export type { SelEvent, SensorReading } from '../transport/ipmi/parse.js';
import type { SelEvent, SensorReading } from '../transport/ipmi/parse.js';

export interface MachineProbe {
  machine: string;
  /** Real ms since the epoch when the probe answered (or failed). */
  at: number;
  reachable: boolean;
  /** Since when the machine has been unreachable (ms epoch), carried over between rounds. */
  unreachableSince?: number;
  latencyMs?: number;
  errors: string[];
  power?: 'on' | 'off' | 'unknown';
  load?: [number, number, number];
  uptimeSec?: number;
  arrays?: MdArrayInfo[];
  pools?: ZpoolInfo[];
  disks?: SmartInfo[];
  guests?: GuestInfo[];
  nodes?: NodeInfo[];
  ha?: HaStatus;
  services?: ServiceState[];
  replication?: ReplicationInfo | null;
  readOnly?: boolean;
  ifaces?: IfaceInfo[];
  ipvs?: IpvsInfo[];
  sel?: SelEvent[];
  sensors?: SensorReading[];
  health: Health;
}
