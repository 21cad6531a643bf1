/** `baie inventory import-ansible FILE`: print inventory YAML made from an Ansible inventory. */
import { readFile } from 'node:fs/promises';
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { AnsibleParseError, ansibleToInventoryYaml, parseAnsibleInventory } from '../../inventory/ansible.js';

export async function run(ctx: CliContext): Promise<number> {
  const file = ctx.positionals[0];
  if (!file) throw new UserError('inventory import-ansible needs the Ansible inventory FILE (INI like hosts, or YAML)');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let inv;
  try {
    inv = parseAnsibleInventory(text, file);
  } catch (e) {
    if (e instanceof AnsibleParseError) throw new UserError(`${file}:${e.line}: ${e.message}`);
    throw new UserError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (inv.hosts.size === 0) throw new UserError(`${file}: no hosts found (expected [group] sections with host lines, or all: hosts:)`);
  ctx.stdout.write(ansibleToInventoryYaml(inv, file));
  ctx.stderr.write(`${inv.hosts.size} machines from ${file}; place them in real racks, then run baie check\n`);
  return 0;
}
