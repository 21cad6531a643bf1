/**
 * A synthetic big fleet, pure data: sites, 42U racks of 1U machines, hypervisors running guests,
 * and one probe result per machine as the prober would produce it (health computed by the product).
 */
export function bigFleet({ machines = 2000, vms = 10000, hypervisors = 200, perRack = 40, sites = 4 } = {}) {
  const roleCycle = [['web'], ['mail'], ['mysql'], ['nfs', 'backup'], ['director', 'lvs'], ['dns'], ['web'], ['monitoring']];
  const ms = [];
  const racks = [];
  const siteNames = ['paris', 'rouans', 'lyon', 'lille', 'nantes', 'brest'].slice(0, sites);
  const nRacks = Math.ceil(machines / perRack);
  for (let r = 0; r < nRacks; r++) racks.push({ site: siteNames[r % sites], name: `R${String(r + 1).padStart(3, '0')}`, height: 42 });
  for (let i = 0; i < machines; i++) {
    const rack = racks[Math.floor(i / perRack)];
    const hv = i < hypervisors;
    const name = hv ? `pve${String(i + 1).padStart(4, '0')}` : `${roleCycle[i % roleCycle.length][0]}-${String(i + 1).padStart(4, '0')}`;
    ms.push({
      name,
      site: rack.site,
      rack: rack.name,
      u: (i % perRack) + 1,
      height: 1,
      roles: hv ? ['proxmox'] : roleCycle[i % roleCycle.length],
      ssh: { host: `10.${Math.floor(i / 250)}.${i % 250}.10`, port: 22, user: 'root', identityFiles: [], jump: [], knownHosts: [] },
      disks: [
        { dev: 'sda', model: 'Samsung SSD 870 EVO 500GB', serial: `S62BNJ0R${String(i).padStart(6, '0')}A`, sizeBytes: 500e9, bay: 1 },
        { dev: 'sdb', model: 'Samsung SSD 870 EVO 500GB', serial: `S62BNJ0R${String(i).padStart(6, '0')}B`, sizeBytes: 500e9, bay: 2 },
      ],
      services: hv ? [] : ['ssh', 'cron'],
      description: `bench machine ${i + 1}`,
    });
  }
  const fleet = { sites: siteNames.map((name) => ({ name })), racks, machines: ms, vms: [], source: '/bench/inventory.yaml' };
  return fleet;
}

/** One probe per machine; hypervisors report their own guests (vms / hypervisors each). */
export function bigProbes(fleet, { vms = 10000, hypervisors = 200, withHealth, now = Date.now() }) {
  const perHv = Math.ceil(vms / hypervisors);
  let vmid = 100;
  return fleet.machines.map((m, i) => {
    const hv = m.roles.includes('proxmox');
    const p = {
      machine: m.name,
      at: now - (i % 30) * 1000,
      reachable: i % 97 !== 5,
      errors: i % 97 === 5 ? [`${m.name}: connect ETIMEDOUT`] : [],
      latencyMs: 20 + (i % 50),
      load: [0.1 * (i % 20), 0.2, 0.3],
      uptimeSec: 86400 * ((i % 300) + 1),
      arrays: hv ? [] : [{ name: 'md0', level: 'raid1', state: 'active', blocks: 487253824, raidDisks: 2, activeDisks: i % 53 === 7 ? 1 : 2, map: i % 53 === 7 ? 'U_' : 'UU', members: [{ dev: 'sda2', slot: 0, flags: [] }, { dev: 'sdb2', slot: 1, flags: i % 53 === 7 ? ['F'] : [] }], degraded: i % 53 === 7 }],
      disks: m.disks.map((d) => ({ dev: d.dev, model: d.model, serial: d.serial, passed: true, attrs: [{ id: 5, name: 'Reallocated_Sector_Ct', value: 100, worst: 100, thresh: 10, raw: 0 }], temperatureC: 31 })),
      ifaces: [{ name: 'lo', state: 'UNKNOWN', addrs: ['127.0.0.1/8'] }, { name: 'eno1', state: 'UP', addrs: [`${m.ssh.host}/24`] }],
      services: m.services.map((s) => ({ name: s, state: 'active' })),
    };
    if (hv) {
      p.guests = [];
      for (let k = 0; k < perHv && vmid < 100 + vms; k++, vmid++) {
        p.guests.push({ vmid, type: vmid % 3 ? 'qemu' : 'lxc', name: `vm-${String(vmid).padStart(5, '0')}`, node: m.name, status: vmid % 17 ? 'running' : 'stopped', cpu: 0.05, maxcpu: 4, mem: 2 ** 31, maxmem: 2 ** 32, disk: 0, maxdisk: 32 * 2 ** 30, uptime: 3600 });
      }
      p.nodes = [{ node: m.name, status: 'online', cpu: 0.2, maxcpu: 32, mem: 100 * 2 ** 30, maxmem: 256 * 2 ** 30, disk: 0, maxdisk: 2 ** 40 }];
      p.pools = [{ name: 'rpool', state: 'ONLINE', devices: [{ name: 'rpool', state: 'ONLINE', read: 0, write: 0, cksum: 0, depth: 0 }] }];
    }
    return withHealth(p);
  });
}
