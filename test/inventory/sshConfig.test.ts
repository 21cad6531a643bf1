import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblems, loadInventory, loadSshConfig } from '../../src/inventory/index.js';
import { FIXTURES } from './helpers.js';

const home = join(FIXTURES, 'home');
const sshConfigFile = join(FIXTURES, 'ssh_config');

describe('~/.ssh/config aliases', () => {
  it('tells an alias from a plain host name', () => {
    const c = loadSshConfig(sshConfigFile, home);
    expect(c.lookup('eva-alias').isAlias).toBe(true);
    expect(c.lookup('pve1').isAlias).toBe(true); // from the Include'd conf.d/pve.conf
    expect(c.lookup('198.51.100.99').isAlias).toBe(false); // only `Host *` applies
    expect(c.lookup('198.51.100.99').generic.identityFiles).toEqual([join(home, '.ssh', 'id_ed25519')]);
  });

  it('resolves HostName, User, Port, IdentityFile and ProxyJump into the endpoint', async () => {
    const file = join(FIXTURES, 'aliases.yaml');
    const { fleet, problems } = await loadInventory(file, { home, sshConfigFile });
    const byName = Object.fromEntries(fleet.machines.map((m) => [m.name, m]));
    expect(byName.eva.ssh).toEqual({
      host: '198.51.100.10',
      port: 2222,
      user: 'admin',
      alias: 'eva-alias',
      identityFiles: [join(home, '.ssh', 'id_eva'), join(home, '.ssh', 'id_ed25519')],
      // bastion is itself an alias: rewritten to what it dials; jump2 is a plain host.
      jump: ['jump@bastion.example.org:2022', 'ops@jump2.example.org:2200'],
      knownHosts: [join(FIXTURES, 'known_hosts')],
    });
    // Values written in the inventory win over the alias's; a machine name stays a jump name.
    expect(byName.estelle.ssh).toMatchObject({ host: '198.51.100.10', port: 2222, user: 'backup', alias: 'eva-alias', jump: ['eva'] });
    // A wildcard block (`Host *.coop.example`) beats inventory defaults; defaults give the port.
    expect(byName.emma.ssh).toMatchObject({ host: 'emma.coop.example', user: 'ops', port: 22 });
    // No ssh: but the machine's name is an alias: it is used.
    expect(byName.pve1.ssh).toMatchObject({ host: '203.0.113.21', user: 'root', port: 22, alias: 'pve1' });
    // An alias whose HostName is not dialable is a positioned problem.
    expect(formatProblems(problems)).toBe(
      `${file}:33:10: machine 'broken': ssh alias 'broken-alias' has HostName 'not_a_valid_host' in ${sshConfigFile}, which is not an IPv4 or IPv6 address or a DNS name`,
    );
  });

  it('works without any ssh config file', async () => {
    const { fleet } = await loadInventory(join(FIXTURES, 'aliases.yaml'), { home: '/nonexistent', sshConfigFile: '/nonexistent/config' });
    // eva-alias is a valid DNS name, so it is dialled as written with the defaults.
    expect(fleet.machines.find((m) => m.name === 'eva')?.ssh).toMatchObject({ host: 'eva-alias', user: 'root', port: 22, jump: [] });
  });
});
