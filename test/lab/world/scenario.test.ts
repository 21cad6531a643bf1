import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../../../src/lab/scenario.js';
import { handLab, START } from './helpers.js';

const lab = handLab();
const { world } = lab;
const inv = lab.inventory as { sites: Record<string, { racks: Record<string, { height: number }> }>; machines: Record<string, Record<string, unknown>>; vms: Record<string, Record<string, unknown>> };

const DOC_NETS = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/;

describe('default scenario', () => {
  test('has exactly the named fleet, racks and sites', () => {
    expect([...world.machines.keys()].sort()).toEqual(
      ['ada', 'apc', 'baloo', 'console', 'ella', 'elea', 'elma', 'elsa', 'emma', 'estelle', 'eva', 'facteur', 'fey', 'pve1', 'pve2'].sort(),
    );
    const where = (n: string) => `${world.machine(n)!.site}/${world.machine(n)!.rack}`;
    for (const n of ['eva', 'estelle', 'emma', 'ella', 'elea', 'elma', 'elsa', 'fey', 'console', 'ada', 'facteur', 'apc']) expect(where(n)).toBe('paris/A');
    for (const n of ['pve1', 'pve2', 'baloo']) expect(where(n)).toBe('rouans/B');
    expect(inv.sites.paris.racks.A.height).toBe(42);
    expect(inv.sites.rouans.racks.B.height).toBe(24);
  });

  test('machines fit in their racks without overlapping', () => {
    const byRack = new Map<string, [number, number, string][]>();
    for (const [name, m] of Object.entries(inv.machines)) {
      const lo = m.u as number;
      const hi = lo + (m.height as number) - 1;
      const rack = inv.sites[m.site as string].racks[m.rack as string];
      expect(hi, name).toBeLessThanOrEqual(rack.height);
      const list = byRack.get(`${m.site}/${m.rack}`) ?? [];
      for (const [a, b, other] of list) expect(lo > b || hi < a, `${name} overlaps ${other}`).toBe(true);
      list.push([lo, hi, name]);
      byRack.set(`${m.site}/${m.rack}`, list);
    }
    expect(inv.machines.fey.height).toBe(2);
  });

  test('roles of the fleet: directors, frontends, MySQL pair, filer, Proxmox cluster', () => {
    const eva = world.machine('eva')!;
    expect(eva.ifaces.find((i) => i.name === 'eno1')!.addrs).toContain('192.0.2.100/24');
    expect(eva.ipvs.map((s) => `${s.vip}:${s.port}`)).toContain('192.0.2.100:80');
    expect(eva.ipvs[0].reals.map((r) => r.addr)).toEqual(['192.0.2.21', '192.0.2.22']);
    expect(world.machine('estelle')!.power).toBe('off');
    expect(world.machine('estelle')!.files['/etc/keepalived/keepalived.conf']).toMatch(/state BACKUP/);
    for (const n of ['emma', 'ella']) {
      const m = world.machine(n)!;
      for (const s of ['apache2', 'postfix', 'dovecot']) expect(m.services.find((x) => x.name === s)?.active, `${n} ${s}`).toBe(true);
      expect(m.files['/etc/fstab']).toMatch(/^192\.0\.2\.51:\/srv\/nfs\/www\s+\/var\/www\s+nfs4/m);
    }
    expect(world.machine('fey')!.files['/etc/exports']).toMatch(/192\.0\.2\.21\(rw/);
    const elea = world.machine('elea')!.mysql!;
    const elma = world.machine('elma')!.mysql!;
    expect(elea.flavor).toBe('mariadb');
    expect(elea.version).toMatch(/^10\.11\./);
    expect(elea.replica).toBeUndefined();
    expect(elma.replica).toMatchObject({ masterHost: world.machine('elea')!.address, ioRunning: true, sqlRunning: true, secondsBehind: 0 });
    expect(elma.replica!.gtidSlavePos).toBe(elea.gtidBinlogPos);
    expect(elma.readOnly).toBe(true);
    expect(world.machine('elsa')!.services.map((s) => s.name)).toEqual(expect.arrayContaining(['mailman3', 'mailman3-web']));
    expect(world.machine('fey')!.services.find((s) => s.name === 'nfs-kernel-server')?.active).toBe(true);
    expect(world.machine('eva')!.consoleVia).toEqual({ server: 'console', port: 'eva' });
    expect(world.machine('estelle')!.consoleVia).toEqual({ server: 'console', port: 'estelle' });
    const apc = world.strips.get('apc')!;
    expect(apc.outlets.find((o) => o.name === 'eva')).toBeDefined();
    expect(apc.outlets.find((o) => o.name === 'estelle')).toBeDefined();
  });

  test('Proxmox cluster rouans with its guests and HA group', () => {
    const c = world.clusters.get('rouans')!;
    expect(c.nodes).toEqual(['pve1', 'pve2']);
    expect(c.haGroups[0].nodes).toEqual(['pve1', 'pve2']);
    expect(c.guests.map((g) => `${g.vmid} ${g.name} ${g.type}`)).toEqual(['100 web qemu', '101 mail qemu', '102 cloud qemu', '200 dns lxc']);
    for (const g of c.guests) {
      expect(['pve1', 'pve2']).toContain(g.node);
      expect(g.ha).toBe('started');
    }
    for (const n of ['pve1', 'pve2']) {
      const m = world.machine(n)!;
      expect(m.cluster).toBe('rouans');
      expect(m.md).toEqual([]);
      const rpool = m.zpools.find((p) => p.name === 'rpool')!;
      expect(rpool.vdevs[0].type).toBe('mirror');
      expect(rpool.vdevs[0].disks.map((d) => d.disk)).toEqual(['sda', 'sdb']);
      expect(rpool.vdevs[0].disks[0].name).toMatch(/^ata-.+-part3$/);
    }
  });

  test('baloo holds a nightly vzdump archive of every guest', () => {
    const list = world.backups.get('baloo')!;
    const guests = world.clusters.get('rouans')!.guests;
    const nights = new Set(list.map((b) => new Date(b.at).toISOString().slice(0, 10)));
    expect(nights.size).toBe(3);
    for (const night of nights) {
      const that = list.filter((b) => new Date(b.at).toISOString().slice(0, 10) === night).map((b) => b.vmid).sort();
      expect(that).toEqual(guests.map((g) => g.vmid).sort());
    }
    for (const b of list) {
      expect(b.at).toBeLessThan(START);
      expect(b.path).toMatch(/^\/srv\/backup\/dump\/vzdump-(qemu|lxc)-\d+-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.(vma|tar)\.zst$/);
      expect(b.path.includes(`-${b.type}-${b.vmid}-`)).toBe(true);
    }
    expect(list.find((b) => b.vmid === 200)!.path).toMatch(/\.tar\.zst$/);
  });

  test('non-Proxmox servers: two disks in RAID1 (md0 root, md1 data) with real-looking serials', () => {
    for (const n of ['emma', 'ella', 'elea', 'elma', 'elsa', 'baloo', 'eva', 'estelle']) {
      const m = world.machine(n)!;
      expect(m.disks.map((d) => d.dev), n).toEqual(['sda', 'sdb']);
      expect(m.md.map((a) => a.name)).toEqual(['md0', 'md1']);
      expect(m.md[0].members.map((x) => `${x.dev}:${x.state}`)).toEqual(['sda2:active', 'sdb2:active']);
      expect(m.md[1].members.map((x) => x.dev)).toEqual(['sda3', 'sdb3']);
      expect(m.md[0].blocks).toBeGreaterThan(1e7);
      for (const d of m.disks) {
        expect(d.serial).toMatch(/^[A-Z0-9-]{8,}$/);
        expect(d.label!.partitions.length).toBe(3);
        expect(d.smartPassed).toBe(true);
      }
      expect(new Set(m.disks.map((d) => d.serial)).size).toBe(2);
    }
    expect(world.machine('emma')!.disks[0].sizeBytes).toBe(500107862016);
    const fey = world.machine('fey')!;
    expect(fey.disks.map((d) => d.bay)).toEqual([1, 2, 3, 4]);
    expect(fey.md.map((a) => `${a.name}:${a.members.map((x) => x.dev).join(',')}`)).toEqual(['md0:sda2,sdb2', 'md1:sdc1,sdd1']);
  });

  test('BMC on every machine but eva, estelle, console, switches and the strip', () => {
    const without = [...world.machines.values()].filter((m) => !m.bmc).map((m) => m.name).sort();
    expect(without).toEqual(['ada', 'apc', 'console', 'estelle', 'eva', 'facteur']);
    const addrs = [...world.machines.values()].flatMap((m) => (m.bmc ? [m.bmc.address] : []));
    expect(new Set(addrs).size).toBe(addrs.length);
    for (const m of world.machines.values()) {
      expect(m.address, m.name).toMatch(DOC_NETS);
      if (m.bmc) expect(m.bmc.address).toMatch(DOC_NETS);
      expect(m.bmc?.password ?? lab.bmcPassword).toBe(lab.bmcPassword);
    }
  });

  test('every machine that is on sits at its login prompt with a valid host key', () => {
    for (const m of world.machines.values()) {
      expect(m.hostKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
      if (m.power === 'on' && /^(debian|pve)/.test(m.roles.includes('proxmox') ? 'pve' : m.roles.includes('switch') || m.roles.includes('pdu') ? 'x' : 'debian')) {
        expect(m.consoleLog.join('\n')).toMatch(new RegExp(`Debian GNU/Linux 12 ${m.name} ttyS0\\n\\n${m.name} login: $`));
      }
      expect(m.boot).toBe(m.power === 'on' ? 'up' : 'off');
    }
    expect(new Set([...world.machines.values()].map((m) => m.sshPort)).size).toBe(world.machines.size);
  });

  test('inventory part is plain data without lab blocks, with generated disks, ssh and bmc', () => {
    const keys = (o: unknown): string[] => (o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => [k, ...keys(v)]) : []);
    expect(keys(lab.inventory)).not.toContain('lab');
    expect(Object.keys(inv.machines).length).toBe(15);
    expect(inv.machines.emma.bmc).toMatchObject({ driver: 'lab', address: world.machine('emma')!.bmc!.address, user: 'root' });
    expect(JSON.stringify(inv.machines.emma.bmc)).not.toContain(lab.bmcPassword);
    expect(inv.machines.eva.bmc).toBeUndefined();
    expect(inv.machines.eva.console).toEqual({ server: 'console', port: 'eva' });
    expect(inv.machines.emma.ssh).toEqual({ host: '127.0.0.1', port: world.machine('emma')!.sshPort, user: 'root' });
    expect((inv.machines.fey.disks as { serial: string }[]).map((d) => d.serial)).toEqual(world.machine('fey')!.disks.map((d) => d.serial));
    expect(inv.vms.dns).toEqual({ id: 200, type: 'lxc', node: 'pve2', priority: 0, services: ['knot'], cpus: 1, memory: '1G', disk: '8G' });
  });

  test('the same scenario loads with the same serials, and reuses given host keys', () => {
    const again = loadScenario(undefined, { now: START, hostKeys: { emma: world.machine('emma')!.hostKey } });
    expect(again.world.machine('fey')!.disks.map((d) => d.serial)).toEqual(world.machine('fey')!.disks.map((d) => d.serial));
    expect(again.world.machine('emma')!.hostKey).toBe(world.machine('emma')!.hostKey);
    expect(again.world.machine('ella')!.hostKey).not.toBe(world.machine('ella')!.hostKey);
  });
});

describe('validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baie-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = `sites:
  paris:
    racks:
      A: {height: 42}
machines:
  emma:
    site: paris
    rack: A
    u: 10
    lab: {address: 192.0.2.21}
`;

  function problems(text: string): string[] {
    try {
      parseScenario(text, 'broken.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).problems;
    }
    throw new Error('expected a ScenarioError');
  }

  test('a minimal scenario loads', () => {
    const s = parseScenario(base, 'ok.yaml', { now: START });
    expect(s.world.machine('emma')!.md.length).toBe(2);
  });

  test('wrong type, unknown key and bad enum point at their line and column', () => {
    const text = base.replace('    u: 10\n', '    u: ten\n    colour: red\n').replace('{address: 192.0.2.21}', '{address: 192.0.2.21, power: maybe}');
    const p = problems(text);
    expect(p).toContainEqual(expect.stringMatching(/^broken\.yaml:9:8: machines\.emma\.u: .*number/));
    expect(p).toContainEqual(expect.stringMatching(/^broken\.yaml:10:5: machines\.emma\.colour: unknown key colour/));
    expect(p).toContainEqual(expect.stringMatching(/^broken\.yaml:11:\d+: machines\.emma\.lab\.power: /));
  });

  test('references are checked: site, rack height, overlaps, strip, console server, fault', () => {
    const text = `${base}  ella:
    site: lyon
    rack: A
    u: 10
    lab: {address: 192.0.2.22}
  elsa:
    site: paris
    rack: A
    u: 42
    height: 2
    console: {server: nowhere, port: elsa}
    power: {strip: apc, outlet: 1}
    lab: {address: 192.0.2.41}
  elea:
    site: paris
    rack: A
    u: 10
    lab: {address: 192.0.2.31}
lab:
  faults:
    - {fault: meteor, machine: emma}
    - {fault: disk-fail, machine: ghost}
`;
    const p = problems(text).join('\n');
    expect(p).toMatch(/^broken\.yaml:12:11: machines\.ella\.site: unknown site lyon/m);
    expect(p).toMatch(/broken\.yaml:19:8: machines\.elsa\.u: elsa occupies U42-U43 but rack A is 42U high/);
    expect(p).toMatch(/broken\.yaml:27:8: machines\.elea\.u: elea \(U10-U10\) overlaps emma/);
    expect(p).toMatch(/machines\.elsa\.console\.server: unknown console server nowhere/);
    expect(p).toMatch(/machines\.elsa\.power\.strip: unknown power strip apc/);
    expect(p).toMatch(/broken\.yaml:31:15: lab\.faults\[0\]\.fault: unknown fault meteor/);
    expect(p).toMatch(/lab\.faults\[1\]\.machine: unknown machine ghost/);
  });

  test('YAML syntax errors carry their position; a missing file is one line', () => {
    const p = problems('sites:\n  paris: {racks: {A: {height: 42}}\nmachines: [\n');
    expect(p[0]).toMatch(/^broken\.yaml:\d+:\d+: /);
    const file = join(dir, 'nope.yaml');
    expect(() => loadScenario(file)).toThrow(`${file}:1:1: cannot read scenario (no such file)`);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, base.replace('u: 10', 'u: -3'));
    expect(() => loadScenario(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:9:8: machines\\.emma\\.u: `));
  });
});
