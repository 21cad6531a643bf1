/** `qm`: list, start, stop, shutdown, reboot, status, config, migrate, unlock. */
import { isTrue, parseArgs } from './args.js';
import { guestPid, localGuest, parseVmid, PveError } from './cluster.js';
import { pveCommand, requireQuorum, type PveCtx } from './common.js';
import { padL, padR } from './format.js';
import { configLines, destroyGuest, startGuest, stopGuest } from './guests.js';
import { checkTarget, runMigration, scheduleHaMove } from './migrate.js';

const USAGE: Record<string, string> = {
  list: 'qm list  [OPTIONS]',
  start: 'qm start <vmid> [OPTIONS]',
  stop: 'qm stop <vmid> [OPTIONS]',
  shutdown: 'qm shutdown <vmid> [OPTIONS]',
  reboot: 'qm reboot <vmid> [OPTIONS]',
  status: 'qm status <vmid> [OPTIONS]',
  config: 'qm config <vmid> [OPTIONS]',
  migrate: 'qm migrate <vmid> <target> [OPTIONS]',
  unlock: 'qm unlock <vmid>',
  destroy: 'qm destroy <vmid> [OPTIONS]',
};

function usage(sub?: string): string {
  return sub && USAGE[sub] ? `USAGE: ${USAGE[sub]}` : Object.values(USAGE).map((u) => `USAGE: ${u}`).join('\n');
}

export function qmListText(ctx: PveCtx, full = false): string {
  const rows = ctx.cluster.guests.filter((g) => g.node === ctx.node && g.type === 'qemu').sort((a, b) => a.vmid - b.vmid);
  if (!rows.length) return '';
  void full;
  let s = `${padL('VMID', 10)} ${padR('NAME', 20)} ${padR('STATUS', 10)} ${padR('MEM(MB)', 10)} ${padL('BOOTDISK(GB)', 12)} ${padR('PID', 10)}\n`;
  for (const g of rows) {
    const mem = Math.round(g.memBytes / 1024 ** 2);
    const disk = (g.diskBytes / 1024 ** 3).toFixed(2);
    const pid = g.status === 'running' ? guestPid(g) : 0;
    s += `${padL(g.vmid, 10)} ${padR(g.name, 20)} ${padR(g.status, 10)} ${padR(mem, 10)} ${padL(disk, 12)} ${padR(pid, 10)}\n`;
  }
  return s;
}

export const qm = pveCommand(async (ctx) => {
  const [, sub, ...rest] = ctx.argv;
  switch (sub) {
    case undefined:
    case 'help':
      ctx.out(`${usage()}\n`);
      return sub ? 0 : 255;
    case 'list': {
      const { opts } = parseArgs(rest, { bool: ['full'] });
      ctx.out(qmListText(ctx, isTrue(opts.full)));
      return 0;
    }
    case 'start':
    case 'stop':
    case 'shutdown':
    case 'reboot':
    case 'status':
    case 'config':
    case 'unlock':
    case 'destroy': {
      const { pos, opts } = parseArgs(rest, {
        bool: ['skiplock', 'verbose', 'forceStop', 'keepActive', 'current', 'purge', 'destroy-unreferenced-disks'],
        str: ['timeout', 'snapshot', 'machine', 'migratedfrom'],
      });
      const vmid = parseVmid(pos[0], usage(sub));
      const g = localGuest(ctx.cluster, ctx.node, vmid, 'qemu');
      if (sub === 'start') return startGuest(ctx, g);
      if (sub === 'stop') return stopGuest(ctx, g, false);
      if (sub === 'shutdown') return stopGuest(ctx, g, true);
      if (sub === 'destroy') return destroyGuest(ctx, g, isTrue(opts.purge));
      if (sub === 'reboot') {
        if (g.status !== 'running') throw new PveError(`VM ${vmid} not running`);
        requireQuorum(ctx);
        await ctx.sleep(10_000);
        g.startedAt = ctx.world.now();
        return 0;
      }
      if (sub === 'status') {
        ctx.out(`status: ${g.status}\n`);
        if (isTrue(opts.verbose)) {
          ctx.out(`cpus: ${g.cpus}\nmaxmem: ${g.memBytes}\nmaxdisk: ${g.diskBytes}\nname: ${g.name}\n`);
          if (g.status === 'running') ctx.out(`pid: ${guestPid(g)}\n`);
          ctx.out(`vmid: ${g.vmid}\n`);
        }
        return 0;
      }
      if (sub === 'unlock') {
        requireQuorum(ctx);
        g.lock = undefined;
        return 0;
      }
      ctx.out(configLines(g, g.startedAt ?? ctx.world.now()).join('\n') + '\n');
      return 0;
    }
    case 'migrate': {
      const { pos, opts } = parseArgs(rest, {
        bool: ['online', 'with-local-disks', 'force'],
        str: ['targetstorage', 'migration_type', 'migration_network', 'bwlimit'],
      });
      const vmid = parseVmid(pos[0], usage(sub));
      if (!pos[1]) throw new PveError(`400 not enough arguments\n${usage(sub)}`);
      const target = pos[1];
      const g = localGuest(ctx.cluster, ctx.node, vmid, 'qemu');
      requireQuorum(ctx);
      checkTarget(ctx, target);
      if (g.ha && g.ha !== 'ignored') {
        ctx.out(`Requesting HA migration for VM ${vmid} to node ${target}\n`);
        scheduleHaMove(ctx.world, ctx.cluster, g, target, 'migrate');
        return 0;
      }
      if (g.lock) throw new PveError(`VM is locked (${g.lock})`);
      if (g.status === 'running' && !isTrue(opts.online)) {
        throw new PveError("can't migrate running VM without --online");
      }
      return runMigration(ctx, g, target, {
        online: isTrue(opts.online),
        withLocalDisks: isTrue(opts['with-local-disks']),
      });
    }
    default:
      ctx.err(`unknown command 'qm ${sub}'\n${usage()}\n`);
      return 255;
  }
});
