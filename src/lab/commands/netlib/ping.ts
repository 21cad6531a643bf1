/** ping: `ping [-c N] [-W S] [-i S] [-q] HOST`, iputils 20221126 layout, one packet per lab second. */
import type { CmdContext } from '../../shell/types.js';
import { destination, resolveHost } from './addr.js';

export async function ping(ctx: CmdContext): Promise<number> {
  let count = Infinity;
  let quiet = false;
  let interval = 1;
  let host: string | undefined;
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const o = a[i];
    if (o === '-c') count = Number(a[++i]);
    else if (/^-c\d+$/.test(o)) count = Number(o.slice(2));
    else if (o === '-W' || o === '-w' || o === '-s' || o === '-t') i++;
    else if (o === '-i') interval = Number(a[++i]);
    else if (o === '-q') quiet = true;
    else if (o === '-n' || o === '-4') continue;
    else if (o.startsWith('-')) {
      ctx.err(`ping: invalid option -- '${o.slice(1)}'\n`);
      return 2;
    } else host = o;
  }
  if (!host) {
    ctx.err('ping: usage error: Destination address required\n');
    return 2;
  }
  if (!Number.isFinite(count) || count <= 0) count = Number.isFinite(count) ? 1 : 3600; // bounded
  if (!(interval > 0)) interval = 1;
  const addr = resolveHost(ctx.world, ctx.machine, host);
  if (!addr) {
    ctx.err(`ping: ${host}: Name or service not known\n`);
    return 2;
  }
  ctx.out(`PING ${host} (${addr}) 56(84) bytes of data.\n`);
  let received = 0;
  const rtts: number[] = [];
  const started = ctx.world.now();
  for (let seq = 1; seq <= count; seq++) {
    const d = destination(ctx.world, ctx.machine, addr);
    const alive = d.kind === 'local' || d.kind === 'remote';
    if (alive) {
      received++;
      const rtt = d.kind === 'local' ? 0.03 + (seq % 5) * 0.004 : 0.18 + (seq % 7) * 0.021;
      rtts.push(rtt);
      if (!quiet) ctx.out(`64 bytes from ${addr}: icmp_seq=${seq} ttl=64 time=${rtt.toFixed(rtt < 1 ? 3 : 2)} ms\n`);
    }
    if (seq < count) await ctx.sleep(interval * 1000);
  }
  const elapsed = Math.round(ctx.world.now() - started);
  const loss = Math.round(((count - received) / count) * 100);
  ctx.out(`\n--- ${host} ping statistics ---\n${count} packets transmitted, ${received} received, ${loss}% packet loss, time ${elapsed}ms\n`);
  if (received > 0) {
    const min = Math.min(...rtts), max = Math.max(...rtts), avg = rtts.reduce((x, y) => x + y, 0) / rtts.length;
    const mdev = Math.sqrt(rtts.reduce((s, x) => s + (x - avg) ** 2, 0) / rtts.length);
    ctx.out(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`);
    return 0;
  }
  ctx.out('\n');
  return 1;
}
