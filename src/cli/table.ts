/**
 * Every command and flag of the CLI, as data: the parser, `--help` and the README reference
 * are generated from this table. Command modules are imported lazily so `--help` stays fast.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  arg?: string;
  help: string;
}

export interface CommandSpec {
  /** `lab fault` for a subcommand. */
  name: string;
  args: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  /** Module under dist/cli/cmd exporting `run(ctx)`. */
  module: string;
  /** Does not take positional arguments beyond what `args` names. */
  maxPositionals?: number;
}

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  inventory: { type: 'string', arg: 'FILE', help: 'inventory YAML (default: setting `inventory`, else the built-in lab)' },
  'read-only': { type: 'boolean', help: 'refuse every action that changes a machine' },
  ascii: { type: 'boolean', help: 'ASCII drawing only (also TERM=linux)' },
  help: { type: 'boolean', short: 'h', help: 'show help' },
};

const json: FlagSpec = { type: 'boolean', help: 'print JSON for scripts' };
const dir: FlagSpec = { type: 'string', arg: 'DIR', help: 'lab directory (default: under $XDG_STATE_HOME/baie/lab)' };
const params: FlagSpec = { type: 'string', short: 'p', multiple: true, arg: 'k=v', help: 'runbook parameter (repeatable)' };

export const COMMANDS: CommandSpec[] = [
  { name: 'tui', args: '', summary: 'open the console (default when no command is given)', flags: { 'accept-new-host-keys': { type: 'boolean', help: 'trust unknown host keys' } }, module: 'tui', maxPositionals: 0 },
  { name: 'check', args: '', summary: 'validate the inventory and runbooks', flags: { json }, module: 'check', maxPositionals: 0 },
  { name: 'probe', args: '[MACHINE…]', summary: 'probe machines once and print their health', flags: { json, 'accept-new-host-keys': { type: 'boolean', help: 'trust unknown host keys (appended to ~/.ssh/known_hosts)' } }, module: 'probe' },
  { name: 'inventory import-ansible', args: 'FILE', summary: 'turn an Ansible INI or YAML inventory into inventory YAML', flags: {}, module: 'importAnsible', maxPositionals: 1 },
  { name: 'lab', args: '', summary: 'serve the simulated datacentre in the foreground', flags: { scenario: { type: 'string', arg: 'FILE', help: 'scenario YAML (default: the built-in one)' }, speed: { type: 'string', arg: 'N', help: 'lab clock speed (60: an hour a minute)' }, dir, quiet: { type: 'boolean', help: 'print only the ready line' } }, module: 'lab', maxPositionals: 0 },
  { name: 'lab fault', args: 'NAME MACHINE [ARG]', summary: 'inject a fault into the running lab', flags: { dir, list: { type: 'boolean', help: 'list the faults' } }, module: 'labFault', maxPositionals: 3 },
  { name: 'lab hands', args: 'ACTION MACHINE [ARG…]', summary: 'do a physical action in the lab datacentre', flags: { dir, list: { type: 'boolean', help: 'list the actions' } }, module: 'labHands' },
  { name: 'config get', args: 'KEY', summary: 'print a setting', flags: {}, module: 'config', maxPositionals: 1 },
  { name: 'config set', args: 'KEY VALUE', summary: 'change a setting', flags: {}, module: 'config', maxPositionals: 2 },
  { name: 'config unset', args: 'KEY', summary: 'reset a setting to its default', flags: {}, module: 'config', maxPositionals: 1 },
  { name: 'config list', args: '', summary: 'list settings and their values', flags: { json }, module: 'config', maxPositionals: 0 },
  { name: 'config path', args: '', summary: 'print where settings are stored', flags: {}, module: 'config', maxPositionals: 0 },
  { name: 'runbooks', args: '', summary: 'list shipped and configured runbooks', flags: { json }, module: 'runbooks', maxPositionals: 0 },
  { name: 'plan', args: 'RUNBOOK', summary: 'dry run: every step resolved, nothing executed', flags: { params, json, markdown: { type: 'boolean', help: 'a paper checklist for the datacentre' } }, module: 'plan', maxPositionals: 1 },
  { name: 'run', args: 'RUNBOOK', summary: 'run a runbook', flags: { params, json, yes: { type: 'boolean', short: 'y', help: 'unattended: answer yes (destructive steps still need --confirm)' }, confirm: { type: 'string', multiple: true, arg: 'MACHINE', help: 'machine a destructive step may touch with --yes' }, answer: { type: 'string', multiple: true, arg: 'step.key=v', help: 'answer to a manual step question with --yes' }, 'lab-hands': { type: 'boolean', help: 'on the lab: the lab\'s people do the manual steps\' physical actions' }, 'accept-new-host-keys': { type: 'boolean', help: 'trust unknown host keys' } }, module: 'run', maxPositionals: 1 },
  { name: 'resume', args: '[RUN]', summary: 'continue an unfinished run (default: the newest)', flags: { json, yes: { type: 'boolean', short: 'y', help: 'unattended' }, confirm: { type: 'string', multiple: true, arg: 'MACHINE', help: 'as for run' }, answer: { type: 'string', multiple: true, arg: 'step.key=v', help: 'as for run' }, 'in-doubt': { type: 'string', arg: 'retry|skip|abort', help: 'unattended: what to do with a step in doubt that is not idempotent' }, 'lab-hands': { type: 'boolean', help: 'as for run' }, 'accept-new-host-keys': { type: 'boolean', help: 'trust unknown host keys' } }, module: 'resume', maxPositionals: 1 },
  { name: 'journal list', args: '', summary: 'list runs', flags: { json }, module: 'journal', maxPositionals: 0 },
  { name: 'journal show', args: 'RUN', summary: 'print a run\'s timeline', flags: { json }, module: 'journal', maxPositionals: 1 },
  { name: 'journal export', args: 'RUN', summary: 'export a run as a post-mortem', flags: { markdown: { type: 'boolean', help: 'Markdown timeline' } }, module: 'journal', maxPositionals: 1 },
  { name: 'recordings', args: '', summary: 'list recorded shell and console sessions', flags: { json }, module: 'recordings', maxPositionals: 0 },
  { name: 'rehearse', args: '[DRILL]', summary: 'start a drill on the lab with a clock and a debrief', flags: { speed: { type: 'string', arg: 'N', help: 'lab clock speed' }, export: { type: 'string', arg: 'FILE.md', help: 'write the debrief' }, list: { type: 'boolean', help: 'list drills' } }, module: 'rehearse', maxPositionals: 1 },
];

/** Find the longest command name matching the start of argv. */
export function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  let best: CommandSpec | undefined;
  for (const c of COMMANDS) {
    const parts = c.name.split(' ');
    if (parts.every((p, i) => words[i] === p) && (!best || parts.length > best.name.split(' ').length)) best = c;
  }
  if (!best) return undefined;
  const rest = [...argv];
  for (const p of best.name.split(' ')) rest.splice(rest.indexOf(p), 1);
  return { spec: best, rest };
}
