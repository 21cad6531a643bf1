/**
 * keepalived on the LVS directors: VRRP election over the world and the IPVS table it loads.
 *
 * Configuration read per machine: `/etc/keepalived/keepalived.conf` in `machine.files` when
 * present (vrrp_instance + virtual_server blocks). Without it, the machine's IPVS table as
 * first seen by the lab stands in for the config: each distinct VIP becomes a /32 on the
 * first non-loopback interface of one instance (vrid 51), priority 150 if the machine held
 * the VIP when first seen, else 100.
 *
 * Semantics: the highest-priority answering peer with keepalived active holds the VIPs;
 * a graceful stop hands over at once, a dead master (off, hung, cable pulled) is replaced
 * after 3 × advert_int of lab time; a higher-priority peer preempts unless `nopreempt`.
 * keepalived loads the IPVS table on MASTER and BACKUP alike; its checkers drop a real
 * server whose port stops answering and put it back when it answers again.
 */
import type { IpvsService, LabMachine } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { addrOf, answers, ipToInt, primaryAddr } from './addr.js';
import { realHealthy } from './health.js';
import { parseKeepalivedConf, type KeepalivedConfig, type VrrpInstance } from './kaconf.js';
import { findUnit } from './units.js';

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

interface Snapshot {
  ipvs: IpvsService[];
  heldVips: Set<string>;
}
const snapshots = new WeakMap<LabMachine, Snapshot>();

function cloneIpvs(list: IpvsService[]): IpvsService[] {
  return list.map((s) => ({ ...s, reals: s.reals.map((r) => ({ ...r })) }));
}

/** Record the machine's IPVS table and held VIPs the first time the lab sees it. */
export function rememberDirector(m: LabMachine): void {
  if (snapshots.has(m)) return;
  const held = new Set<string>();
  for (const s of m.ipvs) if (m.ifaces.some((i) => i.addrs.some((a) => addrOf(a) === s.vip))) held.add(s.vip);
  snapshots.set(m, { ipvs: cloneIpvs(m.ipvs), heldVips: held });
}

/** The keepalived configuration the machine runs with (see the module comment). */
export function keepalivedConfig(m: LabMachine): KeepalivedConfig {
  const text = m.files[KEEPALIVED_CONF];
  if (text !== undefined) return parseKeepalivedConf(text);
  rememberDirector(m);
  const snap = snapshots.get(m)!;
  const vips = [...new Set(snap.ipvs.map((s) => s.vip))];
  if (vips.length === 0) return { instances: [], services: [] };
  const dev = m.ifaces.find((i) => i.name !== 'lo')?.name ?? 'eth0';
  const master = vips.some((v) => snap.heldVips.has(v));
  return {
    instances: [
      {
        name: 'VI_1',
        state: master ? 'MASTER' : 'BACKUP',
        iface: dev,
        vrid: 51,
        priority: master ? 150 : 100,
        advertInt: 1,
        nopreempt: false,
        vips: vips.map((v) => ({ cidr: `${v}/32`, dev })),
      },
    ],
    services: cloneIpvs(snap.ipvs),
  };
}

function keepalivedRunning(m: LabMachine): boolean {
  const u = findUnit(m, 'keepalived');
  return !!u && u.active;
}

function holdsInstance(m: LabMachine, inst: VrrpInstance): boolean {
  return inst.vips.length > 0 && inst.vips.every((v) => m.ifaces.some((i) => i.name !== 'lo' && i.addrs.some((a) => addrOf(a) === addrOf(v.cidr))));
}

function takeInstance(m: LabMachine, inst: VrrpInstance): void {
  for (const v of inst.vips) {
    const iface = m.ifaces.find((i) => i.name === v.dev) ?? m.ifaces.find((i) => i.name !== 'lo');
    if (!iface) continue;
    if (!iface.addrs.some((a) => addrOf(a) === addrOf(v.cidr))) iface.addrs.push(v.cidr);
  }
}

function releaseInstance(m: LabMachine, inst: VrrpInstance): void {
  const gone = new Set(inst.vips.map((v) => addrOf(v.cidr)));
  for (const i of m.ifaces) {
    if (i.name === 'lo') continue;
    i.addrs = i.addrs.filter((a) => !gone.has(addrOf(a)));
  }
}

/** Lab ms at which each VRRP group (by world and vrid) last had a live master. */
const masterSeen = new WeakMap<LabWorld, Map<number, number>>();

interface Peer {
  m: LabMachine;
  inst: VrrpInstance;
}

function peersOf(world: LabWorld, vrid: number): Peer[] {
  const out: Peer[] = [];
  for (const m of world.machines.values()) {
    if (!findUnit(m, 'keepalived')) continue;
    const inst = keepalivedConfig(m).instances.find((i) => i.vrid === vrid);
    if (inst) out.push({ m, inst });
  }
  return out;
}

function better(a: Peer, b: Peer): boolean {
  if (a.inst.priority !== b.inst.priority) return a.inst.priority > b.inst.priority;
  return ipToInt(primaryAddr(a.m) ?? '0.0.0.0') > ipToInt(primaryAddr(b.m) ?? '0.0.0.0');
}

/**
 * Bring one VRRP group to its steady state. `immediate` skips the master-down wait
 * (a graceful stop, or a start that finds no master).
 */
