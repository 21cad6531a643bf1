/** Pure rules from probe results to health reasons. The reasons are what the TUI and `probe` show. */
import type { HealthReason } from '../model/health.js';
import { healthOf } from '../model/health.js';
import type { MachineProbe } from './types.js';
import { CRITICAL_ATTRS } from './parsers/smart.js';

export interface HealthInput {
  /** Services the inventory expects. */
  expectServices?: string[];
  /** Is the machine expected to be a replica (role)? */
  replicaRole?: boolean;
}

const SEL_BAD = /fail|fault|critical|lost|error|going high|non-recoverable|stop/i;

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function healthReasons(p: MachineProbe): HealthReason[] {
  const R: HealthReason[] = [];
  const add = (level: HealthReason['level'], text: string) => R.push({ level, text });
  if (p.power === 'off') add('critical', 'power off');
  if (!p.reachable) {
    add(p.power === 'off' ? 'critical' : 'critical', `unreachable since ${hhmm(p.unreachableSince ?? p.at)}`);
  }
  for (const a of p.arrays ?? []) {
    if (a.recovery && a.degraded) add('warning', `${a.name} ${a.recovery.kind} ${a.recovery.percent.toFixed(1)}%${a.recovery.finishMin !== undefined ? `, ${a.recovery.finishMin} min left` : ''}`);
    else if (a.degraded) add('critical', `${a.name} degraded [${a.map}]`);
  }
  for (const z of p.pools ?? []) {
    if (z.state === 'ONLINE') continue;
    if (z.resilver) add('warning', `${z.name} ${z.state}, resilver ${z.resilver.percent}%`);
    else add('critical', `${z.name} ${z.state}`);
  }
  for (const d of p.disks ?? []) {
    if (d.passed === false) add('critical', `SMART FAILED on ${d.dev}`);
    for (const a of d.attrs) {
      if (a.whenFailed && d.passed !== false) add('critical', `SMART ${a.id} ${a.whenFailed} on ${d.dev}`);
      else if (CRITICAL_ATTRS.includes(a.id) && a.raw > 0) add('warning', `SMART ${a.id} raw ${a.raw} on ${d.dev}`);
    }
  }
  for (const s of p.services ?? []) if (s.state !== 'active') add('critical', `${s.name} ${s.state}`);
  if (p.replication) {
    const r = p.replication;
    if (r.ioRunning !== 'Yes' || r.sqlRunning !== 'Yes') add('critical', `replication broken: IO ${r.ioRunning}, SQL ${r.sqlRunning}${r.lastIoError ? ` (${r.lastIoError.slice(0, 60)})` : ''}`);
    else if (r.secondsBehind !== null && r.secondsBehind > 600) add('critical', `replica ${r.secondsBehind} s behind`);
    else if (r.secondsBehind !== null && r.secondsBehind > 60) add('warning', `replica ${r.secondsBehind} s behind`);
  }
  if (p.ha && !p.ha.quorum) add('critical', 'cluster has no quorum');
  for (const n of p.nodes ?? []) if (n.status !== 'online') add('warning', `node ${n.node} ${n.status}`);
  for (const g of p.guests ?? []) if (g.hastate === 'started' && g.status !== 'running') add('warning', `guest ${g.name} (${g.vmid}) ${g.status}`);
  for (const i of p.ifaces ?? []) if (i.state === 'DOWN' && i.addrs.length) add('warning', `${i.name} down`);
  if (p.load && p.load[0] > 16) add('warning', `load ${p.load[0].toFixed(1)}`);
  const sel = (p.sel ?? []).filter((e) => e.direction === 'Asserted' && SEL_BAD.test(`${e.sensor} ${e.event}`));
  if (sel.length) {
    const e = sel[sel.length - 1];
    add('warning', `SEL: ${e.sensor} ${e.event}`);
  }
  for (const e of p.errors) if (!p.reachable) continue; else add('unknown', e);
  if (R.length === 0) add('ok', 'ok');
  return R;
}

export function withHealth(p: Omit<MachineProbe, 'health'> & { health?: MachineProbe['health'] }): MachineProbe {
  const q = p as MachineProbe;
  q.health = healthOf(healthReasons(q));
  return q;
}
