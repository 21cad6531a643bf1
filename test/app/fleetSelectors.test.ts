import { describe, expect, it } from 'vitest';
import { filteredMachines, healthCounts, hypervisorsOf, liveGuestsOf, machineNamed } from '../../src/app/fleetSelectors.js';
import { hypervisors, levelOf, liveGuests, reasonsOf } from '../../src/app/fleetView.js';
import type { Fleet } from '../../src/model/fleet.js';
import type { MachineProbe } from '../../src/probe/types.js';
import { genFleet, genProbes } from './bigFleet.js';

/** The plain computations the selectors cache. */
function plainFilter(fleet: Fleet, probes: Record<string, MachineProbe>, filter: string) {
  const f = filter.toLowerCase();
  if (!f) return fleet.machines;
  return fleet.machines.filter((m) => [m.name, m.site, m.rack, ...m.roles, levelOf(probes[m.name]), reasonsOf(probes[m.name])].some((x) => x.toLowerCase().includes(f)));
}

describe('memoized fleet selectors', () => {
  const fleet = genFleet({ machines: 600, hypervisors: 20 });
  const probes = genProbes(fleet);

  it('count machines per health level as a walk over the fleet does', () => {
    const c = healthCounts(fleet, probes);
    for (const level of ['ok', 'warning', 'critical', 'unknown'] as const) expect(c[level]).toBe(fleet.machines.filter((m) => levelOf(probes[m.name]) === level).length);
    expect(c.unknown).toBeGreaterThan(0);
    expect(healthCounts(fleet, probes)).toBe(c);
    // a new probe round counts again
    const next = genProbes(fleet, { seed: 1 });
    expect(healthCounts(fleet, next)).not.toBe(c);
    expect(healthCounts(fleet, next).critical).toBe(fleet.machines.filter((m) => levelOf(next[m.name]) === 'critical').length);
  });

  it('filter machines as the plain filter does, typing forward and back', () => {
    for (const typed of ['m', 'my', 'mys', 'mysq', 'mysql', 'mysql-0', 'mysql-03', 'mysql-0', 'my', '', 'CRIT', 'degraded', 'rouans', 'R003', 'zzz', 'load 2']) {
      const got = filteredMachines(fleet, probes, typed);
      expect(got.machines.map((m) => m.name), typed).toEqual(plainFilter(fleet, probes, typed).map((m) => m.name));
      for (const m of got.machines.slice(0, 5)) expect(got.machines[got.indexOf(m.name)]).toBe(m);
      expect(got.indexOf('no-such-machine')).toBe(-1);
    }
    // health changes between rounds change what a health filter keeps
    const next = genProbes(fleet, { seed: 1 });
    expect(filteredMachines(fleet, next, 'critical').machines.map((m) => m.name)).toEqual(plainFilter(fleet, next, 'critical').map((m) => m.name));
  });

  it('find a machine by name and share live guests and hypervisors per probe round', () => {
    expect(machineNamed(fleet, fleet.machines[123].name)).toBe(fleet.machines[123]);
    expect(machineNamed(fleet, 'nope')).toBeUndefined();
    const g = liveGuestsOf(fleet, probes);
    expect(g).toEqual(liveGuests(fleet, probes));
    expect(liveGuestsOf(fleet, probes)).toBe(g);
    const h = hypervisorsOf(fleet, probes);
    expect(h).toEqual(hypervisors(fleet, probes));
    expect(hypervisorsOf(fleet, probes)).toBe(h);
    expect(h.some((x) => x.guests.length === 50)).toBe(true);
  });
});
