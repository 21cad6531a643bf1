/** Everything probed about one machine, as lines for the machine view and `baie probe`. Pure. */
import type { Machine } from '../model/fleet.js';
import type { HealthLevel } from '../model/health.js';
import type { MachineProbe } from '../probe/types.js';
import { formatDuration } from '../model/duration.js';
import { gib } from './fleetView.js';

export interface DetailLine {
  text: string;
  level?: HealthLevel;
  heading?: boolean;
}

export function machineLines(m: Machine, p: MachineProbe | undefined, now: number): DetailLine[] {
  const L: DetailLine[] = [];
  const h = (text: string) => L.push({ text, heading: true });
  const add = (text: string, level?: HealthLevel) => L.push({ text, level });
  h(`${m.name} — ${m.roles.join(', ') || 'no role'} — ${m.site}/${m.rack} U${m.u}${m.height > 1 ? `-${m.u + m.height - 1}` : ''}`);
  if (m.description) add(m.description);
  add(`ssh ${m.ssh ? `${m.ssh.user}@${m.ssh.host}:${m.ssh.port}${m.ssh.jump.length ? ` via ${m.ssh.jump.join(',')}` : ''}` : 'none'}` +
    `  bmc ${m.bmc ? `${m.bmc.address} (${m.bmc.driver})` : 'none'}` +
    `${m.console ? `  console ${m.console.server}:${m.console.port}` : ''}${m.power ? `  outlet ${m.power.strip}#${m.power.outlet}` : ''}`);
  if (!p) {
    add('not probed yet', 'unknown');
    return L;
  }
  h(`Health: ${p.health.level}`);
  for (const r of p.health.reasons) add(`  ${r.text}`, r.level);
  add(`probed ${formatDuration(now - p.at)} ago${p.latencyMs !== undefined ? `, ${p.latencyMs} ms` : ''}` +
    `${p.reachable ? '' : `, unreachable${p.unreachableSince ? ` since ${new Date(p.unreachableSince).toTimeString().slice(0, 5)}` : ''}`}` +
    `${p.power ? `, power ${p.power}` : ''}${p.load ? `, load ${p.load.join(' ')}` : ''}${p.uptimeSec !== undefined ? `, up ${formatDuration(p.uptimeSec * 1000)}` : ''}`);
  for (const e of p.errors) add(`  ${e}`, 'warning');
  if (p.arrays?.length) {
    h('Arrays');
    for (const a of p.arrays) {
      const rec = a.recovery ? `  ${a.recovery.kind} ${a.recovery.percent.toFixed(1)}%${a.recovery.finishMin !== undefined ? ` finish ${a.recovery.finishMin}min` : ''}` : '';
      add(`  ${a.name} ${a.level} [${a.raidDisks}/${a.activeDisks}] [${a.map}] ${a.members.map((x) => x.dev + (x.flags.length ? `(${x.flags.join('')})` : '')).join(' ')}${rec}`, a.degraded ? (a.recovery ? 'warning' : 'critical') : 'ok');
    }
  }
  if (p.pools?.length) {
    h('ZFS pools');
    for (const z of p.pools) {
      add(`  ${z.name} ${z.state}${z.resilver ? `  resilver ${z.resilver.percent}%${z.resilver.toGo ? `, ${z.resilver.toGo} to go` : ''}` : ''}`, z.state === 'ONLINE' ? 'ok' : 'critical');
      for (const d of z.devices) add(`    ${'  '.repeat(d.depth)}${d.name} ${d.state}${d.read + d.write + d.cksum ? ` errors ${d.read}/${d.write}/${d.cksum}` : ''}`, d.state === 'ONLINE' ? undefined : 'warning');
    }
  }
  if (p.disks?.length) {
    h('Disks');
    for (const d of p.disks) add(`  ${d.dev} ${d.model ?? ''} ${d.serial ?? ''} SMART ${d.passed === undefined ? '?' : d.passed ? 'PASSED' : 'FAILED'}${d.temperatureC !== undefined ? ` ${d.temperatureC}°C` : ''}`, d.passed === false ? 'critical' : undefined);
  }
  if (p.guests?.length) {
    h('Guests');
    for (const g of p.guests) add(`  ${String(g.vmid).padEnd(5)} ${g.type.padEnd(5)} ${g.name.padEnd(12)} ${g.status.padEnd(8)} on ${g.node}  mem ${gib(g.mem)}/${gib(g.maxmem)}${g.hastate ? `  ha ${g.hastate}` : ''}`, g.status === 'running' ? undefined : 'warning');
  }
  if (p.services?.length) {
    h('Services');
    add('  ' + p.services.map((x) => `${x.name}:${x.state}`).join('  '));
  }
  if (p.replication !== undefined) {
    h('Replication');
    if (p.replication === null) add(`  not a replica${p.readOnly !== undefined ? `, read_only=${p.readOnly ? 1 : 0}` : ''}`);
    else add(`  from ${p.replication.masterHost ?? '?'} io=${p.replication.ioRunning} sql=${p.replication.sqlRunning} behind=${p.replication.secondsBehind ?? 'NULL'}${p.replication.lastIoError ? `  ${p.replication.lastIoError}` : ''}`);
  }
  if (p.ifaces?.length) {
    h('Addresses');
    for (const i of p.ifaces) if (i.name !== 'lo') add(`  ${i.name.padEnd(8)} ${i.state.padEnd(8)} ${i.addrs.join(' ')}`, i.state === 'DOWN' ? 'warning' : undefined);
  }
  if (p.ipvs?.length) {
    h('LVS');
    for (const v of p.ipvs) add(`  ${v.proto} ${v.vip}:${v.port} ${v.scheduler} → ${v.reals.map((r) => `${r.addr}:${r.port}`).join(' ') || 'no real server'}`);
  }
  if (p.sel?.length) {
    h('SEL (recent)');
    for (const e of p.sel.slice(-8)) add(`  ${e.date} ${e.time} ${e.sensor} ${e.event} ${e.direction}`);
  }
  return L;
}
