/** Plain fleet types. Pure data: this layer imports nothing but itself. */

export type Role = string;

export interface SshEndpoint {
  /** Address or host name actually dialled. */
  host: string;
  port: number;
  user: string;
  /** Alias from ~/.ssh/config this endpoint was resolved from, if any. */
  alias?: string;
  identityFiles: string[];
  /** Jump hosts, outermost first (ProxyJump a,b → ['a','b']). Each is a machine name or user@host:port. */
  jump: string[];
  /** Extra known_hosts files to trust besides ~/.ssh/known_hosts. */
  knownHosts: string[];
}

/** Where a BMC password comes from: never written inline. */
export type SecretSource = { env: string } | { file: string };

export interface Bmc {
  /** 'ipmitool' drives a real BMC over lanplus; 'lab' talks to the lab's simulated BMC. */
  driver: 'ipmitool' | 'lab';
  address: string;
  port: number;
  user: string;
  password?: SecretSource;
  /** lab driver only: control socket path. */
  socket?: string;
}

export interface ConsolePort {
  /** Machine name of the serial console server. */
  server: string;
  /** Port name on that server (`console NAME`). */
  port: string;
}

export interface Disk {
  dev: string;
  model?: string;
  serial?: string;
  sizeBytes?: number;
  bay?: number;
}

export interface Machine {
  name: string;
  site: string;
  rack: string;
  /** Lowest U occupied (1 = bottom). */
  u: number;
  /** Height in U. */
  height: number;
  roles: Role[];
  ssh?: SshEndpoint;
  bmc?: Bmc;
  console?: ConsolePort;
  disks: Disk[];
  /** Outlet on a switched power strip: machine name of the strip and outlet number. */
  power?: { strip: string; outlet: number };
  services: string[];
  description?: string;
}

export type GuestType = 'qemu' | 'lxc';

export interface Vm {
  id: number;
  name: string;
  type: GuestType;
  /** Hypervisor machine name. */
  node: string;
  state?: 'running' | 'stopped' | 'paused' | 'unknown';
  cpus?: number;
  memBytes?: number;
  diskBytes?: number;
  priority?: number;
  services?: string[];
}

export interface Rack {
  name: string;
  site: string;
  height: number;
}

export interface Site {
  name: string;
  description?: string;
}

export interface Fleet {
  sites: Site[];
  racks: Rack[];
  machines: Machine[];
  vms: Vm[];
  /** File the fleet was read from, for messages. */
  source?: string;
  /** True when this fleet is the built-in lab. */
  lab?: boolean;
}

export function machineByName(fleet: Fleet, name: string): Machine | undefined {
  return fleet.machines.find((m) => m.name === name);
}

const rackIndexes = new WeakMap<Fleet, Map<string, Machine[]>>();

/** Machines of a rack, top first. Indexed once per fleet: views call this on every frame. */
export function machinesInRack(fleet: Fleet, site: string, rack: string): Machine[] {
  let idx = rackIndexes.get(fleet);
  if (!idx) {
    idx = new Map();
    for (const m of fleet.machines) {
      const k = `${m.site}\u0000${m.rack}`;
      const list = idx.get(k);
      if (list) list.push(m);
      else idx.set(k, [m]);
    }
    for (const list of idx.values()) list.sort((a, b) => b.u - a.u);
    rackIndexes.set(fleet, idx);
  }
  return idx.get(`${site}\u0000${rack}`) ?? [];
}

export function hasRole(m: Machine, role: string): boolean {
  return role === 'any' || m.roles.includes(role);
}
