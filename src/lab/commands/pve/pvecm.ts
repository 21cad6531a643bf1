/** `pvecm status|nodes|expected|add|delnode`. */
import type { LabCluster } from '../../state.js';
import type { LabWorld } from '../../world.js';
import { isTrue, parseArgs } from './args.js';
import {
  memberOnline,
  nodeAddress,
  nodeLocalStorage,
  PveError,
  quorumView,
  runtime,
  diskNodeOf,
  guestKey,
  type QuorumView,
} from './cluster.js';
import { pveCommand, requireQuorum, type PveCtx } from './common.js';
import { ctime, padL } from './format.js';

const NOT_IN_CLUSTER = "Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?";

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

function nodeId(cluster: LabCluster, name: string): number {
  return cluster.nodes.indexOf(name) + 1;
}

function configVersion(world: LabWorld, cluster: LabCluster): number {
  return runtime(world).configVersion.get(cluster.name) ?? cluster.nodes.length;
}

function bumpVersion(world: LabWorld, cluster: LabCluster): void {
  runtime(world).configVersion.set(cluster.name, configVersion(world, cluster) + 1);
}

function membership(world: LabWorld, cluster: LabCluster, v: QuorumView, local: string, byName: boolean): string {
  let s = 'Membership information\n----------------------\n    Nodeid      Votes Name\n';
  for (const n of v.members) {
    const id = nodeId(cluster, n);
    const who = byName ? n : nodeAddress(world, n);
    s += `${byName ? padL(id, 10) : hex(id)}          1 ${who}${n === local ? ' (local)' : ''}\n`;
  }
  return s;
}

export function pvecmStatusText(world: LabWorld, cluster: LabCluster, local: string): string {
  const v = quorumView(world, cluster, local);
  const ver = configVersion(world, cluster);
  const ring = `${nodeId(cluster, v.members[0] ?? local)}.${(ver * 16 + v.members.length * 4 + 0x10).toString(16)}`;
  return (
    'Cluster information\n-------------------\n' +
    `Name:             ${cluster.name}\n` +
    `Config Version:   ${ver}\n` +
    'Transport:        knet\n' +
    'Secure auth:      on\n\n' +
    'Quorum information\n------------------\n' +
    `Date:             ${ctime(world.now())}\n` +
    'Quorum provider:  corosync_votequorum\n' +
    `Nodes:            ${v.members.length}\n` +
    `Node ID:          ${hex(nodeId(cluster, local))}\n` +
    `Ring ID:          ${ring}\n` +
    `Quorate:          ${v.quorate ? 'Yes' : 'No'}\n\n` +
    'Votequorum information\n----------------------\n' +
    `Expected votes:   ${v.expected}\n` +
    `Highest expected: ${v.highest}\n` +
    `Total votes:      ${v.totalVotes}\n` +
    `Quorum:           ${v.quorum} ${v.quorate ? ' ' : 'Activity blocked'}\n` +
    `Flags:            ${v.quorate ? 'Quorate ' : ''}\n\n` +
    membership(world, cluster, v, local, false)
  );
}

function joinErrors(errors: string[]): never {
  throw new PveError(`detected the following error(s):\n${errors.map((e) => `* ${e}`).join('\n')}\nCheck if node may join a cluster failed!`);
}

