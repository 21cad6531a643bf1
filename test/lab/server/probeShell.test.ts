/** Persistent probe shells against the lab: its machines run `exec sh /dev/fd/3 …` as a shell fed by the channel. */
import { describe, expect, it } from 'vitest';
import { useLabReach } from '../../helpers/labReach.js';
import { probeFleet } from '../../../src/probe/prober.js';
import type { MachineProbe } from '../../../src/probe/types.js';
import { isApplianceRole } from '../../../src/probe/plan.js';
import { readsCommandsFromChannel } from '../../../src/lab/shell/stdinShell.js';

describe('which exec commands are a shell reading the channel', () => {
  it('knows sh -s and the persistent shell line, and nothing else', () => {
    for (const c of ['sh', 'sh -s', 'bash -s', 'exec sh', '/bin/sh -s', 'exec sh /dev/fd/3 3<&0 </dev/null', 'sh /dev/stdin']) expect(readsCommandsFromChannel(c)).toBe(true);
    for (const c of ['sh -c true', 'shutdown', 'sh script.sh', 'exec sh /dev/fd/3 4<&0', 'bash -lc id', 'cat /proc/mdstat']) expect(readsCommandsFromChannel(c)).toBe(false);
  });
});

describe('persistent probe shells on the lab', () => {
  const h = useLabReach('baie-lab-pshell-');

  it('answers several rounds on one shell with separate outputs, statuses and a fresh cwd', async () => {
    const t = h.reach.target('ella');
    const a = await h.reach.shells.exec(t, 'cat /proc/loadavg; cd /etc; pwd', { timeoutMs: 5000 });
    expect(a.stdout).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+\n\/etc\n$/);
    expect(a.code).toBe(0);
    const b = await h.reach.shells.exec(t, 'pwd; cat /nope', { timeoutMs: 5000 });
    expect(b).toMatchObject({ code: 1, stdout: '/root\n' });
    expect(b.stderr).toContain('cat: /nope: No such file or directory');
    const c = await h.reach.shells.exec(t, 'hostname', { timeoutMs: 5000 });
    expect(c).toMatchObject({ code: 0, stdout: 'ella\n', stderr: '' });
    expect(h.reach.shells.stats()).toMatchObject({ opened: 1, rounds: 3, plain: 0 });
  });

  it('probes every machine through its shell and finds what plain exec finds', async () => {
    const machines = h.reach.fleet.machines;
    const shells = await probeFleet(machines, h.reach.probeDeps(), { timeoutMs: 3000 });
    const again = await probeFleet(machines, h.reach.probeDeps(), { timeoutMs: 3000 });
    const plain = await probeFleet(machines, { ...h.reach.probeDeps(), exec: (m, cmd, o) => h.reach.exec(m.name, cmd, o) }, { timeoutMs: 3000 });
    const st = h.reach.shells.stats();
    // a machine the scenario keeps down never gets a shell; every other one keeps its own
    const shelled = machines.filter((m, i) => m.ssh && !isApplianceRole(m) && plain[i].reachable).length;
    expect(shelled).toBeGreaterThan(5);
    expect(st.open).toBe(shelled);
    expect(st.plain).toBe(0);
    // the lab's clock runs between the rounds: uptimes, loads, counters move; names, states and shapes may not
    const steady = (v: unknown): unknown =>
      typeof v === 'number' ? 0 : typeof v === 'string' ? v.replace(/\d+(\.\d+)?/g, '#') : Array.isArray(v) ? v.map(steady) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, steady(x)])) : v;
    const comparable = (p: MachineProbe) => {
      const { at: _a, latencyMs: _l, ...rest } = p;
      return steady(rest);
    };
    for (let i = 0; i < machines.length; i++) {
      expect(shells[i].reachable, machines[i].name).toBe(plain[i].reachable);
      if (!plain[i].reachable) continue; // a machine the scenario blackholes: errors differ only in wording
      expect(shells[i].errors, machines[i].name).toEqual([]);
      expect(comparable(shells[i]), machines[i].name).toEqual(comparable(plain[i]));
      expect(comparable(again[i]), machines[i].name).toEqual(comparable(plain[i]));
      if (plain[i].uptimeSec !== undefined) expect(Math.abs(shells[i].uptimeSec! - plain[i].uptimeSec!)).toBeLessThan(600);
    }
    expect(shells.filter((p) => p.reachable).length).toBe(plain.filter((p) => p.reachable).length);
    // what the base script reads really arrives: load, uptime, addresses, md arrays where the lab has them
    const served = shells.filter((p, i) => p.reachable && !isApplianceRole(machines[i]));
    for (const p of served) expect({ m: p.machine, load: p.load?.length, up: typeof p.uptimeSec, ifaces: (p.ifaces?.length ?? 0) > 0 }).toEqual({ m: p.machine, load: 3, up: 'number', ifaces: true });
    expect(served.some((p) => (p.arrays?.length ?? 0) > 0)).toBe(true);
  });
});
