/**
 * State of simulated machines. Plain data, mutated by lab commands and faults.
 * Lab times are ms since the epoch on the lab clock (see clock.ts).
 */

export interface LabPartition {
  /** Partition number: 1 → sda1. */
  n: number;
  startSector: number;
  sizeSectors: number;
  /** GPT type GUID, e.g. A19D880F-05FC-4D3B-A006-743F0F84911E (Linux RAID). */
  type: string;
  uuid: string;
  name?: string;
}

export interface LabDisk {
  /** Kernel name without /dev: `sda`. */
  dev: string;
  model: string;
  serial: string;
  wwn?: string;
  sizeBytes: number;
  /** Front bay number the disk sits in. */
  bay: number;
  smartPassed: boolean;
  /** SMART attribute id → raw value (5, 187, 188, 197, 198, 199, 9 power-on hours, 194 temp). */
  smartRaw: Record<number, number>;
  /** GPT label; undefined = blank disk (no partition table). */
  label?: { id: string; partitions: LabPartition[] };
  /** The disk has died: I/O errors, not visible to lsblk when `gone`. */
  failed?: boolean;
  gone?: boolean;
  locateLed?: boolean;
}

export type MdMemberState = 'active' | 'faulty' | 'spare' | 'rebuilding';

export interface MdMember {
  /** Partition name without /dev: `sda2`. */
  dev: string;
  /** Role number in the array ([0], [1]). */
  slot: number;
  state: MdMemberState;
}

export interface MdArray {
  /** `md0`. */
  name: string;
  level: 'raid1';
  /** Size in 1K blocks as /proc/mdstat prints it. */
  blocks: number;
  raidDisks: number;
  uuid: string;
  members: MdMember[];
  /** Present while a member rebuilds; progress is computed from the lab clock. */
  recovery?: { startedAt: number; durationMs: number; speedKps: number };
  /** Set by --detail output: creation time (lab ms). */
  createdAt: number;
}

export type ZfsDiskState = 'ONLINE' | 'DEGRADED' | 'FAULTED' | 'UNAVAIL' | 'REMOVED' | 'OFFLINE';

export interface ZfsVdevDisk {
  /** Name as zpool status prints it, e.g. `ata-WDC_WD4003FFBX-68MU3N0_V1GK2ABC-part3`. */
  name: string;
  /** Backing disk dev (`sda`), for lsblk and smartctl. */
  disk: string;
  state: ZfsDiskState;
  readErrors: number;
  writeErrors: number;
  cksumErrors: number;
}

export interface ZPool {
  name: string;
  sizeBytes: number;
  allocBytes: number;
  vdevs: { name: string; type: 'mirror'; disks: ZfsVdevDisk[] }[];
  resilver?: { startedAt: number; durationMs: number; replacing?: { old: string; new: string } };
  lastScrub?: number;
}

export interface LabService {
  name: string;
  active: boolean;
  enabled: boolean;
  /** Why it is failed (shown by systemctl status). */
  failedReason?: string;
}

export interface LabIface {
  name: string;
  up: boolean;
  /** CIDR addresses: `192.0.2.11/24`. */
  addrs: string[];
  mac?: string;
}

export interface IpvsService {
  proto: 'TCP' | 'UDP';
  vip: string;
  port: number;
  scheduler: string;
  reals: { addr: string; port: number; forward: 'Route' | 'Masq' | 'Tunnel'; weight: number; active: number; inactive: number }[];
}

export interface MysqlState {
  flavor: 'mariadb' | 'mysql';
  version: string;
  running: boolean;
  readOnly: boolean;
  serverId: number;
  /** Domain-server-seq of the last binlog event written: `0-1-1234`. */
  gtidBinlogPos: string;
  /** Replica side, when replicating. */
  replica?: {
    masterHost: string;
    masterUser: string;
    masterPort: number;
    ioRunning: boolean;
    sqlRunning: boolean;
    /** GTID position received / applied. */
    gtidIoPos: string;
    gtidSlavePos: string;
    secondsBehind: number | null;
    lastIoError: string;
    lastSqlError: string;
  };
  /** Rows written through `verify a write` style inserts: table → count. */
  writes: number;
}

export interface SelEntry {
  id: number;
  at: number;
  sensor: string;
  event: string;
  asserted: boolean;
}

