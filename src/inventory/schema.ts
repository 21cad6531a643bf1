/**
 * The inventory.yaml schema (see .notes/INVENTORY-FORMAT.md). Every error message here is the
 * *expected* part of a problem ("a whole number from 1 to 65535"); issues.ts adds where and what
 * was found. Cross-references (sites, racks, U overlaps, VM nodes, ssh aliases) are checked in build.ts.
 */
import { z } from 'zod';
import { HOST_HINT, isValidHost } from './addresses.js';
import { SIZE_HINT, parseSize } from './sizes.js';

/** A strict mapping whose unknown-key message lists the keys it knows. */
function obj<S extends z.ZodRawShape>(shape: S, what = 'a mapping (key: value)', extra = '') {
  const keys = Object.keys(shape).filter((k) => k !== 'password'); // never suggest an inline password
  if (extra) keys.push(extra);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `expected one of: ${keys.join(', ')}` : what),
  });
}

const int = (min: number, max: number, phrase?: string) => {
  const error = phrase ?? (max === Infinity ? `a whole number from ${min} up` : `a whole number from ${min} to ${max}`);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** Names may be written as numbers in YAML (`rack: 1`). */
const name = (phrase = 'a name') =>
  z.custom<string | number>((v) => (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v)), { error: phrase });

const text = (phrase = 'text') => z.string({ error: phrase });
const list = (phrase = 'a list of names, like [a, b]') => z.array(name(phrase), { error: phrase });
const oneOrList = (phrase: string) =>
  z.custom<string | string[]>((v) => (typeof v === 'string' && v !== '') || (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '')), {
    error: phrase,
  });

export const port = int(1, 65535);
const size = z.custom<string | number>((v) => parseSize(v) !== undefined, { error: SIZE_HINT });
const host = z.string({ error: HOST_HINT }).refine(isValidHost, { error: HOST_HINT });

export const sshObject = obj({
  host: text('an address, a DNS name or an ~/.ssh/config alias'),
  port: port.nullish(),
  user: text('a user name').nullish(),
  identity_file: text('a key file path').nullish(),
  jump: oneOrList('a jump host or a list of them, like [bastion]').nullish(),
  known_hosts: oneOrList('a known_hosts file or a list of them').nullish(),
});

export const SSH_FORMS = 'user@host:port, an ~/.ssh/config alias, or a mapping like {host: 192.0.2.10, port: 22, user: root}';
const ssh = z.union([z.string(), sshObject], { error: SSH_FORMS });

const defaults = obj({
  ssh: obj({
    user: text('a user name').nullish(),
    port: port.nullish(),
    identity_file: text('a key file path').nullish(),
    jump: oneOrList('a jump host or a list of them, like [bastion]').nullish(),
  }).nullish(),
  known_hosts: oneOrList('a known_hosts file or a list of them, like [./known_hosts]').nullish(),
  identity_file: text('a key file path').nullish(),
});

const rack = obj({ height: int(1, 100, 'a rack height in U from 1 to 100'), description: text().nullish() });

const site = obj({
  description: text().nullish(),
  racks: z.record(z.string(), rack, { error: 'a mapping of rack names to {height: N}' }),
});

export const bmc = obj({
  driver: z.enum(['ipmitool', 'lab'], { error: 'one of: ipmitool, lab' }).nullish(),
  address: host,
  port: port.nullish(),
  user: text('a user name'),
  /** Accepted here only so build.ts can refuse it with a clear message. */
  password: z.unknown().nullish(),
  password_env: z.string({ error: 'an environment variable name' }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name' }).nullish(),
  password_file: text('a file path').nullish(),
  socket: text('a socket path').nullish(),
});

const disk = obj({
  dev: text('a device name like sda'),
  model: text().nullish(),
  serial: name('a serial number').nullish(),
  size: size.nullish(),
  bay: int(0, 1000, 'a bay number').nullish(),
});

export const machine = obj({
  site: name('a site name'),
  rack: name('a rack name'),
  u: int(1, 100, 'the lowest U the machine occupies, a whole number from 1 (bottom) up'),
  height: int(1, 100, 'a height in U, a whole number from 1 up').nullish(),
  roles: list('a list of roles, like [web, mail]').nullish(),
  description: text().nullish(),
  ssh: ssh.nullish(),
  bmc: bmc.nullish(),
  console: obj({ server: name('the console server machine'), port: name('a console port name') }).nullish(),
  power: obj({ strip: name('the power strip machine'), outlet: int(1, 1000, 'an outlet number from 1 up') }).nullish(),
  services: list('a list of services, like [nginx, mysql]').nullish(),
  disks: z.array(disk, { error: 'a list of disks, like [{dev: sda, size: 500G}]' }).nullish(),
});

export const vm = obj({
  id: int(100, 999_999_999, 'a VM id from 100 to 999999999'),
  type: z.enum(['qemu', 'lxc'], { error: 'one of: qemu, lxc' }),
  node: name('the hypervisor machine'),
  priority: int(0, 1000, 'a priority, a whole number from 0 up').nullish(),
  services: list('a list of services').nullish(),
  cpus: int(1, 4096, 'a number of CPUs from 1 up').nullish(),
  memory: size.nullish(),
  disk: size.nullish(),
});

export const inventorySchema = obj(
  {
    defaults: defaults.nullish(),
    sites: z.record(z.string(), site, { error: 'a mapping of site names, like {paris: {racks: {A: {height: 42}}}}' }),
    machines: z.record(z.string(), machine, { error: 'a mapping of machine names to {site, rack, u, …}' }),
    vms: z.record(z.string(), vm, { error: 'a mapping of VM names to {id, type, node}' }).nullish(),
  },
  'a mapping with sites: and machines:',
  'x-… (for YAML anchors)',
);

/** Top-level keys starting with `x-` hold YAML anchors to reuse (`<<: *rack-a`) and are otherwise ignored. */
export const isTemplateKey = (k: string): boolean => k.startsWith('x-');

export type RawInventory = z.infer<typeof inventorySchema>;
export type RawMachine = z.infer<typeof machine>;
export type RawSsh = z.infer<typeof sshObject>;
export type RawBmc = z.infer<typeof bmc>;
