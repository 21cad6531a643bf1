/** `pct`: list, start, stop, shutdown, status, config, restore, migrate. */
import { isTrue, parseArgs } from './args.js';
import { localGuest, parseVmid, PveError } from './cluster.js';
import { pveCommand, requireQuorum, type PveCtx } from './common.js';
import { padR } from './format.js';
import { configLines, destroyGuest, startGuest, stopGuest } from './guests.js';
import { checkTarget, migrationMs, scheduleHaMove } from './migrate.js';
import { restoreLxc } from './restore.js';
import { setDiskNode } from './cluster.js';

const USAGE: Record<string, string> = {
  list: 'pct list',
  start: 'pct start <vmid> [OPTIONS]',
  stop: 'pct stop <vmid> [OPTIONS]',
  shutdown: 'pct shutdown <vmid> [OPTIONS]',
  status: 'pct status <vmid> [OPTIONS]',
  config: 'pct config <vmid> [OPTIONS]',
  restore: 'pct restore <vmid> <ostemplate> [OPTIONS]',
  migrate: 'pct migrate <vmid> <target> [OPTIONS]',
  destroy: 'pct destroy <vmid> [OPTIONS]',
};

function usage(sub?: string): string {
  return sub && USAGE[sub] ? `USAGE: ${USAGE[sub]}` : Object.values(USAGE).map((u) => `USAGE: ${u}`).join('\n');
}

export function pctListText(ctx: PveCtx): string {
  const rows = ctx.cluster.guests.filter((g) => g.node === ctx.node && g.type === 'lxc').sort((a, b) => a.vmid - b.vmid);
  if (!rows.length) return '';
  let s = `${padR('VMID', 10)} ${padR('Status', 10)} ${padR('Lock', 12)} ${padR('Name', 20)}\n`;
  for (const g of rows) s += `${padR(g.vmid, 10)} ${padR(g.status, 10)} ${padR(g.lock ?? '', 12)} ${padR(g.name, 20)}\n`;
  return s;
}

export const pct = pveCommand(async (ctx) => {
  const [, sub, ...rest] = ctx.argv;
  switch (sub) {
    case undefined:
    case 'help':
      ctx.out(`${usage()}\n`);
      return sub ? 0 : 255;
    case 'list':
      ctx.out(pctListText(ctx));
      return 0;
    case 'start':
    case 'stop':
    case 'shutdown':
    case 'status':
    case 'config':
    case 'destroy': {
      const { pos, opts } = parseArgs(rest, { bool: ['skiplock', 'verbose', 'forceStop', 'current', 'purge', 'force', 'destroy-unreferenced-disks'], str: ['timeout', 'snapshot'] });
      const vmid = parseVmid(pos[0], usage(sub));
      const g = localGuest(ctx.cluster, ctx.node, vmid, 'lxc');
      if (sub === 'start') return startGuest(ctx, g);
      if (sub === 'stop') return stopGuest(ctx, g, false);
      if (sub === 'shutdown') return stopGuest(ctx, g, true);
      if (sub === 'destroy') return destroyGuest(ctx, g, isTrue(opts.purge));
      if (sub === 'status') {
        ctx.out(`status: ${g.status}\n`);
        if (isTrue(opts.verbose)) ctx.out(`cpus: ${g.cpus}\nmaxmem: ${g.memBytes}\nname: ${g.name}\nvmid: ${g.vmid}\n`);
        return 0;
      }
      ctx.out(configLines(g, ctx.world.now()).join('\n') + '\n');
      return 0;
    }
    case 'restore': {
      const { pos, opts } = parseArgs(rest, {
        bool: ['force', 'unique', 'unprivileged', 'start'],
        str: ['storage', 'hostname', 'bwlimit', 'rootfs', 'net0', 'memory', 'cores', 'pool'],
      });
      const vmid = parseVmid(pos[0], usage(sub));
      if (!pos[1]) throw new PveError(`400 not enough arguments\n${usage(sub)}`);
      return restoreLxc(ctx, vmid, pos[1], opts);
    }
    case 'migrate': {
      const { pos, opts } = parseArgs(rest, { bool: ['restart', 'online'], str: ['timeout', 'target-storage', 'bwlimit'] });
      const vmid = parseVmid(pos[0], usage(sub));
      if (!pos[1]) throw new PveError(`400 not enough arguments\n${usage(sub)}`);
      const g = localGuest(ctx.cluster, ctx.node, vmid, 'lxc');
      requireQuorum(ctx);
      checkTarget(ctx, pos[1]);
      if (g.ha && g.ha !== 'ignored') {
        ctx.out(`Requesting HA relocate for CT ${vmid} to node ${pos[1]}\n`);
        scheduleHaMove(ctx.world, ctx.cluster, g, pos[1], 'relocate');
        return 0;
      }
      const running = g.status === 'running';
      if (running && !isTrue(opts.restart)) {
        throw new PveError("CT is running - use online migration (--restart)");
      }
      g.lock = 'migrate';
      try {
        await ctx.sleep(migrationMs(g, false, true));
      } finally {
        g.lock = undefined;
      }
      g.node = pos[1];
      setDiskNode(ctx.world, ctx.cluster, g, pos[1]);
      if (running) g.startedAt = ctx.world.now();
      return 0;
    }
    default:
      ctx.err(`unknown command 'pct ${sub}'\n${usage()}\n`);
      return 255;
  }
});
