/** `baie lab`: serve the simulated datacentre in the foreground until Ctrl-C or SIGTERM. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { defaultLabDir } from '../../app/paths.js';
import { LabAlreadyRunningError, startLab } from '../../lab/run.js';
import { ScenarioError } from '../../lab/scenario.js';

export async function run(ctx: CliContext): Promise<number> {
  const dir = resolve(typeof ctx.flags.dir === 'string' && ctx.flags.dir ? ctx.flags.dir : defaultLabDir());
  const quiet = ctx.flags.quiet === true;
  let speed: number | undefined;
  if (typeof ctx.flags.speed === 'string') {
    speed = Number(ctx.flags.speed);
    if (!Number.isFinite(speed) || speed <= 0 || speed > 100_000) throw new UserError(`--speed wants a positive number (60: an hour a minute), not '${ctx.flags.speed}'`);
  }
  const scenario = typeof ctx.flags.scenario === 'string' ? resolve(ctx.flags.scenario) : undefined;
  if (scenario && !existsSync(scenario)) throw new UserError(`scenario file not found: ${scenario}`);
  const log = (line: string) => {
    if (!quiet) ctx.stdout.write(`${new Date().toTimeString().slice(0, 8)} ${line}\n`);
  };
  let lab;
  try {
    lab = await startLab({ dir, scenario, speed, log });
  } catch (e) {
    if (e instanceof LabAlreadyRunningError) throw new UserError(e.message);
    if (e instanceof ScenarioError) {
      const more = e.problems.length > 5 ? `\n(${e.problems.length - 5} more problems)` : '';
      throw new UserError(e.problems.slice(0, 5).join('\n') + more);
    }
    throw e;
  }
  const names = Object.keys(lab.ports);
  if (quiet) ctx.stdout.write(`ready ${dir}\n`);
  else {
    const example = names.includes('ella') ? 'ella' : names[0];
    const cfg = join(dir, 'ssh_config');
    ctx.stdout.write(
      [
        `baie lab: ${names.length} machines on 127.0.0.1, lab clock x${lab.world.clock.speed}`,
        `  directory  ${dir}`,
        `  try        ssh -F ${cfg} ${example} cat /proc/mdstat`,
        `  inventory  baie --inventory ${join(dir, 'inventory.yaml')}`,
        `  faults     baie lab fault --list${ctx.flags.dir ? ` --dir ${dir}` : ''}`,
        'Ctrl-C stops the lab.',
        '',
      ].join('\n'),
    );
  }
  const signal = await new Promise<NodeJS.Signals>((done) => {
    const on = (s: NodeJS.Signals) => done(s);
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
    process.once('SIGHUP', on);
  });
  await lab.stop();
  if (!quiet) ctx.stdout.write(`baie lab: stopped (${signal})\n`);
  return 0;
}
