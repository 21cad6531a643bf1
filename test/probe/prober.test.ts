import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from '../../src/model/fleet.js';
import { buildScript, sectionsFor, splitSections } from '../../src/probe/plan.js';
import { probeFleet } from '../../src/probe/prober.js';
import type { ExecResult } from '../../src/transport/types.js';
import type { MachineProbe } from '../../src/probe/types.js';
import { parseMdstat } from '../../src/probe/parsers/mdstat.js';

const fx = (n: string) => readFileSync(join(import.meta.dirname, 'fixtures', n), 'utf8');
const m = (name: string, roles: string[], extra: Partial<Machine> = {}): Machine => ({
  name, site: 's', rack: 'A', u: 1, height: 1, roles, disks: [], services: [],
  ssh: { host: '127.0.0.1', port: 22, user: 'root', identityFiles: [], jump: [], knownHosts: [] }, ...extra,
});

/**
 * A fake machine: answers each section of the batched script from a table of outputs. The /proc
 * files come back as `grep -Hs '' FILES` prints them (FILE:line; a missing file prints nothing).
 */
function answer(outputs: Record<string, [string, number]>, script: string): string {
  const keys = [...script.matchAll(/echo '@@baie:([^']+)'/g)].map((x) => x[1]);
  const files = /grep -Hs '' ([^;]+?) 2>&1/.exec(script)?.[1].split(' ') ?? [];
  const proc = (): [string, number] => {
    const present = files.filter((f) => outputs[f.replace('/proc/', '')]?.[1] === 0);
    const text = present.flatMap((f) => outputs[f.replace('/proc/', '')][0].split('\n').map((l) => `${f}:${l}`)).join('\n');
    return [text, present.length === files.length ? 0 : present.length ? 2 : 2];
  };
  return keys.map((k) => {
    const [out, rc] = k === 'proc' ? proc() : (outputs[k] ?? ['', 127]);
    return `@@baie:${k}\n${out}\n@@rc:${rc}`;
  }).join('\n') + '\n';
}
const ok = (stdout: string, ms = 5): ExecResult => ({ code: 0, stdout, stderr: '', durationMs: ms });

describe('probe plan', () => {
  it('gives each role its probes in one script', () => {
    const db = sectionsFor(m('elma', ['mysql'], { services: ['mariadb'] })).map((s) => s.key);
    expect(db).toEqual(expect.arrayContaining(['proc', 'addr', 'replica', 'readonly', 'services']));
    // the /proc files in one process, mdstat only where md RAID can be
    expect(sectionsFor(m('elma', ['mysql']))[0].command).toBe("grep -Hs '' /proc/loadavg /proc/uptime /proc/mdstat");
    const pveSections = sectionsFor(m('pve1', ['proxmox']));
    expect(pveSections.map((s) => s.key)).toEqual(expect.arrayContaining(['proc', 'zpool', 'pvesh', 'ha']));
    expect(pveSections[0].command).toBe("grep -Hs '' /proc/loadavg /proc/uptime");
    expect(sectionsFor(m('ada', ['switch'])).map((x) => x.key)).toEqual(['alive']);
    const script = buildScript(sectionsFor(m('x', ['web'], { services: ['apache2'] })));
    expect(script).toContain("systemctl is-active apache2 2>&1");
  });
  it('reads the /proc files from one grep -H, each parser getting that file alone', () => {
    const mdstat = fx('mdstat-degraded.txt');
    const grepOut = ['/proc/loadavg:0.50 0.40 0.30 1/99 123', '/proc/uptime:1047234.52 8123456.90', ...mdstat.replace(/\n$/, '').split('\n').map((l) => `/proc/mdstat:${l}`)].join('\n');
    const proc = sectionsFor(m('fey', ['nfs']))[0];
    const p = { machine: 'fey', at: 0, reachable: true, errors: [], health: { level: 'unknown', reasons: [] } } as MachineProbe;
    proc.apply(p, grepOut, 0);
    expect(p.load).toEqual([0.5, 0.4, 0.3]);
    expect(p.uptimeSec).toBe(1047234);
    expect(p.arrays).toEqual(parseMdstat(mdstat.replace(/\n$/, '')));
    expect(p.arrays?.length).toBeGreaterThan(0);
    // no md driver: grep -s skips the missing file (status 2) and the arrays stay unknown
    const q = { machine: 'x', at: 0, reachable: true, errors: [], health: { level: 'unknown', reasons: [] } } as MachineProbe;
    proc.apply(q, '/proc/loadavg:1.00 2.00 3.00 1/1 1\n/proc/uptime:60.00 100.00', 2);
    expect(q).toMatchObject({ load: [1, 2, 3], uptimeSec: 60 });
    expect(q.arrays).toBeUndefined();
  });
  it('splits output back into sections with exit codes', () => {
    const parts = splitSections('@@baie:a\nline1\nline2\n@@rc:0\n@@baie:b\n@@rc:127\n');
    expect(parts.get('a')).toEqual({ out: 'line1\nline2', rc: 0 });
    expect(parts.get('b')).toEqual({ out: '', rc: 127 });
  });
});

