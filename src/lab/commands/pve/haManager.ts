/** `ha-manager status|config|migrate|relocate|set|add|remove|crm-command`. */
import type { LabGuest } from '../../state.js';
import { parseArgs } from './args.js';
import { findGuest, memberOnline, PveError } from './cluster.js';
import { pveCommand, requireQuorum, type PveCtx } from './common.js';
import { haConverge, haSid, haStatus, parseSid } from './ha.js';
import { scheduleHaMove } from './migrate.js';

const USAGE = [
  'ha-manager status  [OPTIONS]',
  'ha-manager config  [OPTIONS]',
  'ha-manager add <sid> [OPTIONS]',
  'ha-manager remove <sid>',
  'ha-manager set <sid> [OPTIONS]',
  'ha-manager migrate <sid> <node>',
  'ha-manager relocate <sid> <node>',
  'ha-manager crm-command migrate|relocate <sid> <node>',
]
  .map((u) => `USAGE: ${u}`)
  .join('\n');

const STATES = ['started', 'stopped', 'enabled', 'disabled', 'ignored'];

function service(ctx: PveCtx, text: string | undefined, mustBeManaged = true): LabGuest {
  if (!text) throw new PveError(`400 not enough arguments\n${USAGE}`);
  const sid = parseSid(text);
  if (!sid) throw new PveError(`400 Parameter verification failed.\nsid: invalid format - unable to parse service id '${text}'`);
  const g = findGuest(ctx.cluster, sid.vmid);
  const name = `${sid.type === 'lxc' ? 'ct' : 'vm'}:${sid.vmid}`;
  if (!g || (sid.type && g.type !== sid.type)) {
    if (mustBeManaged) throw new PveError(`service '${name}' not defined`);
    throw new PveError(`${sid.type === 'lxc' ? 'CT' : 'VM'} ${sid.vmid} does not exist`);
  }
  if (mustBeManaged && !g.ha) throw new PveError(`service '${haSid(g)}' not defined`);
  return g;
}

function move(ctx: PveCtx, kind: 'migrate' | 'relocate', sidText: string | undefined, target: string | undefined): number {
  const g = service(ctx, sidText);
  if (!target) throw new PveError(`400 not enough arguments\n${USAGE}`);
  if (!ctx.cluster.nodes.includes(target)) throw new PveError(`no such cluster node '${target}'`);
  requireQuorum(ctx);
  if (g.node === target) return 0; // the CRM ignores it: already on the target node
  if (g.ha === 'started' || g.ha === 'stopped') {
    if (memberOnline(ctx.world, ctx.cluster, target)) scheduleHaMove(ctx.world, ctx.cluster, g, target, kind);
  }
  return 0;
}

export const haManager = pveCommand((ctx) => {
  const [, sub, ...rest] = ctx.argv;
  switch (sub) {
    case 'status': {
      const { opts } = parseArgs(rest, { bool: ['verbose'] });
      const recs = haStatus(ctx.world, ctx.cluster, ctx.node);
      for (const r of recs) ctx.out(`${r.type} ${r.status}\n`);
      if (opts.verbose === '1') ctx.out(`full cluster state:\n${JSON.stringify(recs, null, 3)}\n`);
      return 0;
    }
    case 'config': {
      parseArgs(rest, { str: ['type'] });
      const managed = ctx.cluster.guests.filter((g) => g.ha).sort((a, b) => haSid(a).localeCompare(haSid(b)));
      const blocks = managed.map((g) => {
        const state = g.ha === 'stopped' || g.ha === 'disabled' || g.ha === 'ignored' ? g.ha : 'started';
        return `${haSid(g)}\n${g.haGroup ? `\tgroup ${g.haGroup}\n` : ''}\tstate ${state}\n`;
      });
      ctx.out(blocks.join('\n'));
      return 0;
    }
    case 'migrate':
    case 'relocate':
      return move(ctx, sub, rest[0], rest[1]);
    case 'crm-command': {
      const [verb, sid, node] = rest;
      if (verb !== 'migrate' && verb !== 'relocate') throw new PveError(`unknown command 'ha-manager crm-command ${verb ?? ''}'\n${USAGE}`);
      return move(ctx, verb, sid, node);
    }
    case 'set':
    case 'add': {
      const { pos, opts } = parseArgs(rest, {
        str: ['state', 'group', 'max_restart', 'max_relocate', 'comment', 'type'],
      });
      const g = service(ctx, pos[0], sub === 'set');
      if (opts.state && !STATES.includes(opts.state)) {
        throw new PveError(`400 Parameter verification failed.\nstate: value '${opts.state}' does not have a value in the enumeration '${STATES.join(', ')}'`);
      }
      if (opts.group && !ctx.cluster.haGroups.some((h) => h.name === opts.group)) {
        throw new PveError(`400 Parameter verification failed.\ngroup: group '${opts.group}' does not exist`);
      }
      requireQuorum(ctx);
      if (sub === 'add') {
        if (g.ha) throw new PveError(`resource ID '${haSid(g)}' already defined`);
        g.ha = 'started';
      }
      if (opts.group) g.haGroup = opts.group;
      if (opts.state) {
        const want = opts.state === 'enabled' ? 'started' : opts.state;
        // A service in error state stays there until it is disabled (the CRM ignores other requests).
        if (!(g.ha === 'error' && want === 'started')) g.ha = want;
      }
      haConverge(ctx.world, ctx.cluster);
      return 0;
    }
    case 'remove': {
      const g = service(ctx, rest[0]);
      requireQuorum(ctx);
      g.ha = undefined;
      g.haGroup = undefined;
      return 0;
    }
    case undefined:
    case 'help':
      ctx.out(`${USAGE}\n`);
      return sub ? 0 : 255;
    default:
      ctx.err(`unknown command 'ha-manager ${sub}'\n${USAGE}\n`);
      return 255;
  }
});
