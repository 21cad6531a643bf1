import { describe, expect, it } from 'vitest';
import { evaluateGoal, checkCondition, fieldAt, type ProbedMachine } from '../../src/app/goal.js';
import { probeJson } from '../../src/probe/report.js';
import type { MachineProbe } from '../../src/probe/types.js';
import type { GoalCondition } from '../../src/app/drill.js';

// What the prober reports for fey with sdb failed out of md0, and for estelle holding the VIP.
const fey: MachineProbe = {
  machine: 'fey',
  at: Date.parse('2026-11-22T03:12:00Z'),
  reachable: true,
  latencyMs: 3,
  errors: [],
  arrays: [
    { name: 'md0', level: 'raid1', state: 'active', blocks: 468719424, raidDisks: 2, activeDisks: 1, map: 'U_', members: [{ dev: 'sda2', slot: 0, flags: [] }, { dev: 'sdb2', slot: 1, flags: ['F'] }], degraded: true },
    { name: 'md1', level: 'raid1', state: 'active', blocks: 1048512, raidDisks: 2, activeDisks: 2, map: 'UU', members: [{ dev: 'sda1', slot: 0, flags: [] }, { dev: 'sdb1', slot: 1, flags: [] }], degraded: false },
  ],
  services: [{ name: 'nfs-server', state: 'active' }],
  health: { level: 'critical', reasons: [{ level: 'critical', text: 'md0 degraded [U_]' }] },
};
const estelle: MachineProbe = {
  machine: 'estelle',
  at: Date.parse('2026-11-22T03:12:00Z'),
  reachable: true,
  errors: [],
  services: [{ name: 'keepalived', state: 'active' }, { name: 'ssh', state: 'active' }],
  ifaces: [{ name: 'eth0', state: 'UP', addrs: ['192.0.2.12/24', '192.0.2.100/32'] }],
  ipvs: [{ proto: 'TCP', vip: '192.0.2.100', port: 80, scheduler: 'wlc', reals: [{ addr: '192.0.2.21', port: 80, forward: 'Route', weight: 1, active: 0, inactive: 0 }] }],
  replication: { ioRunning: 'Yes', sqlRunning: 'Yes', secondsBehind: 0 },
  health: { level: 'ok', reasons: [] },
};
const probes = [fey, estelle].map((p) => probeJson(p) as ProbedMachine);
const one = (c: GoalCondition) => checkCondition(c, probes);

describe('goal evaluator', () => {
  it('equals: holds on the same value, says what it is otherwise (with the health reasons)', () => {
    expect(one({ machine: 'estelle', field: 'health', equals: 'ok' }).ok).toBe(true);
    const r = one({ machine: 'fey', field: 'health', equals: 'ok' });
    expect(r.ok).toBe(false);
    expect(r.why).toBe('fey.health is "critical", want "ok" (reasons: md0 degraded [U_])');
    expect(one({ machine: 'estelle', field: 'vips', equals: ['192.0.2.100'] }).ok).toBe(true);
  });

  it('contains: a scalar in a list, or an element having the given keys (partial, nested)', () => {
    expect(one({ machine: 'estelle', field: 'vips', contains: '192.0.2.100' }).ok).toBe(true);
    expect(one({ machine: 'estelle', field: 'services', contains: { name: 'keepalived', state: 'active' } }).ok).toBe(true);
    expect(one({ machine: 'estelle', field: 'ipvs', contains: { vip: '192.0.2.100', port: 80 } }).ok).toBe(true);
    const r443 = one({ machine: 'estelle', field: 'ipvs', contains: { vip: '192.0.2.100', port: 443 } });
    expect(r443.ok).toBe(false);
    expect(r443.why).toMatch(/^estelle\.ipvs has no element \{"vip":"192\.0\.2\.100","port":443\}: \[/);
    // nested: the element's `reals` list must equal; a nested mapping is matched partially
    expect(one({ machine: 'fey', field: 'arrays', contains: { name: 'md0', members: [{ dev: 'sda2', slot: 0, flags: [] }, { dev: 'sdb2', slot: 1, flags: ['F'] }] } }).ok).toBe(true);
    expect(one({ machine: 'fey', field: 'health', contains: 'ok' }).why).toBe('fey.health is not a list: "critical"');
  });

  it('none: no element has all the keys', () => {
    const r = one({ machine: 'fey', field: 'arrays', none: { degraded: true } });
    expect(r.ok).toBe(false);
    expect(r.why).toMatch(/^fey\.arrays has an element with \{"degraded":true\}: \{"name":"md0"/);
    expect(one({ machine: 'fey', field: 'arrays', none: { degraded: true, name: 'md1' } }).ok).toBe(true);
  });

  it('every: each element has all the keys', () => {
    const r = one({ machine: 'fey', field: 'arrays', every: { map: 'UU' } });
    expect(r.ok).toBe(false);
    expect(r.why).toMatch(/without \{"map":"UU"\}: \{"name":"md0".*"map":"U_"/);
    expect(one({ machine: 'estelle', field: 'services', every: { state: 'active' } }).ok).toBe(true);
  });

  it('count: the length of a list', () => {
    expect(one({ machine: 'fey', field: 'arrays', count: 2 }).ok).toBe(true);
    expect(one({ machine: 'estelle', field: 'ipvs', count: 2 }).why).toBe('estelle.ipvs has 1 element, want 2');
  });

  it('a nested field path walks into objects and lists', () => {
    expect(one({ machine: 'estelle', field: 'replication.secondsBehind', equals: 0 }).ok).toBe(true);
    expect(one({ machine: 'fey', field: 'arrays.0.map', equals: 'UU' }).why).toBe('fey.arrays.0.map is "U_", want "UU" (reasons: md0 degraded [U_])');
    expect(one({ machine: 'fey', field: 'replication.ioRunning', equals: 'Yes' }).why).toMatch(/^fey\.replication\.ioRunning is missing, want "Yes"/);
    expect(fieldAt({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
  });

  it('a machine not probed never holds', () => {
    const r = one({ machine: 'eva', field: 'health', equals: 'ok' });
    expect(r).toMatchObject({ ok: false, why: 'eva was not probed' });
  });

  it('the goal holds only when every condition does, and says which do not', () => {
    const goal: GoalCondition[] = [
      { machine: 'estelle', field: 'health', equals: 'ok' },
      { machine: 'fey', field: 'arrays', none: { degraded: true } },
      { machine: 'eva', field: 'reachable', equals: true },
    ];
    const g = evaluateGoal(goal, probes);
    expect(g.holds).toBe(false);
    expect(g.results.map((r) => r.ok)).toEqual([true, false, false]);
    expect(g.results[1].label).toBe('fey.arrays none {"degraded":true}');
    expect(evaluateGoal(goal.slice(0, 1), probes).holds).toBe(true);
    expect(evaluateGoal([], probes).holds).toBe(false);
  });
});