describe('probe round', () => {
  it('derives health reasons a root can act on', async () => {
    const fey = m('fey', ['nfs'], { disks: [{ dev: 'sdb' }], services: ['nfs-server'] });
    const elma = m('elma', ['mysql'], { services: ['mariadb'] });
    const out: Record<string, Record<string, [string, number]>> = {
      fey: { loadavg: ['0.50 0.40 0.30 1/99 123', 0], mdstat: [fx('mdstat-degraded.txt'), 0], 'smart:sdb': [fx('smart-failed.txt'), 8], services: ['failed', 3] },
      elma: { loadavg: ['0.1 0.1 0.1 1/1 1', 0], mdstat: [fx('mdstat-recovery.txt'), 0], replica: [fx('slave-status-mariadb.txt'), 0], readonly: ['1', 0], services: ['active', 0] },
    };
    const results = await probeFleet([fey, elma], { exec: async (mm, cmd) => ok(answer(out[mm.name], cmd)) });
    const [f, e] = results;
    expect(f.health.level).toBe('critical');
    expect(f.health.reasons.map((r) => r.text)).toEqual(expect.arrayContaining(['md1 degraded [U_]', 'SMART FAILED on sdb', 'nfs-server failed']));
    expect(f.load).toEqual([0.5, 0.4, 0.3]);
    expect(e.health.level).toBe('warning');
    expect(e.health.reasons.map((r) => r.text)).toEqual(expect.arrayContaining(['md0 recovery 21.4%, 31.7 min left', 'replica 340 s behind']));
    expect(e.readOnly).toBe(true);
  });

  it('does not let a dead host delay the others, and marks it unreachable', async () => {
    const machines = ['a', 'b', 'c', 'dead'].map((n) => m(n, ['web']));
    const order: string[] = [];
    const t0 = Date.now();
    const results = await probeFleet(
      machines,
      {
        exec: (mm, cmd, o) =>
          mm.name === 'dead'
            ? new Promise((_, rej) => o.signal.addEventListener('abort', () => rej(new Error('dead: connection timed out after 1 s'))))
            : Promise.resolve(ok(answer({ loadavg: ['0 0 0 1/1 1', 0] }, cmd))),
      },
      { timeoutMs: 1000, concurrency: 4, onResult: (p) => order.push(`${p.machine}@${Date.now() - t0 < 500 ? 'fast' : 'slow'}`) },
    );
    expect(order.slice(0, 3)).toEqual(['a@fast', 'b@fast', 'c@fast']);
    const dead = results[3];
    expect(dead.reachable).toBe(false);
    expect(dead.health.level).toBe('critical');
    expect(dead.health.reasons[0].text).toMatch(/^unreachable since \d\d:\d\d$/);
    expect(dead.errors[0]).toContain('dead: connection timed out');
  });

  it('reports BMC power off and SEL failures', async () => {
    const x = m('x', ['web'], { ssh: undefined, bmc: { driver: 'ipmitool', address: '192.0.2.9', port: 623, user: 'admin' } });
    const [p] = await probeFleet([x], {
      exec: async () => ok(''),
      bmc: async () => ({ power: 'off', sel: [{ id: 2, date: '11/21/2026', time: '03:13:44', sensor: 'Power Supply PSU2', event: 'Failure detected', direction: 'Asserted' }] }),
    });
    expect(p.power).toBe('off');
    expect(p.health.reasons.map((r) => r.text)).toEqual(['power off', 'SEL: Power Supply PSU2 Failure detected']);
  });
});
