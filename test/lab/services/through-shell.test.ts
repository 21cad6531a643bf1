/** The same commands typed as command lines, through the lab's shell interpreter. */
import { describe, expect, it } from 'vitest';
import { makeWorld } from './fixture.js';
import { runCommandLine } from '../../../src/lab/shell/interpreter.js';
import { services } from '../../../src/lab/commands/services.js';
import { net } from '../../../src/lab/commands/net.js';
import { mysql } from '../../../src/lab/commands/mysql.js';
import { apc } from '../../../src/lab/commands/apc.js';
import { COMMANDS } from '../../../src/lab/commands/index.js';

const commands = { ...COMMANDS, ...services.commands, ...net.commands, ...mysql.commands, ...apc.commands };

async function sh(t: ReturnType<typeof makeWorld>, machine: string, line: string) {
  let out = '';
  let err = '';
  const code = await runCommandLine(line, { machine: t.m(machine), world: t.world, out: (s) => (out += s), err: (s) => (err += s), commands });
  return { code, out, err };
}

describe('through the shell', () => {
  it('quoted \\G, -w format and pipes behave as in bash', async () => {
    const t = makeWorld();
    const s = await sh(t, 'elodie', `mysql -e "SHOW SLAVE STATUS\\G" | grep -E 'Slave_(IO|SQL)_Running:'`);
    expect(s.out).toBe('              Slave_IO_Running: Yes\n             Slave_SQL_Running: Yes\n');
    const c = await sh(t, 'elea', `curl -s -o /dev/null -w '%{http_code}' http://192.0.2.100/`);
    expect(c).toEqual({ code: 0, out: '200', err: '' });
    const a = await sh(t, 'eva', 'systemctl is-active keepalived && ip -br addr | grep -c 192.0.2.100/32');
    expect(a.out).toBe('active\n1\n');
  });
});
