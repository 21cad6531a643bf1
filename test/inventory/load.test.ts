import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblems, loadInventory } from '../../src/inventory/index.js';
import { fixtureCopy } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = fixtureCopy());
});
afterAll(() => cleanup());
const noHome = { home: '/nonexistent-home-for-baie-tests' };

describe('loadInventory: the format document example', () => {
  it('loads to the right fleet with no problems', async () => {
    const file = join(dir, 'full.yaml');
    writeFileSync(join(dir, 'bmc-password'), 'x\n');
    chmodSync(join(dir, 'bmc-password'), 0o600);
    const { fleet, problems } = await loadInventory(file, noHome);
    expect(formatProblems(problems)).toBe('');
    expect(fleet.source).toBe(file);
    expect(fleet.sites).toEqual([{ name: 'paris', description: 'Main site, rack A in the Paris datacentre' }, { name: 'rouans' }]);
    expect(fleet.racks).toEqual([
      { name: 'A', site: 'paris', height: 42 },
      { name: 'B', site: 'rouans', height: 24 },
    ]);
    expect(fleet.machines.map((m) => m.name)).toEqual(['eva', 'fey', 'pve1', 'pve2']);
    const [eva, fey, pve1, pve2] = fleet.machines;
    expect(eva).toEqual({
      name: 'eva',
      site: 'paris',
      rack: 'A',
      u: 38,
      height: 1,
      roles: ['director', 'lvs'],
      description: 'LVS director (keepalived MASTER)',
      ssh: { host: '127.0.0.1', port: 2201, user: 'root', identityFiles: [join(dir, 'id_ed25519')], jump: [], knownHosts: [join(dir, 'known_hosts')] },
      console: { server: 'console', port: 'eva' },
      power: { strip: 'apc', outlet: 3 },
      services: ['keepalived', 'ipvsadm'],
      disks: [{ dev: 'sda', model: 'Samsung SSD 870 EVO 500GB', serial: 'S62BNJ0R123456A', sizeBytes: 500e9, bay: 1 }],
    });
    // defaults.ssh.user applies where the machine gives none
    expect(fey.ssh).toMatchObject({ host: '127.0.0.1', port: 2208, user: 'root' });
    expect(fey.height).toBe(2);
    expect(fey.bmc).toEqual({ driver: 'ipmitool', address: '192.0.2.108', port: 623, user: 'admin', password: { file: join(dir, 'bmc-password') } });
    expect(pve1.ssh).toMatchObject({ host: '198.51.100.21', port: 22, user: 'root' });
    expect(pve1.bmc).toEqual({ driver: 'lab', address: '192.0.2.121', port: 623, user: 'admin', password: { env: 'BAIE_BMC_PASSWORD' }, socket: join(dir, 'control.sock') });
    expect(pve2.ssh).toMatchObject({ host: '2001:db8::22', port: 2222, user: 'admin' });
    expect(fleet.vms).toEqual([
      { id: 100, name: 'web', type: 'qemu', node: 'pve1', priority: 1, services: ['apache2'], cpus: 4, memBytes: 8 * 2 ** 30, diskBytes: 32e9 },
      { id: 200, name: 'dns', type: 'lxc', node: 'pve2', priority: 0 },
    ]);
  });

  it('reports a missing file as one problem at 1:1 without throwing', async () => {
    const file = join(dir, 'nope.yaml');
    const { fleet, problems } = await loadInventory(file, noHome);
    expect(problems).toHaveLength(1);
    expect(formatProblems(problems)).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:1:1: cannot read: ENOENT`));
    expect(fleet.machines).toEqual([]);
  });
});

describe('loadInventory: YAML anchors', () => {
  it('ignores x- keys and honours merge keys', async () => {
    const { fleet, problems } = await loadInventory(join(dir, 'anchors.yaml'), noHome);
    expect(problems).toEqual([]);
    expect(fleet.machines.map((m) => [m.name, m.site, m.rack, m.u, m.ssh?.host, m.ssh?.port])).toEqual([
      ['emma', 'paris', 'A', 20, '127.0.0.1', 2203],
      ['ella', 'paris', 'A', 21, '127.0.0.1', 2204],
    ]);
  });
});

/** fixture → [line, col, words the message must contain]. Positions checked by hand against the files. */
const BROKEN: Record<string, [number, number, string][]> = {
  'unknown-key.yaml': [[10, 5, "unknown key 'hieght' in machine 'eva' (expected one of: site, rack, u, height,"]],
  'wrong-type.yaml': [[9, 8, "machine 'eva': u must be the lowest U the machine occupies, a whole number from 1 (bottom) up, got 'top'"]],
  'overlap.yaml': [[14, 8, "machine 'emma' (U11) overlaps machine 'fey' (U10-11) in rack paris/A"]],
  'too-tall.yaml': [[10, 13, "machine 'jbod' is 48U tall but rack paris/A is only 42U"]],
  'above-top.yaml': [[9, 8, "machine 'eva' (U42-43) goes above the top of rack paris/A (42U): u must be at most 41"]],
  'unknown-site.yaml': [[6, 15, "machine 'eva': unknown site 'lyon' (sites: paris)"]],
  'unknown-rack.yaml': [[6, 28, "machine 'eva': unknown rack 'B' at site 'paris' (racks there: A)"]],
  'duplicate-machine.yaml': [[8, 3, "duplicate machine name 'eva' (first defined at line 6)"]],
  'duplicate-vm-id.yaml': [[10, 15, "VM 'cloud': id 100 is already used by VM 'web' (line 8)"]],
  'vm-unknown-node.yaml': [[8, 36, "VM 'web': node 'pve9' is not a machine in this inventory (machines: pve1)"]],
  'bad-host.yaml': [[10, 17, "machine 'eva': ssh host 'eva_01.example.org' is neither an IPv4 or IPv6 address or a DNS name nor a Host alias in"]],
  'bad-port.yaml': [[10, 38, "machine 'eva': ssh.port must be a whole number from 1 to 65535, got 70000"]],
  'bad-ssh-string.yaml': [[10, 10, "machine 'eva': ssh 'root@198.51.100.10:99999' has a bad port '99999': ports are 1-65535"]],
  'inline-password.yaml': [[13, 7, "machine 'fey': BMC password must come from password_env or password_file, not inline"]],
  'password-mode.yaml': [[10, 61, "machine 'fey': BMC password_file ./bmc-password is mode 644; it must be readable by its owner only (chmod 600 ./bmc-password)"]],
  'bad-bmc-address.yaml': [[10, 20, "machine 'fey': bmc.address must be an IPv4 or IPv6 address or a DNS name, got '192.0.2.300'"]],
  'missing-u.yaml': [[6, 3, "machine 'eva': missing u (expected the lowest U"]],
  'bad-size.yaml': [[12, 26, "machine 'fey': disks[1].size must be a size like 500G, 4T, 8GiB or a number of bytes, got '500 gigs'"]],
  'bad-vm-type.yaml': [[8, 24, "VM 'web': type must be one of: qemu, lxc, got 'kvm'"]],
  'ssh-unknown-key.yaml': [
    [10, 5, "machine 'eva': missing ssh.host"],
    [10, 11, "unknown key 'hots' in ssh of machine 'eva' (expected one of: host, port, user, identity_file, jump, known_hosts); did you mean 'host'?"],
  ],
  'misspelt-section.yaml': [
    [1, 1, 'missing top-level machines:'],
    [5, 1, "unknown key 'machine' in the inventory (expected one of: defaults, sites, machines, vms, x-… (for YAML anchors)); did you mean 'machines'?"],
  ],
  'rack-type.yaml': [[4, 19, "rack 'A' of site 'paris': height must be a rack height in U from 1 to 100, got 'tall'"]],
  'yaml-syntax.yaml': [[5, 1, 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }']],
  'empty.yaml': [[1, 1, 'the inventory is empty (expected sites: and machines:']],
};

describe('loadInventory: broken inventories', () => {
  it.each(Object.keys(BROKEN))('%s', async (name) => {
    const file = join(dir, 'broken', name);
    const { problems } = await loadInventory(file, noHome);
    const lines = formatProblems(problems).split('\n');
    const want = BROKEN[name];
    expect(lines).toHaveLength(want.length);
    want.forEach(([line, col, text], i) => {
      expect(lines[i].startsWith(`${file}:${line}:${col}: `), `${lines[i]} should be at ${line}:${col}`).toBe(true);
      expect(lines[i]).toContain(text);
    });
  });

  it('never puts the inline BMC password in a message', async () => {
    const { problems } = await loadInventory(join(dir, 'broken', 'inline-password.yaml'), noHome);
    expect(formatProblems(problems)).not.toContain('hunter2');
  });

  it('accepts a password_file of mode 600', async () => {
    chmodSync(join(dir, 'broken', 'bmc-password'), 0o600);
    const { problems } = await loadInventory(join(dir, 'broken', 'password-mode.yaml'), noHome);
    chmodSync(join(dir, 'broken', 'bmc-password'), 0o644);
    expect(problems).toEqual([]);
  });
});
