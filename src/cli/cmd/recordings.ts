import type { CliContext } from '../context.js';
import { recordingsDir } from '../../app/paths.js';
import { formatRecordings, listRecordings } from '../../app/recordings.js';

/** `baie recordings [--json]`: the recorded shell and console sessions, newest last. */
export async function run(ctx: CliContext): Promise<number> {
  const dir = recordingsDir();
  const list = listRecordings(dir);
  if (ctx.flags.json) ctx.stdout.write(JSON.stringify(list, null, 2) + '\n');
  else if (!list.length) ctx.stdout.write(`no recordings yet (shell and console sessions are recorded in ${dir})\n`);
  else ctx.stdout.write(formatRecordings(list).join('\n') + `\n(play one with: asciinema play FILE)\n`);
  return 0;
}