export interface Sensor {
  name: string;
  value: number;
  unit: string;
  status: 'ok' | 'cr' | 'nc' | 'nr' | 'ns';
  lnc?: number;
  lcr?: number;
  unc?: number;
  ucr?: number;
}

export type BootState =
  /** Off: power is off. */
  | 'off'
  /** Powered, booting: SSH not up yet until `readyAt`. */
  | 'booting'
  | 'up'
  /** Kernel panic: console shows the panic, SSH times out. */
  | 'panic'
  /** Hung: nothing answers, console silent. */
  | 'hung'
  /** PXE reinstall in progress until `readyAt`. */
  | 'installing'
  /** Powered, but no bootable disk found. */
  | 'no-boot';

export interface LabGuest {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  node: string;
  status: 'running' | 'stopped';
  cpus: number;
  memBytes: number;
  diskBytes: number;
  /** Storage the disk lives on: `local-zfs` (node-local) or a shared one. */
  storage: string;
  /** HA resource state when managed: `started`, `stopped`, `error`, `fence`… */
  ha?: string;
  haGroup?: string;
  priority: number;
  services: string[];
  /** Lab ms the guest was last started (for uptime). */
  startedAt?: number;
  lock?: string;
  /** Guest IP (a documentation address, only a string). */
  ip?: string;
}

export interface LabBackup {
  /** Path on the backup box: `/srv/backup/dump/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst`. */
  path: string;
  vmid: number;
  type: 'qemu' | 'lxc';
  at: number;
  sizeBytes: number;
}

export interface LabMachine {
  name: string;
  site: string;
  rack: string;
  roles: string[];
  /** Fixed facts of the hardware. */
  hardware: { vendor: string; model: string; serial: string; cpus: number; memBytes: number };
  /** Network address string shown in inventory (documentation range). */
  address: string;
  /** SSH port on 127.0.0.1 assigned by the lab. */
  sshPort: number;
  /** OpenSSH-format private host key (ed25519) currently in use. */
  hostKey: string;
  power: 'on' | 'off';
  boot: BootState;
  /** Lab ms when booting/installing completes. */
  readyAt?: number;
  /** Lab ms the machine last finished booting (uptime). */
  bootedAt: number;
  bootDevice: 'disk' | 'pxe' | 'cdrom' | 'bios';
  /** The next boot only (IPMI bootdev without persistent). */
  bootDeviceOnce?: boolean;
  /** Network cable or NIC dead: SSH unreachable, BMC and console still work. */
  networkDown: boolean;
  /** Static files (path → content). Dynamic ones (/proc/mdstat…) are generated, see files.ts. */
  files: Record<string, string>;
  disks: LabDisk[];
  md: MdArray[];
  zpools: ZPool[];
  services: LabService[];
  ifaces: LabIface[];
  ipvs: IpvsService[];
  mysql?: MysqlState;
  /** IPMI BMC, when the machine has one. */
  bmc?: { address: string; user: string; password: string; sel: SelEntry[]; sensors: Sensor[] };
  /** Serial console reachable through this console server (machine name) and port. */
  consoleVia?: { server: string; port: string };
  /** Outlet on the power strip. */
  outlet?: { strip: string; outlet: number };
  /** Bounded scrollback of the serial console (lines). */
  consoleLog: string[];
  /** 1, 5, 15 minute load. */
  load: [number, number, number];
  /** Proxmox cluster this node belongs to, if any. */
  cluster?: string;
  /** Current host name (`hostname`); a blank reinstalled node answers `debian`. */
  hostname: string;
}

export interface LabCluster {
  name: string;
  nodes: string[];
  /** Guests of the whole cluster (pvesh is cluster-wide). */
  guests: LabGuest[];
  haGroups: { name: string; nodes: string[] }[];
}

export interface LabPowerStrip {
  /** Machine name of the strip (`apc`). */
  name: string;
  outlets: { n: number; name: string; on: boolean }[];
}

/** Max console scrollback lines kept per machine. */
export const CONSOLE_MAX_LINES = 500;

export function consoleWrite(m: LabMachine, text: string): void {
  for (const line of text.split('\n')) m.consoleLog.push(line);
  if (m.consoleLog.length > CONSOLE_MAX_LINES) m.consoleLog.splice(0, m.consoleLog.length - CONSOLE_MAX_LINES);
}
