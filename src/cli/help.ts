import { COMMANDS, GLOBAL_FLAGS, type CommandSpec, type FlagSpec } from './table.js';

function flagLine(name: string, f: FlagSpec): string {
  const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.arg ? ` ${f.arg}` : ''}`;
  return `  ${left.padEnd(30)} ${f.help}`;
}

export function mainHelp(): string {
  const lines = [
    'baie — console for the people on call: racks, health, SSH/IPMI, runbooks, rehearsals',
    '',
    'Usage: baie [COMMAND] [FLAGS]   (no command: open the console)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(36)} ${c.summary}`),
    '',
    'Global flags:',
    ...Object.entries(GLOBAL_FLAGS).map(([n, f]) => flagLine(n, f)),
    '',
    'Run `baie COMMAND --help` for the flags of one command.',
  ];
  return lines.join('\n');
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`Usage: baie ${c.name}${c.args ? ` ${c.args}` : ''} [FLAGS]`, '', c.summary, ''];
  if (Object.keys(c.flags).length) {
    lines.push('Flags:', ...Object.entries(c.flags).map(([n, f]) => flagLine(n, f)), '');
  }
  lines.push('Global flags:', ...Object.entries(GLOBAL_FLAGS).map(([n, f]) => flagLine(n, f)));
  return lines.join('\n');
}
