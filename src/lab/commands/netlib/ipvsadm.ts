/**
 * ipvsadm: `-L|-l [-n] [-t VIP:PORT]`, `-C`, `-e|-a -t VIP:PORT -r RIP:PORT [-g|-m|-i] -w W`,
 * `-d -t VIP:PORT -r RIP:PORT`. Output as ipvsadm 1.31 prints it.
 */
import type { IpvsService } from '../../state.js';
import type { CmdContext } from '../../shell/types.js';

export const IPVS_HEADER = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

export function formatIpvs(list: IpvsService[]): string {
  const lines = [...IPVS_HEADER];
  for (const s of list) {
    lines.push(`${s.proto}  ${s.vip}:${s.port} ${s.scheduler}`);
    for (const r of s.reals) {
      lines.push(`  -> ${pad(`${r.addr}:${r.port}`, 28)} ${pad(r.forward, 7)} ${pad(r.weight, 6)} ${pad(r.active, 10)} ${pad(r.inactive, 10)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function splitHostPort(s: string | undefined): { addr: string; port: number } | undefined {
  if (!s) return undefined;
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(s);
  if (!m) return undefined;
  return { addr: m[1], port: Number(m[2] ?? 0) };
}

export function ipvsadm(ctx: CmdContext): number {
  const m = ctx.machine;
  const a = ctx.argv.slice(1);
  let list = false;
  let op: 'C' | 'a' | 'e' | 'd' | undefined;
  let svc: { addr: string; port: number; proto: 'TCP' | 'UDP' } | undefined;
  let real: { addr: string; port: number } | undefined;
  let weight: number | undefined;
  let forward: 'Route' | 'Masq' | 'Tunnel' | undefined;
  for (let i = 0; i < a.length; i++) {
    const o = a[i];
    if (o === '-L' || o === '-l' || o === '--list') list = true;
    else if (/^-[Ll]n$|^-n[Ll]$/.test(o)) list = true;
    else if (o === '-n' || o === '--numeric') continue;
    else if (o === '-C' || o === '--clear') op = 'C';
    else if (o === '-a' || o === '--add-server') op = 'a';
    else if (o === '-e' || o === '--edit-server') op = 'e';
    else if (o === '-d' || o === '--delete-server') op = 'd';
    else if (o === '-t' || o === '-u' || o === '--tcp-service' || o === '--udp-service') {
      const hp = splitHostPort(a[++i]);
      if (!hp) {
        ctx.err(`Illegal virtual server address[:port] specified\n`);
        return 2;
      }
      svc = { ...hp, proto: o === '-u' || o === '--udp-service' ? 'UDP' : 'TCP' };
    } else if (o === '-r' || o === '--real-server') {
      real = splitHostPort(a[++i]);
      if (!real) {
        ctx.err('Illegal real server address[:port] specified\n');
        return 2;
      }
    } else if (o === '-w' || o === '--weight') weight = Number(a[++i]);
    else if (o === '-g' || o === '--gatewaying') forward = 'Route';
    else if (o === '-m' || o === '--masquerading') forward = 'Masq';
    else if (o === '-i' || o === '--ipip') forward = 'Tunnel';
    else if (o === '--stats' || o === '--rate' || o === '--exact') continue;
    else {
      ctx.err(`ipvsadm: invalid option -- '${o.replace(/^-+/, '')}'\nTry \`ipvsadm -h' or 'ipvsadm --help' for more information.\n`);
      return 2;
    }
  }
  if (op === 'C') {
    m.ipvs = [];
    return 0;
  }
  if (op) {
    const s = svc && m.ipvs.find((x) => x.vip === svc!.addr && x.port === svc!.port && x.proto === svc!.proto);
    if (!s) {
      ctx.err('Service not defined\n');
      return 2;
    }
    if (!real) {
      ctx.err('Illegal real server address[:port] specified\n');
      return 2;
    }
    const port = real.port || s.port;
    const idx = s.reals.findIndex((r) => r.addr === real!.addr && r.port === port);
    if (op === 'a') {
      if (idx >= 0) {
        ctx.err('Destination already exists\n');
        return 2;
      }
      s.reals.push({ addr: real.addr, port, forward: forward ?? 'Route', weight: weight ?? 1, active: 0, inactive: 0 });
      return 0;
    }
    if (idx < 0) {
      ctx.err('No such destination\n');
      return 2;
    }
    if (op === 'd') s.reals.splice(idx, 1);
    else {
      if (weight !== undefined && Number.isFinite(weight)) s.reals[idx].weight = weight;
      if (forward) s.reals[idx].forward = forward;
    }
    return 0;
  }
  if (!list && a.length > 0 && !a.every((x) => x === '-n')) {
    ctx.err("ipvsadm: no command specified\nTry `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
    return 2;
  }
  let shown = m.ipvs;
  if (svc) {
    shown = shown.filter((x) => x.vip === svc!.addr && x.port === svc!.port && x.proto === svc!.proto);
    if (shown.length === 0) {
      ctx.err('Service not defined\n');
      return 2;
    }
  }
  ctx.out(formatIpvs(shown));
  return 0;
}
