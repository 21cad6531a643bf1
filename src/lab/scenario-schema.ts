/**
 * Schema of a lab scenario: an inventory (see .notes/INVENTORY-FORMAT.md) whose machines and
 * vms may carry a `lab:` block with their initial state, plus a top-level `lab:` block
 * (clusters, backups, power strips, PXE, faults).
 */
import { z } from 'zod';
import { SIZE_RE } from './hardware.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a name (letters, digits, . _ -)');
const size = z.union([
  z.number().int().nonnegative(),
  z.string().regex(SIZE_RE, 'expected a size like 500G, 4T, 8GiB or a byte count'),
]);
const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const addr = z.string().regex(ipv4, 'expected an IPv4 address like 192.0.2.10');
const cidr = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d{1,2}$/, 'expected an address with prefix like 192.0.2.10/24');
const duration = z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'expected a duration like 90s, 10m, 1h30m');

export const diskSchema = z.strictObject({
  dev: z.string().regex(/^(sd[a-z]{1,2}|vd[a-z]|nvme\d+n\d+)$/, 'expected a disk name like sda'),
  model: z.string().min(1).optional(),
  serial: z.string().min(1).optional(),
  size: size.optional(),
  bay: z.number().int().positive().optional(),
});

const ipvsSchema = z.strictObject({
  proto: z.enum(['TCP', 'UDP']).default('TCP'),
  vip: addr,
  port: z.number().int().min(1).max(65535),
  scheduler: z.string().default('wrr'),
  reals: z.array(z.strictObject({
    addr,
    port: z.number().int().min(1).max(65535).optional(),
    forward: z.enum(['Route', 'Masq', 'Tunnel']).default('Route'),
    weight: z.number().int().nonnegative().default(1),
  })).min(1),
});

const serviceSchema = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), active: z.boolean().optional(), enabled: z.boolean().optional(), failed: z.string().optional() }),
]);

