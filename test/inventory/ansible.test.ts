import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnsibleParseError, ansibleToInventoryYaml, expandHostPattern, formatProblems, loadInventory, parseAnsibleInventory } from '../../src/inventory/index.js';
import { run } from '../../src/cli/cmd/importAnsible.js';
import { FIXTURES, fakeCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'baie-ansible-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const home = '/nonexistent-home';
const opts = { home, sshConfigFile: '/nonexistent-home/.ssh/config' };

async function importAndLoad(name: string) {
  const file = join(FIXTURES, 'ansible', name);
  const yaml = ansibleToInventoryYaml(parseAnsibleInventory(readFileSync(file, 'utf8'), file), file);
  const out = join(tmp, `${name}.inventory.yaml`);
  writeFileSync(out, yaml);
  return { yaml, ...(await loadInventory(out, opts)) };
}

describe('host patterns', () => {
  it('expands numeric ranges keeping zero padding, letters and steps', () => {
    expect(expandHostPattern('web[01:03].example.org')).toEqual(['web01.example.org', 'web02.example.org', 'web03.example.org']);
    expect(expandHostPattern('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostPattern('n[1:10:4]')).toEqual(['n1', 'n5', 'n9']);
    expect(expandHostPattern('r[1:2]u[1:2]')).toEqual(['r1u1', 'r1u2', 'r2u1', 'r2u2']);
    expect(() => expandHostPattern('x[5:1]')).toThrow(/backwards/);
  });
});

describe.each(['hosts.ini', 'hosts.yml'])('import-ansible %s', (name) => {
  it('round-trips through loadInventory without problems', async () => {
    const { yaml, fleet, problems } = await importAndLoad(name);
    expect(formatProblems(problems)).toBe('');
    expect(yaml.split('\n')[0]).toMatch(/^# Imported from the Ansible inventory .*hosts\.(ini|yml)/);
    expect(yaml).toContain('TODO: fill in the real sites, racks');
    expect(fleet.sites.map((s) => s.name)).toEqual(['default']);
    expect(fleet.racks).toEqual([{ name: 'unplaced', site: 'default', height: 42 }]);
    const names = fleet.machines.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['web01.coop.example', 'web02.coop.example', 'web03.coop.example', 'eva.coop.example', 'db-replica.coop.example']));
    expect(fleet.machines.map((m) => m.u)).toEqual(fleet.machines.map((_, i) => i + 1));
    const m = Object.fromEntries(fleet.machines.map((x) => [x.name, x]));
    // children: directors and web are in frontends, so both roles
    expect(m['eva.coop.example'].roles).toEqual(['directors', 'frontends']);
    expect(m['web02.coop.example'].roles).toEqual(['web', 'frontends']);
    expect(m['elea.coop.example'].roles).toEqual(['db']);
    // host var > child group var > parent group var > all:vars
    expect(m['eva.coop.example'].ssh).toMatchObject({ host: '198.51.100.10', user: 'admin', port: 22 });
    expect(m['estelle.coop.example'].ssh).toMatchObject({ host: '198.51.100.11', user: 'deploy', port: 2222 });
    expect(m['web03.coop.example'].ssh).toMatchObject({ host: 'web03.coop.example', user: 'deploy' });
    expect(m['mail.coop.example'].ssh).toMatchObject({ host: '198.51.100.30', user: 'root' });
    expect(m['elea.coop.example'].ssh).toMatchObject({ host: '198.51.100.20', user: 'root' });
    // host:port in the host column
    expect(m['db-replica.coop.example'].ssh).toMatchObject({ host: 'db-replica.coop.example', port: 2202 });
  });
});

describe('import-ansible specifics', () => {
  it('INI: all:vars key file reaches every machine, ~ expanded by the loader', async () => {
    const { fleet } = await importAndLoad('hosts.ini');
    expect(fleet.machines).toHaveLength(10);
    for (const m of fleet.machines) expect(m.ssh?.identityFiles).toEqual([join(home, '.ssh', 'coop_ed25519')]);
    expect(fleet.machines.find((m) => m.name === 'pve2')?.ssh?.host).toBe('203.0.113.22');
  });

  it('YAML: a ProxyJump in ansible_ssh_common_args becomes jump', async () => {
    const { fleet } = await importAndLoad('hosts.yml');
    expect(fleet.machines.find((m) => m.name === 'elea.coop.example')?.ssh?.jump).toEqual(['bastion.coop.example']);
  });

  it('gives a big enough rack when there are more hosts than 42', async () => {
    const inv = parseAnsibleInventory('[web]\nweb[001:060].example.org ansible_user=root\n');
    const out = join(tmp, 'big.yaml');
    writeFileSync(out, ansibleToInventoryYaml(inv, 'big.ini'));
    const { fleet, problems } = await loadInventory(out, opts);
    expect(problems).toEqual([]);
    expect(fleet.racks[0].height).toBe(60);
    expect(fleet.machines.at(-1)).toMatchObject({ name: 'web060.example.org', u: 60 });
  });

  it('says which line of a broken INI file is wrong', () => {
    let err: unknown;
    try {
      parseAnsibleInventory('[web]\nweb1 ansible_host=192.0.2.1\nweb2 oops\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AnsibleParseError);
    expect((err as AnsibleParseError).line).toBe(3);
    expect((err as Error).message).toContain("expected key=value after host 'web2', got 'oops'");
  });

  it('the command prints inventory YAML on stdout and counts on stderr', async () => {
    const file = join(FIXTURES, 'ansible', 'hosts.ini');
    const { ctx, out } = fakeCli('inventory import-ansible', {}, [file]);
    expect(await run(ctx)).toBe(0);
    const doc = parse(out.stdout) as { machines: Record<string, unknown> };
    expect(Object.keys(doc.machines)).toHaveLength(10);
    expect(out.stderr).toContain('10 machines from');
  });

  it('the command refuses a missing file with one line', async () => {
    const { ctx } = fakeCli('inventory import-ansible', {}, [join(tmp, 'nope.ini')]);
    await expect(run(ctx)).rejects.toThrow(/nope\.ini: cannot read: ENOENT/);
  });
});
