/** `baie lab fault NAME MACHINE [ARG]` and `--list`: through the running lab's control socket. */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { ask, labDirOf, printActions, resultText } from './labClient.js';
import type { ActionRow } from './labClient.js';

export async function run(ctx: CliContext): Promise<number> {
  const dir = labDirOf(ctx);
  if (ctx.flags.list) {
    printActions(ctx, await ask<ActionRow[]>(dir, 'faults'));
    return 0;
  }
  const [name, machine, arg] = ctx.positionals;
  if (!name || !machine) throw new UserError('lab fault needs NAME and MACHINE (see baie lab fault --list)');
  const result = await ask<unknown>(dir, 'fault', { name, machine, ...(arg !== undefined ? { arg } : {}) });
  const text = resultText(result);
  ctx.stdout.write(`${text ?? `${name}: injected on ${machine}`}`.replace(/\n?$/, '\n'));
  return 0;
}
