/**
 * Faults the game master injects into the lab. Each changes state the way the real failure
 * would, and only the real recovery actions undo it.
 */
import { addSel } from './bmc.js';
import { linkDownText } from './bootlog.js';
import { machineKind } from './hardware.js';
import { extra } from './machine-extra.js';
import { crash, machineOf, powerOff, reset, writeConsole } from './power.js';
import type { LabDisk, LabMachine } from './state.js';
import { KEEPALIVED_CONF, parseKeepalived, vipHolders, vrrpTicker } from './vrrp.js';
import type { LabWorld } from './world.js';
import { failDisk as storageFailDisk } from './commands/storage/index.js';

export interface FaultInfo {
  name: string;
  args: string;
  description: string;
}

export const FAULTS: FaultInfo[] = [
  { name: 'disk-fail', args: 'MACHINE [DEV]', description: 'A disk dies: SMART FAILED, I/O errors, RAID1 degraded [U_] (or ZFS mirror DEGRADED), BMC SEL Drive Fault. Fix: replace the disk and resync.' },
  { name: 'host-crash', args: 'MACHINE', description: 'Kernel panic: panic text on the console, SSH times out, power stays on. Fix: power cycle or reset (BMC, strip or hands).' },
  { name: 'power-loss', args: 'MACHINE', description: 'AC lost: the machine is off (BMC still answers when it has one; a strip-fed machine\'s outlet is off). Fix: power on through the BMC or the strip.' },
  { name: 'network-down', args: 'MACHINE [link|cable]', description: 'eno1 link lost: SSH unreachable, BMC and console still work. Fix: `ip link set eno1 up` on the console (link) or hands replug-cable.' },
  { name: 'service-down', args: 'MACHINE SERVICE', description: 'A service dies (failed state). Fix: systemctl restart SERVICE (or a reboot if it is enabled).' },
  { name: 'mysql-primary-crash', args: '[MACHINE] [mysqld|host]', description: 'The MySQL primary dies (mysqld killed, or the host panics); the replica\'s IO thread errors. Fix: restart it, or promote the replica.' },
  { name: 'director-crash', args: '[MACHINE] [panic|off]', description: 'The keepalived MASTER director dies; the service VIP is gone until a backup director takes over.' },
  { name: 'hypervisor-fail', args: 'MACHINE', description: 'A Proxmox node dies (powered off): its guests are unreachable, the cluster loses quorum. Fix: power it on, or recover guests elsewhere.' },
  { name: 'node-destroyed', args: 'MACHINE', description: 'The machine\'s disks are wiped: it boots to "no boot device" until a PXE reinstall and a restore.' },
];