export function electVrrp(world: LabWorld, vrid: number, immediate = false): void {
  const all = peersOf(world, vrid);
  const live = all.filter((p) => answers(p.m) && keepalivedRunning(p.m));
  if (live.length === 0) return;
  const best = live.reduce((a, b) => (better(b, a) ? b : a));
  const masters = live.filter((p) => holdsInstance(p.m, p.inst));
  let seen = masterSeen.get(world);
  if (!seen) masterSeen.set(world, (seen = new Map()));
  const now = world.now();
  if (masters.length > 0) {
    seen.set(vrid, now);
    let keep = masters.reduce((a, b) => (better(b, a) ? b : a));
    if (keep !== best && best.inst.priority > keep.inst.priority && !best.inst.nopreempt) {
      takeInstance(best.m, best.inst);
      keep = best;
    }
    for (const p of masters) if (p !== keep) releaseInstance(p.m, p.inst);
    return;
  }
  // No live master: the backups wait master_down_interval (3 × advert_int) after the last advert.
  const last = seen.get(vrid);
  if (immediate || last === undefined || now - last >= 3 * best.inst.advertInt * 1000) {
    takeInstance(best.m, best.inst);
    seen.set(vrid, now);
  }
}

/** The IPVS table keepalived loads: configured services with the reals that pass their check. */
function loadIpvs(world: LabWorld, m: LabMachine, cfg: KeepalivedConfig): void {
  m.ipvs = cloneIpvs(cfg.services).map((s) => ({ ...s, reals: s.reals.filter((r) => realHealthy(world, r.addr, r.port)) }));
  const h = healthSeen(m);
  h.clear();
  for (const s of cfg.services) for (const r of s.reals) h.set(realKey(s, r), realHealthy(world, r.addr, r.port));
}

/** keepalived started on `m` (unit already marked active). */
export function keepalivedStarted(world: LabWorld, m: LabMachine): void {
  const cfg = keepalivedConfig(m);
  for (const inst of cfg.instances) releaseInstance(m, inst);
  loadIpvs(world, m, cfg);
  for (const inst of cfg.instances) electVrrp(world, inst.vrid, true);
}

/** keepalived stopped on `m` (unit already marked inactive): VIPs and IPVS table go, a peer takes over. */
export function keepalivedStopped(world: LabWorld, m: LabMachine): void {
  const cfg = keepalivedConfig(m);
  for (const inst of cfg.instances) releaseInstance(m, inst);
  m.ipvs = [];
  for (const inst of cfg.instances) electVrrp(world, inst.vrid, true);
}

/** A machine just finished booting: runtime addresses and the IPVS table are gone. */
export function keepalivedBooted(m: LabMachine): void {
  const cfg = keepalivedConfig(m);
  for (const inst of cfg.instances) releaseInstance(m, inst);
  m.ipvs = [];
}

const healthMaps = new WeakMap<LabMachine, Map<string, boolean>>();
function healthSeen(m: LabMachine): Map<string, boolean> {
  let h = healthMaps.get(m);
  if (!h) healthMaps.set(m, (h = new Map()));
  return h;
}
function realKey(s: IpvsService, r: { addr: string; port: number }): string {
  return `${s.proto} ${s.vip}:${s.port} ${r.addr}:${r.port}`;
}

/**
 * keepalived's checkers: a real server whose port stops answering leaves the table; one that
 * comes back (a health transition) is put back. Reals added by hand stay until they fail.
 */
function runCheckers(world: LabWorld, m: LabMachine): void {
  const cfg = keepalivedConfig(m);
  const seen = healthSeen(m);
  for (const cs of cfg.services) {
    const live = m.ipvs.find((s) => s.proto === cs.proto && s.vip === cs.vip && s.port === cs.port);
    for (const cr of cs.reals) {
      const key = realKey(cs, cr);
      const ok = realHealthy(world, cr.addr, cr.port);
      const prev = seen.get(key);
      seen.set(key, ok);
      if (!live) continue;
      const inTable = live.reals.some((r) => r.addr === cr.addr && r.port === cr.port);
      if (!ok && inTable) live.reals = live.reals.filter((r) => !(r.addr === cr.addr && r.port === cr.port));
      if (ok && prev === false && !inTable) live.reals.push({ ...cr, active: 0, inactive: 0 });
    }
  }
}

/** Ticker: snapshot directors, run checkers, hold elections. */
export function keepalivedTicker(world: LabWorld): void {
  const vrids = new Set<number>();
  for (const m of world.machines.values()) {
    if (!findUnit(m, 'keepalived')) continue;
    rememberDirector(m);
    for (const inst of keepalivedConfig(m).instances) vrids.add(inst.vrid);
    if (answers(m) && keepalivedRunning(m)) runCheckers(world, m);
  }
  for (const v of vrids) electVrrp(world, v);
}

/** VRRP state of the machine's instances as `journalctl`/probes would describe it. */
export function vrrpState(m: LabMachine): { instance: string; state: 'MASTER' | 'BACKUP' | 'FAULT' }[] {
  return keepalivedConfig(m).instances.map((inst) => ({
    instance: inst.name,
    state: !keepalivedRunning(m) ? 'FAULT' : holdsInstance(m, inst) ? 'MASTER' : 'BACKUP',
  }));
}
