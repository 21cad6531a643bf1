#!/usr/bin/env node
/** Entry point: parse argv against the command table and run one command. */
import { parseArgs } from 'node:util';
import { COMMANDS, GLOBAL_FLAGS, findCommand } from './table.js';
import { commandHelp, mainHelp } from './help.js';
import { UserError } from './errors.js';
import type { CliContext, CommandModule } from './context.js';

function fail(message: string, code = 2): never {
  process.stderr.write(`baie: ${message}\n`);
  process.exit(code);
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || (argv[0].startsWith('-') && argv[0] !== '--help' && argv[0] !== '-h')) argv = ['tui', ...argv];
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(mainHelp() + '\n');
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const first = argv.find((a) => !a.startsWith('-')) ?? argv[0];
    const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
    if (group.length) fail(`'${first}' needs a subcommand: ${group.map((c) => c.name.split(' ')[1]).join(', ')}`);
    fail(`unknown command '${first}' (see baie --help)`);
  }
  const { spec, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_FLAGS, ...spec.flags } as never, allowPositionals: true, strict: true });
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')} (see baie ${spec.name} --help)`);
  }
  const flags = parsed.values as CliContext['flags'];
  if (flags.help) {
    process.stdout.write(commandHelp(spec) + '\n');
    return 0;
  }
  if (spec.maxPositionals !== undefined && parsed.positionals.length > spec.maxPositionals) {
    fail(`unexpected argument '${parsed.positionals[spec.maxPositionals]}' (see baie ${spec.name} --help)`);
  }
  const mod = (await import(`./cmd/${spec.module}.js`)) as CommandModule;
  return mod.run({ flags, positionals: parsed.positionals, command: spec.name, stdout: process.stdout, stderr: process.stderr });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError) fail(e.message, e.exitCode);
    const err = e as Error;
    if (process.env.BAIE_DEBUG) process.stderr.write(`${err.stack}\n`);
    fail(`${err.message ?? String(e)} (set BAIE_DEBUG=1 for details)`, 1);
  },
);