function pickDisk(m: LabMachine, dev: string | undefined): LabDisk {
  if (dev) {
    const d = m.disks.find((x) => x.dev === dev.replace(/^\/dev\//, ''));
    if (!d || d.gone) throw new Error(`${m.name} has no disk ${dev} (disks: ${m.disks.filter((x) => !x.gone).map((x) => x.dev).join(', ') || 'none'})`);
    if (d.failed) throw new Error(`${m.name}: ${d.dev} has already failed`);
    return d;
  }
  const healthy = m.disks.filter((x) => !x.failed && !x.gone);
  const d = healthy.at(-1);
  if (!d) throw new Error(`${m.name} has no healthy disk left to fail`);
  return d;
}

function diskFail(world: LabWorld, m: LabMachine, dev?: string): string {
  if (m.disks.length === 0) throw new Error(`${m.name} has no disks`);
  const d = pickDisk(m, dev);
  const before = new Set(m.md.flatMap((a) => a.members.filter((x) => x.state === 'faulty').map((x) => `${a.name}:${x.dev}`)));
  // The storage module owns what a dying disk does to md, ZFS, SMART and the kernel log.
  storageFailDisk(world, m, d.dev);
  const notes: string[] = [];
  for (const a of m.md) for (const x of a.members) if (x.state === 'faulty' && !before.has(`${a.name}:${x.dev}`)) notes.push(`${a.name} degraded (${x.dev} faulty)`);
  for (const p of m.zpools) for (const v of p.vdevs) for (const x of v.disks) if (x.disk === d.dev) notes.push(`${p.name} ${x.name} ${x.state}`);
  addSel(world, m, `Drive Slot / Bay Drive ${d.bay}`, 'Drive Fault');
  return `${m.name}: ${d.dev} (${d.model}, serial ${d.serial}, bay ${d.bay}) failed: SMART FAILED${notes.length ? `; ${notes.join('; ')}` : ''}`;
}

function hostCrash(world: LabWorld, m: LabMachine): string {
  if (m.power === 'off') throw new Error(`${m.name} is powered off: nothing to crash`);
  crash(world, m);
  addSel(world, m, 'OS Critical Stop OS Stop', 'Run-time critical stop');
  vrrpTicker(world);
  return `${m.name}: kernel panic (console shows it; SSH times out; power stays on)`;
}

function powerLoss(world: LabWorld, m: LabMachine): string {
  const e = extra(m);
  if (!m.bmc && m.outlet) {
    const strip = world.strips.get(m.outlet.strip);
    const o = strip?.outlets.find((x) => x.n === m.outlet!.outlet);
    if (o && o.on) {
      o.on = false;
      e.poweredBeforeAcLoss = m.power === 'on';
      e.lastPowerEvent = 'ac-failed';
      powerOff(world, m);
      for (const other of world.machines.values()) {
        if (other !== m && other.outlet?.strip === m.outlet.strip && other.outlet.outlet === m.outlet.outlet) powerOff(world, other);
      }
      vrrpTicker(world);
      return `${m.name}: outlet ${o.n} on ${strip!.name} switched off (breaker); machine off`;
    }
  }
  if (m.power === 'off') throw new Error(`${m.name} is already off`);
  e.poweredBeforeAcLoss = true;
  e.lastPowerEvent = 'ac-failed';
  powerOff(world, m);
  addSel(world, m, 'Power Unit Pwr Unit Status', 'AC lost');
  vrrpTicker(world);
  return `${m.name}: AC lost, machine off (restore policy ${e.acRestore})`;
}

function networkDown(world: LabWorld, m: LabMachine, arg?: string): string {
  const cause = arg ?? 'link';
  if (cause !== 'link' && cause !== 'cable') throw new Error(`network-down: expected link or cable, got ${cause}`);
  const iface = m.ifaces.find((i) => /^(en|eth)/.test(i.name)) ?? m.ifaces.find((i) => i.name !== 'lo');
  if (!iface) throw new Error(`${m.name} has no network interface`);
  const e = extra(m);
  m.networkDown = true;
  e.netCause = cause;
  e.netIface = iface.name;
  if (cause === 'link') iface.up = false;
  if (m.power === 'on') writeConsole(world, m, linkDownText(Math.max(1, (world.now() - m.bootedAt) / 1000), iface.name));
  vrrpTicker(world);
  return `${m.name}: ${iface.name} ${cause === 'link' ? 'link down' : 'cable unplugged'}: SSH unreachable, BMC and console still work`;
}

function serviceDown(world: LabWorld, m: LabMachine, name?: string): string {
  if (!name) throw new Error('service-down needs a SERVICE');
  const svc = m.services.find((s) => s.name === name || `${s.name}.service` === name);
  if (!svc) throw new Error(`${m.name} has no service ${name} (services: ${m.services.map((s) => s.name).join(', ')})`);
  svc.active = false;
  svc.failedReason = 'Main process exited, code=killed, status=9/KILL';
  if ((svc.name === 'mariadb' || svc.name === 'mysql') && m.mysql) {
    m.mysql.running = false;
    breakReplicas(world, m, '111 "Connection refused"');
  }
  vrrpTicker(world);
  return `${m.name}: ${svc.name} failed (killed)`;
}

function breakReplicas(world: LabWorld, primary: LabMachine, why: string): string[] {
  const names: string[] = [];
  const addrs = new Set([primary.name, primary.hostname, primary.address, ...primary.ifaces.flatMap((i) => i.addrs.map((a) => a.split('/')[0]))]);
  for (const r of world.machines.values()) {
    const rep = r.mysql?.replica;
    if (!rep || !addrs.has(rep.masterHost)) continue;
    rep.ioRunning = false;
    rep.secondsBehind = null;
    rep.lastIoError = `error reconnecting to master '${rep.masterUser}@${rep.masterHost}:${rep.masterPort}' - retry-time: 60  maximum-retries: 86400  message: Can't connect to MySQL server on '${rep.masterHost}' (${why})`;
    names.push(r.name);
  }
  return names;
}

function findPrimary(world: LabWorld): LabMachine {
  const replicated = new Set([...world.machines.values()].map((m) => m.mysql?.replica?.masterHost).filter(Boolean));
  const p = [...world.machines.values()].find((m) => m.mysql && !m.mysql.replica && (replicated.has(m.name) || replicated.has(m.address)))
    ?? [...world.machines.values()].find((m) => m.mysql && !m.mysql.replica);
  if (!p) throw new Error('no MySQL primary in this lab');
  return p;
}

function mysqlPrimaryCrash(world: LabWorld, m: LabMachine, arg?: string): string {
  if (!m.mysql) throw new Error(`${m.name} runs no MySQL/MariaDB`);
  if (m.mysql.replica) throw new Error(`${m.name} is a replica, not a primary`);
  const how = arg ?? 'mysqld';
  if (how === 'host') {
    hostCrash(world, m);
    const broken = breakReplicas(world, m, '110 "Connection timed out"');
    return `${m.name}: host panicked, MySQL gone; replica IO thread error on ${broken.join(', ') || 'no replica'}`;
  }
  if (how !== 'mysqld') throw new Error(`mysql-primary-crash: expected mysqld or host, got ${how}`);
  const svc = m.services.find((s) => s.name === 'mariadb' || s.name === 'mysql');
  if (svc) {
    svc.active = false;
    svc.failedReason = 'Main process exited, code=killed, status=6/ABRT';
  }
  m.mysql.running = false;
  const broken = breakReplicas(world, m, '111 "Connection refused"');
  return `${m.name}: mysqld crashed (signal 6); replica IO thread error on ${broken.join(', ') || 'no replica'}`;
}

function findMasterDirector(world: LabWorld): LabMachine {
  for (const m of world.machines.values()) {
    const conf = m.files[KEEPALIVED_CONF];
    if (!conf) continue;
    for (const i of parseKeepalived(conf)) if (vipHolders(world, i.routerId).includes(m.name)) return m;
  }
  throw new Error('no director holds a VIP right now');
}

function directorCrash(world: LabWorld, m: LabMachine, arg?: string): string {
  const conf = m.files[KEEPALIVED_CONF];
  if (!conf) throw new Error(`${m.name} is not a keepalived director`);
  const how = arg ?? 'panic';
  if (how !== 'panic' && how !== 'off') throw new Error(`director-crash: expected panic or off, got ${how}`);
  const vips = parseKeepalived(conf).flatMap((i) => i.vips);
  if (how === 'off') powerOff(world, m);
  else crash(world, m);
  vrrpTicker(world);
  const holders = parseKeepalived(conf).flatMap((i) => vipHolders(world, i.routerId));
  return `${m.name}: director ${how === 'off' ? 'lost power' : 'panicked'}; VIP ${vips.join(', ')} ${holders.length ? `now on ${holders.join(', ')}` : 'is gone (no backup director running)'}`;
}

function hypervisorFail(world: LabWorld, m: LabMachine): string {
  if (machineKind(m) !== 'pve') throw new Error(`${m.name} is not a Proxmox node`);
  if (m.power === 'off') throw new Error(`${m.name} is already off`);
  powerOff(world, m);
  extra(m).lastPowerEvent = 'ac-failed';
  addSel(world, m, 'Power Supply PS1 Status', 'Failure detected');
  const guests = m.cluster ? (world.clusters.get(m.cluster)?.guests ?? []).filter((g) => g.node === m.name) : [];
  return `${m.name}: Proxmox node died (off); guests on it: ${guests.map((g) => `${g.vmid} ${g.name}`).join(', ') || 'none'}; cluster ${m.cluster ?? '-'} loses quorum`;
}

function nodeDestroyed(world: LabWorld, m: LabMachine): string {
  if (m.disks.length === 0) throw new Error(`${m.name} has no disks to destroy`);
  for (const d of m.disks) d.label = undefined;
  m.md = [];
  m.zpools = [];
  if (m.power === 'on') {
    crash(world, m, 'VFS: Unable to mount root fs on unknown-block(0,0)');
    reset(world, m);
  }
  vrrpTicker(world);
  return `${m.name}: disks wiped; it ${m.power === 'on' ? 'now sits at "no boot device"' : 'will not boot'} until a PXE reinstall and a restore`;
}

/** Inject fault `name` on `machine` (some faults find their machine when it is empty). Returns what happened. */
export function injectFault(world: LabWorld, name: string, machine: string, arg?: string): string {
  world.advance();
  const info = FAULTS.find((f) => f.name === name);
  if (!info) throw new Error(`unknown fault: ${name} (faults: ${FAULTS.map((f) => f.name).join(', ')})`);
  if (name === 'mysql-primary-crash') return mysqlPrimaryCrash(world, machine ? machineOf(world, machine) : findPrimary(world), arg);
  if (name === 'director-crash') return directorCrash(world, machine ? machineOf(world, machine) : findMasterDirector(world), arg);
  if (!machine) throw new Error(`${name} needs a machine`);
  const m = machineOf(world, machine);
  switch (name) {
    case 'disk-fail': return diskFail(world, m, arg);
    case 'host-crash': return hostCrash(world, m);
    case 'power-loss': return powerLoss(world, m);
    case 'network-down': return networkDown(world, m, arg);
    case 'service-down': return serviceDown(world, m, arg);
    case 'hypervisor-fail': return hypervisorFail(world, m);
    case 'node-destroyed': return nodeDestroyed(world, m);
    default: throw new Error(`unknown fault: ${name}`);
  }
}

/**
 * Recoveries the world makes by itself once the real fix is done: a link brought back up
 * (`ip link set eno1 up`) ends a `link` network-down; a replica's IO thread reconnects
 * (it retries every 60 s) once its primary's mysqld answers again.
 */
export function recoveryTicker(world: LabWorld): void {
  for (const m of world.machines.values()) {
    const e = extra(m);
    if (m.networkDown && e.netCause === 'link') {
      const iface = m.ifaces.find((i) => i.name === e.netIface);
      if (!iface || iface.up) {
        m.networkDown = false;
        e.netCause = undefined;
        e.netIface = undefined;
      }
    }
    const rep = m.mysql?.replica;
    if (m.mysql?.running && rep && !rep.ioRunning && rep.lastIoError.startsWith('error reconnecting to master')) {
      const primary = [...world.machines.values()].find((p) => p.name === rep.masterHost || p.address === rep.masterHost
        || p.ifaces.some((i) => i.addrs.some((a) => a.split('/')[0] === rep.masterHost)));
      if (primary && primary.power === 'on' && primary.boot === 'up' && !primary.networkDown && primary.mysql?.running) {
        rep.ioRunning = true;
        rep.lastIoError = '';
        rep.gtidIoPos = primary.mysql.gtidBinlogPos;
        if (rep.sqlRunning) rep.gtidSlavePos = primary.mysql.gtidBinlogPos;
        rep.secondsBehind = rep.sqlRunning ? 0 : null;
      }
    }
  }
}