async function add(ctx: PveCtx, args: string[]): Promise<number> {
  const { pos, opts } = parseArgs(args, {
    bool: ['force', 'use_ssh'],
    str: ['link0', 'link1', 'nodeid', 'votes', 'fingerprint'],
  });
  const host = pos[0];
  if (!host) throw new PveError('400 not enough arguments\nUSAGE: pvecm add <hostname> [OPTIONS]');
  const { world } = ctx;
  const force = isTrue(opts.force);
  if (!ctx.standalone) {
    joinErrors([
      "authentication key '/etc/corosync/authkey' already exists",
      "cluster config '/etc/pve/corosync.conf' already exists",
      'corosync is already running, is this node already in a cluster?!',
    ]);
  }
  if (ctx.cluster.guests.length && !force) joinErrors(['this host already contains virtual guests']);
  let target: { cluster: LabCluster; node: string } | undefined;
  for (const c of world.clusters.values()) {
    for (const n of c.nodes) if (n === host || nodeAddress(world, n) === host) target = { cluster: c, node: n };
  }
  if (!opts.use_ssh) ctx.out(`Please enter superuser (root) password for '${host}': \n`);
  if (!target || !memberOnline(world, target.cluster, target.node)) {
    throw new PveError(`500 Can't connect to ${host}:8006 (No route to host)`);
  }
  const c = target.cluster;
  ctx.out(`Establishing API connection with host '${host}'\n`);
  ctx.out('Login succeeded.\ncheck cluster join API version\n');
  ctx.out(`No cluster network links passed explicitly, fallback to local node IP '${nodeAddress(world, ctx.node)}'\n`);
  ctx.out('Request addition of this node\n');
  await ctx.sleep(2_000);
  if (!quorumView(world, c, target.node).quorate) {
    throw new PveError('An error occurred on the cluster node: cluster not ready - no quorum?\nCluster join aborted!');
  }
  if (c.nodes.includes(ctx.node) && !force) {
    throw new PveError(`An error occurred on the cluster node: can't add existing node '${ctx.node}'\nCluster join aborted!`);
  }
  ctx.out('Join request OK, finishing setup locally\n');
  ctx.out('stopping pve-cluster service\n');
  ctx.out(`backup old database to '/var/lib/pve-cluster/backup/config-${Math.floor(world.now() / 1000)}.sql.gz'\n`);
  await ctx.sleep(3_000);
  ctx.out('waiting for quorum...');
  if (!c.nodes.includes(ctx.node)) c.nodes.push(ctx.node);
  ctx.machine.cluster = c.name;
  for (const svc of ctx.machine.services) {
    if (svc.name === 'corosync' || svc.name === 'pve-cluster') {
      svc.active = true;
      svc.enabled = true;
      svc.failedReason = undefined;
    }
  }
  bumpVersion(world, c);
  runtime(world).standalone.delete(ctx.node);
  // A node that joins is a fresh install: whatever its old local disks held is gone.
  for (const g of c.guests) {
    if (g.node === ctx.node && g.status === 'running') {
      g.status = 'stopped';
      g.startedAt = undefined;
    }
    if (nodeLocalStorage(g.storage) && diskNodeOf(world, c, g) === ctx.node) {
      runtime(world).diskNode.set(guestKey(c, g.vmid), `${ctx.node} (reinstalled)`);
    }
  }
  runtime(world).downSince.delete(ctx.node);
  await ctx.sleep(5_000);
  ctx.out('OK\n');
  ctx.out('(re)generate node files\ngenerate new node certificate\nmerge authorized SSH keys\n');
  ctx.out('generated new node certificate, restart pveproxy and pvedaemon services\n');
  ctx.out(`successfully added node '${ctx.node}' to cluster.\n`);
  return 0;
}

export const pvecm = pveCommand(async (ctx) => {
  const [, sub, ...rest] = ctx.argv;
  const { world, cluster, node } = ctx;
  if (sub === 'add') return add(ctx, rest);
  if (sub === undefined || sub === 'help') {
    ctx.out('USAGE: pvecm <COMMAND> [ARGS] [OPTIONS]\n       pvecm add <hostname> [OPTIONS]\n       pvecm delnode <node>\n       pvecm expected <expected>\n       pvecm nodes\n       pvecm status\n');
    return sub ? 0 : 255;
  }
  if (ctx.standalone && ['status', 'nodes', 'expected', 'delnode'].includes(sub)) {
    ctx.err(`${NOT_IN_CLUSTER}\n`);
    return 2;
  }
  switch (sub) {
    case 'status':
      ctx.out(pvecmStatusText(world, cluster, node));
      return 0;
    case 'nodes':
      ctx.out(`\n${membership(world, cluster, quorumView(world, cluster, node), node, true)}`);
      return 0;
    case 'expected': {
      const n = rest[0];
      if (!n || !/^\d+$/.test(n) || Number(n) < 1) {
        throw new PveError(`400 Parameter verification failed.\nexpected: type check ('integer') failed - got '${n ?? ''}'`);
      }
      const v = quorumView(world, cluster, node);
      if (Number(n) < v.totalVotes) {
        ctx.err('Unable to set expected votes: CS_ERR_INVALID_PARAM\n');
        ctx.err(`command 'corosync-quorumtool -e ${n}' failed: exit code 1\n`);
        return 255;
      }
      runtime(world).expected.set(cluster.name, Number(n));
      return 0;
    }
    case 'delnode': {
      const name = rest[0];
      if (!name) throw new PveError('400 not enough arguments\nUSAGE: pvecm delnode <node>');
      requireQuorum(ctx);
      if (name === node) throw new PveError('Cannot delete myself from cluster!');
      if (!cluster.nodes.includes(name)) throw new PveError(`Node/IP: ${name} is not a known host of the cluster.`);
      const id = nodeId(cluster, name);
      cluster.nodes.splice(cluster.nodes.indexOf(name), 1);
      bumpVersion(world, cluster);
      const m = world.machines.get(name);
      if (m && m.cluster === cluster.name && !memberOnline(world, cluster, name)) m.cluster = undefined;
      ctx.out(`Killing node ${id}\n`);
      return 0;
    }
    default:
      ctx.err(`unknown command 'pvecm ${sub}'\n`);
      return 255;
  }
});
