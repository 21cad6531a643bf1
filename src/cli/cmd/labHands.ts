/** `baie lab hands ACTION MACHINE [ARG…]` and `--list`: a physical action in the lab datacentre. */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { ask, labDirOf, printActions, resultText } from './labClient.js';
import type { ActionRow } from './labClient.js';

export async function run(ctx: CliContext): Promise<number> {
  const dir = labDirOf(ctx);
  if (ctx.flags.list) {
    printActions(ctx, await ask<ActionRow[]>(dir, 'hands-list'));
    return 0;
  }
  const [action, machine, ...args] = ctx.positionals;
  if (!action || !machine) throw new UserError('lab hands needs ACTION and MACHINE (see baie lab hands --list)');
  const result = await ask<unknown>(dir, 'hands', { action, machine, args });
  const text = resultText(result);
  ctx.stdout.write(`${text ?? `${action}: done on ${machine}`}`.replace(/\n?$/, '\n'));
  return 0;
}