export const labMachineSchema = z.strictObject({
  hardware: z.strictObject({
    vendor: z.string().optional(),
    model: z.string().optional(),
    serial: z.string().optional(),
    cpus: z.number().int().positive().optional(),
    memory: size.optional(),
  }).optional(),
  /** Main address (documentation ranges), prefix /24 unless given. */
  address: z.string().regex(/^\d+\.\d+\.\d+\.\d+(\/\d{1,2})?$/, 'expected an IPv4 address like 192.0.2.10 or 192.0.2.10/24').optional(),
  hostname: name.optional(),
  power: z.enum(['on', 'off']).optional(),
  /** true/false, or details of the BMC. Default: a BMC unless no-BMC hardware, switch, strip or console server. */
  bmc: z.union([z.boolean(), z.enum(['yes', 'no']).transform((v) => v === 'yes'), z.strictObject({ address: addr.optional(), user: z.string().optional() })]).optional(),
  /** What the BIOS does when AC comes back. */
  ac_restore: z.enum(['always-off', 'always-on', 'previous']).optional(),
  /** The PXE server reinstalls this machine on its next PXE boot (default true). */
  pxe_reinstall: z.boolean().optional(),
  boot_device: z.enum(['disk', 'pxe', 'cdrom', 'bios']).optional(),
  /** Extra interfaces/addresses (the main interface is generated from `address`). */
  ifaces: z.array(z.strictObject({ name: z.string().min(1), addrs: z.array(cidr).default([]), up: z.boolean().optional(), mac: z.string().optional() })).optional(),
  /** Extra services (base ones for the machine's kind are added). */
  services: z.array(serviceSchema).optional(),
  ipvs: z.array(ipvsSchema).optional(),
  keepalived: z.strictObject({
    state: z.enum(['MASTER', 'BACKUP']),
    priority: z.number().int().min(1).max(255),
    vip: cidr,
    router_id: z.number().int().min(1).max(255).default(51),
    interface: z.string().default('eno1'),
  }).optional(),
  mysql: z.strictObject({
    flavor: z.enum(['mariadb', 'mysql']).default('mariadb'),
    version: z.string().default('10.11.6'),
    server_id: z.number().int().positive(),
    gtid: z.string().regex(/^\d+-\d+-\d+$/, 'expected a GTID like 0-1-4242').optional(),
    read_only: z.boolean().optional(),
    /** Machine this one replicates from (GTID, caught up). */
    replica_of: name.optional(),
    replica_user: z.string().default('repl'),
  }).optional(),
  /** NFS mounts (added to /etc/fstab here and to /etc/exports on the server). */
  nfs: z.array(z.strictObject({ from: name, export: z.string().regex(/^\//), at: z.string().regex(/^\//) })).optional(),
  files: z.record(z.string().regex(/^\//, 'expected an absolute path'), z.string()).optional(),
  load: z.tuple([z.number(), z.number(), z.number()]).optional(),
});

const consoleSchema = z.strictObject({ server: name, port: z.string().min(1) });
const powerSchema = z.strictObject({ strip: name, outlet: z.number().int().positive() });

export const machineSchema = z.strictObject({
  site: name,
  rack: z.string().min(1),
  u: z.number().int().positive(),
  height: z.number().int().positive().default(1),
  roles: z.array(z.string().min(1)).default([]),
  description: z.string().optional(),
  ssh: z.unknown().optional(),
  bmc: z.unknown().optional(),
  console: consoleSchema.optional(),
  power: powerSchema.optional(),
  services: z.array(z.string().min(1)).optional(),
  disks: z.array(diskSchema).optional(),
  lab: labMachineSchema.optional(),
});

export const vmSchema = z.strictObject({
  id: z.number().int().min(100).max(999999999),
  type: z.enum(['qemu', 'lxc']),
  node: name,
  priority: z.number().int().optional(),
  services: z.array(z.string()).optional(),
  cpus: z.number().int().positive().optional(),
  memory: size.optional(),
  disk: size.optional(),
  lab: z.strictObject({
    ip: addr.optional(),
    storage: z.string().optional(),
    status: z.enum(['running', 'stopped']).optional(),
    ha_group: z.string().optional(),
    ha: z.string().optional(),
  }).optional(),
});

export const faultSpecSchema = z.strictObject({
  fault: z.string().min(1),
  machine: name.optional(),
  arg: z.string().optional(),
  /** Lab time after the start. */
  at: duration.optional(),
});

export const labTopSchema = z.strictObject({
  clusters: z.record(name, z.strictObject({
    nodes: z.array(name).min(1),
    ha_groups: z.record(name, z.array(name).min(1)).optional(),
  })).optional(),
  backups: z.strictObject({
    box: name,
    path: z.string().regex(/^\//).default('/srv/backup/dump'),
    nights: z.number().int().min(0).max(60).default(3),
    /** Start time of the nightly job, UTC. */
    time: z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM').default('01:00'),
  }).optional(),
  strips: z.record(name, z.strictObject({ outlets: z.number().int().min(1).max(48) })).optional(),
  /** One password for every lab BMC (default: random per lab start). */
  bmc_password: z.string().min(8).optional(),
  /** Lab clock start (ISO date), default now. */
  start: z.string().optional(),
  faults: z.array(faultSpecSchema).optional(),
});

export const scenarioSchema = z.strictObject({
  defaults: z.unknown().optional(),
  sites: z.record(name, z.strictObject({
    description: z.string().optional(),
    racks: z.record(z.string().min(1), z.strictObject({ height: z.number().int().min(1).max(60) })),
  })),
  machines: z.record(name, machineSchema),
  vms: z.record(name, vmSchema).optional(),
  lab: labTopSchema.optional(),
});

export type ScenarioDoc = z.infer<typeof scenarioSchema>;
export type MachineDoc = z.infer<typeof machineSchema>;
export type LabMachineDoc = z.infer<typeof labMachineSchema>;
export type VmDoc = z.infer<typeof vmSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;
