/** A generated fleet for the scale tests: racks of 1U machines, hypervisors with guests, varied health. */
import type { Fleet, Machine } from '../../src/model/fleet.js';
import type { HealthLevel } from '../../src/model/health.js';
import type { MachineProbe } from '../../src/probe/types.js';

export function genFleet({ machines = 400, perRack = 40, hypervisors = 20 } = {}): Fleet {
  const roles = [['web'], ['mail'], ['mysql'], ['nfs', 'backup'], ['dns']];
  const sites = ['paris', 'rouans', 'lyon'];
  const nRacks = Math.ceil(machines / perRack);
  const racks = Array.from({ length: nRacks }, (_, r) => ({ site: sites[r % sites.length], name: `R${String(r + 1).padStart(3, '0')}`, height: 42 }));
  const ms: Machine[] = Array.from({ length: machines }, (_, i) => {
    const rack = racks[Math.floor(i / perRack)];
    const hv = i < hypervisors;
    return {
      name: hv ? `pve${String(i + 1).padStart(4, '0')}` : `${roles[i % roles.length][0]}-${String(i + 1).padStart(4, '0')}`,
      site: rack.site,
      rack: rack.name,
      u: (i % perRack) + 1,
      height: 1,
      roles: hv ? ['proxmox'] : roles[i % roles.length],
      disks: [],
      services: [],
    };
  });
  return { sites: sites.map((name) => ({ name })), racks, machines: ms, vms: [] };
}

/** One probe per machine (some missing, some unreachable, some degraded); hypervisors report `perHv` guests each. */
export function genProbes(fleet: Fleet, { perHv = 50, now = Date.now(), seed = 0 } = {}): Record<string, MachineProbe> {
  const out: Record<string, MachineProbe> = {};
  let vmid = 100;
  fleet.machines.forEach((m, i) => {
    if ((i + seed) % 41 === 3) return; // not probed yet
    const level: HealthLevel = (i + seed) % 13 === 1 ? 'critical' : (i + seed) % 7 === 2 ? 'warning' : 'ok';
    const p: MachineProbe = {
      machine: m.name,
      at: now - (i % 30) * 1000,
      reachable: (i + seed) % 97 !== 5,
      errors: [],
      load: [0.1 * (i % 20), 0.2, 0.3],
      health: { level, reasons: [{ level, text: level === 'ok' ? 'ok' : level === 'critical' ? 'md0 degraded' : 'load 20' }] },
    };
    if (m.roles.includes('proxmox')) {
      p.guests = Array.from({ length: perHv }, () => {
        const id = vmid++;
        return { vmid: id, type: id % 3 ? 'qemu' : 'lxc', name: `vm-${String(id).padStart(5, '0')}`, node: m.name, status: id % 17 ? 'running' : 'stopped', cpu: 0.05, maxcpu: 4, mem: 2 ** 31, maxmem: 2 ** 32 } as const;
      });
      p.nodes = [{ node: m.name, status: 'online', cpu: 0.2, maxcpu: 32, mem: (50 + (i % 7) * 20) * 2 ** 30, maxmem: 256 * 2 ** 30 }];
    }
    out[m.name] = p;
  });
  return out;
}
