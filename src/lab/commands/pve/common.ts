/** The frame every PVE command runs in: host check, state catch-up, error printing. */
import type { CmdContext, LabCommand } from '../../shell/types.js';
import type { LabCluster } from '../../state.js';
import { isPveHost, NO_QUORUM, PveError, quorumView, viewCluster } from './cluster.js';
import { PveUsageError } from './args.js';
import { pveTicker } from './ha.js';

export interface PveCtx extends CmdContext {
  cluster: LabCluster;
  standalone: boolean;
  /** This node's name. */
  node: string;
}

/** Wrap a PVE tool: refuses on non-PVE machines, brings state up to date, prints errors. */
export function pveCommand(fn: (ctx: PveCtx) => number | Promise<number>): LabCommand {
  return async (ctx) => {
    const name = ctx.argv[0] ?? 'qm';
    if (!isPveHost(ctx.world, ctx.machine)) {
      ctx.err(`-bash: ${name}: command not found\n`);
      return 127;
    }
    pveTicker(ctx.world);
    const { cluster, standalone } = viewCluster(ctx.world, ctx.machine);
    const pctx = Object.assign(Object.create(ctx) as CmdContext, { cluster, standalone, node: ctx.machine.name }) as PveCtx;
    try {
      return await fn(pctx);
    } catch (e) {
      if (e instanceof PveError) {
        ctx.err(e.message.endsWith('\n') ? e.message : `${e.message}\n`);
        return e.code;
      }
      if (e instanceof PveUsageError) {
        ctx.err(`${e.message}\n400 unable to parse option\n`);
        return 255;
      }
      if (ctx.signal.aborted) {
        ctx.err('interrupted by signal\n');
        return 255;
      }
      throw e;
    }
  };
}

/** Commands that write to /etc/pve need quorum. */
export function requireQuorum(ctx: PveCtx): void {
  if (ctx.standalone) return;
  if (!quorumView(ctx.world, ctx.cluster, ctx.node).quorate) throw new PveError(NO_QUORUM);
}

export function usageOf(lines: Record<string, string>, sub: string | undefined): string {
  return sub && lines[sub] ? `USAGE: ${lines[sub]}` : Object.values(lines).map((l) => `USAGE: ${l}`).join('\n');
}
