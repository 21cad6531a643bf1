import { describe, expect, it, vi } from 'vitest';
import { runCommandLine, sleep, makeContext, exitRequested } from '../../../src/lab/shell/interpreter.js';
import { COMMANDS } from '../../../src/lab/commands/index.js';
import { registerDynamicFile } from '../../../src/lab/files.js';
import { LabClock } from '../../../src/lab/clock.js';
import type { LabMachine } from '../../../src/lab/state.js';
import type { LabCommand } from '../../../src/lab/shell/types.js';
import { makeMachine, makeWorld, sh } from './factory.js';

/** /proc/mdstat as the kernel prints it, generated from the machine's md arrays. */
function mdstat(m: LabMachine): string {
  let s = 'Personalities : [raid1] [linear] [multipath] [raid0] [raid6] [raid5] [raid4] [raid10] \n';
  for (const a of m.md) {
    const members = a.members.map((x) => `${x.dev}[${x.slot}]${x.state === 'faulty' ? '(F)' : ''}`).join(' ');
    const up = a.members.filter((x) => x.state === 'active').length;
    const map = a.members.map((x) => (x.state === 'active' ? 'U' : '_')).join('');
    s += `${a.name} : active raid1 ${members}\n      ${a.blocks} blocks super 1.2 [${a.raidDisks}/${up}] [${map}]\n      \n`;
  }
  return s + 'unused devices: <none>\n';
}

function raidMachine(): LabMachine {
  const m = makeMachine();
  m.md = [
    { name: 'md0', level: 'raid1', blocks: 999424, raidDisks: 2, uuid: 'a', createdAt: 0, members: [{ dev: 'sda2', slot: 0, state: 'active' }, { dev: 'sdb2', slot: 1, state: 'active' }] },
    { name: 'md1', level: 'raid1', blocks: 975628288, raidDisks: 2, uuid: 'b', createdAt: 0, members: [{ dev: 'sda3', slot: 0, state: 'active' }, { dev: 'sdb3', slot: 1, state: 'active' }] },
  ];
  return m;
}

/** A command table with spies standing in for dangerous commands. */
function spied(): { commands: Record<string, LabCommand>; calls: string[][] } {
  const calls: string[][] = [];
  const spy: LabCommand = (ctx) => {
    calls.push(ctx.argv);
    return 0;
  };
  return { commands: { ...COMMANDS, reboot: spy, rm: spy, id: spy }, calls };
}

describe('operators and exit status', () => {
  it('|| runs the right side only after a failure', async () => {
    expect(await sh('false || echo x')).toEqual({ status: 0, out: 'x\n', err: '' });
    expect(await sh('true || echo x')).toEqual({ status: 0, out: '', err: '' });
  });

  it('&& stops at the first failure and $? reports it', async () => {
    expect(await sh('true && false; echo $?')).toMatchObject({ status: 0, out: '1\n' });
    expect(await sh('false && echo never; echo "st=$?"')).toMatchObject({ out: 'st=1\n' });
    expect((await sh('true && false')).status).toBe(1);
  });

  it('the status of a line is the last command run, like bash', async () => {
    expect((await sh('false; true')).status).toBe(0);
    expect((await sh('true; false')).status).toBe(1);
    expect((await sh('false && echo a || echo b')).out).toBe('b\n');
  });

  it('! negates a pipeline', async () => {
    expect((await sh('! grep -q nothing-like-this /etc/hosts')).status).toBe(0);
    expect((await sh('! grep -q localhost /etc/hosts')).status).toBe(1);
    expect((await sh('! grep -q localhost /etc/hosts; echo $?')).out).toBe('1\n');
  });

  it('an unknown command answers 127 with bash\'s message', async () => {
    expect(await sh('frobnicate --now')).toEqual({ status: 127, out: '', err: 'bash: frobnicate: command not found\n' });
    expect((await sh('frobnicate; echo $?')).out).toBe('127\n');
  });

  it('a missing command path says so', async () => {
    const r = await sh('/opt/nothing/here');
    expect(r).toEqual({ status: 127, out: '', err: 'bash: /opt/nothing/here: No such file or directory\n' });
  });

  it('a full path to a standard bin directory finds the command', async () => {
    const { commands, calls } = spied();
    expect((await sh('/sbin/reboot', { commands })).status).toBe(0);
    expect(calls).toEqual([['/sbin/reboot']]);
  });

  it('sudo runs the command (the lab user is root); ~ is the home directory', async () => {
    const { commands, calls } = spied();
    expect((await sh('sudo -n reboot', { commands })).status).toBe(0);
    expect(calls).toEqual([['reboot']]);
    expect((await sh('echo ~ ~/x')).out).toBe('/root /root/x\n');
  });

  it('compound commands are refused, not half-run', async () => {
    const { commands, calls } = spied();
    const r = await sh('reboot\nfor d in a b; do\n  reboot\ndone', { commands });
    expect(r).toEqual({ status: 2, out: '', err: 'bash: for: compound commands are not supported by the lab shell\n' });
    expect(calls).toEqual([]);
  });

  it('syntax errors answer 2 and run nothing', async () => {
    const { commands, calls } = spied();
    const r = await sh('reboot &&', { commands });
    expect(r.status).toBe(2);
    expect(r.err).toBe("bash: syntax error near unexpected token `newline'\n");
    expect(calls).toEqual([]);
    expect((await sh('echo a | | echo b')).err).toBe("bash: syntax error near unexpected token `|'\n");
  });

  it('newlines separate commands; a trailing && continues the line', async () => {
    expect((await sh('echo a\necho b &&\necho c\n')).out).toBe('a\nb\nc\n');
    expect((await sh("echo 'multi\nline'")).out).toBe('multi\nline\n');
  });
});

describe('pipes', () => {
  it('feeds a dynamic file through grep -c', async () => {
    const m = raidMachine();
    const world = makeWorld(m);
    registerDynamicFile(world, '/proc/mdstat', (mm) => mdstat(mm));
    expect(await sh('cat /proc/mdstat | grep -c md', { machine: m, world })).toEqual({ status: 0, out: '2\n', err: '' });
    // The file follows the state: fail a member and the degraded map shows up.
    m.md[1].members[1].state = 'faulty';
    const r = await sh("cat /proc/mdstat | grep -E '\\[U_\\]|\\[_U\\]'", { machine: m, world });
    expect(r.out).toBe('      975628288 blocks super 1.2 [2/1] [U_]\n');
    expect((await sh("grep -q '(F)' /proc/mdstat && echo degraded", { machine: m, world })).out).toBe('degraded\n');
  });

  it('the status of a pipeline is its last stage\'s', async () => {
    expect((await sh('false | true')).status).toBe(0);
    expect((await sh('echo abc | grep -q zzz')).status).toBe(1);
  });

  it('stderr of an early stage is not piped, unless 2>&1 or |&', async () => {
    expect(await sh('cat /nope | wc -l')).toEqual({ status: 0, out: '0\n', err: 'cat: /nope: No such file or directory\n' });
    expect(await sh('cat /nope 2>&1 | wc -l')).toEqual({ status: 0, out: '1\n', err: '' });
    expect(await sh('cat /nope |& grep -o directory')).toEqual({ status: 0, out: 'directory\n', err: '' });
  });

  it('the line\'s stdin reaches the first command', async () => {
    expect((await sh('grep b | wc -l', { stdin: 'a\nb\nbb\n' })).out).toBe('2\n');
  });
});

describe('injection stays literal', () => {
  it('$(…) inside double quotes is printed, not run', async () => {
    const { commands, calls } = spied();
    expect(await sh('echo "$(reboot)"', { commands })).toEqual({ status: 0, out: '$(reboot)\n', err: '' });
    expect(calls).toEqual([]);
  });

  it('a quoted ; rm -rf / # is one literal argument', async () => {
    const { commands, calls } = spied();
    expect(await sh("echo x'; rm -rf / #'", { commands })).toEqual({ status: 0, out: 'x; rm -rf / #\n', err: '' });
    expect(calls).toEqual([]);
  });

  it('unquoted $(…), backticks and globs are never evaluated', async () => {
    const { commands, calls } = spied();
    expect((await sh('echo $(reboot) `id` /etc/*', { commands })).out).toBe('$(reboot) `id` /etc/*\n');
    expect((await sh('echo $(rm -rf / ; reboot)', { commands })).out).toBe('$(rm -rf / ; reboot)\n');
    expect((await sh('grep -c "$(reboot)" /etc/hosts', { commands })).out).toBe('0\n');
    expect(calls).toEqual([]);
  });

  it('a variable holding shell syntax is data', async () => {
    const { commands, calls } = spied();
    const env = { EVIL: '$(reboot); rm -rf /' };
    expect((await sh('echo $EVIL', { commands, env })).out).toBe('$(reboot); rm -rf /\n');
    expect(calls).toEqual([]);
  });
});

describe('variables', () => {
  it('expands $VAR, ${VAR}, defaults, not in single quotes', async () => {
    const r = await sh(`echo $SITE "\${SITE}-x" '$SITE' \${NOPE:-dflt} "[$NOPE]"`, { env: { SITE: 'lyon' } });
    expect(r.out).toBe('lyon lyon-x $SITE dflt []\n');
  });

  it('assignments and cd persist in the env object of a session', async () => {
    const env: Record<string, string> = {};
    const m = makeMachine();
    const world = makeWorld(m);
    await sh('X=42; cd /etc', { machine: m, world, env });
    expect(env.X).toBe('42');
    expect((await sh('echo $X; pwd; cat hosts | head -n 1', { machine: m, world, env })).out).toBe('42\n/etc\n127.0.0.1\tlocalhost\n');
    expect((await sh('cd /nowhere')).err).toBe('bash: cd: /nowhere: No such file or directory\n');
  });

  it('$? carries over to the next line of the same session', async () => {
    const env: Record<string, string> = {};
    await sh('grep -q nothing-here /etc/hosts', { env });
    expect((await sh('echo $?', { env })).out).toBe('1\n');
    expect((await sh('echo $?')).out).toBe('0\n');
  });

  it('exit stops the line with its status and tells the session', async () => {
    const env: Record<string, string> = {};
    expect(await sh('echo a; exit 3; echo b', { env })).toEqual({ status: 3, out: 'a\n', err: '' });
    expect(exitRequested(env)).toBe(true);
    expect(exitRequested(env)).toBe(false);
    await sh('echo still here', { env });
    expect(exitRequested(env)).toBe(false);
  });

  it('a prefix assignment applies to that command only', async () => {
    const env: Record<string, string> = {};
    const r = await sh('LANG=fr_FR.UTF-8 env | grep ^LANG=; echo "[$LANG]"', { env });
    expect(r.out).toBe('LANG=fr_FR.UTF-8\n[C.UTF-8]\n');
  });
});

describe('redirects', () => {
  it('> and >> write the machine\'s files, which persist in its state', async () => {
    const m = makeMachine();
    const world = makeWorld(m);
    await sh('echo first > /tmp/notes; echo second >> /tmp/notes', { machine: m, world });
    expect(m.files['/tmp/notes']).toBe('first\nsecond\n');
    expect((await sh('cat /tmp/notes', { machine: m, world })).out).toBe('first\nsecond\n');
    await sh('echo again > /tmp/notes', { machine: m, world });
    expect(m.files['/tmp/notes']).toBe('again\n');
  });

  it('>/dev/null and 2>/dev/null discard, 2>&1 merges', async () => {
    expect(await sh('cat /etc/hosts >/dev/null')).toEqual({ status: 0, out: '', err: '' });
    expect(await sh('cat /nope 2>/dev/null')).toEqual({ status: 1, out: '', err: '' });
    expect(await sh('cat /nope 2>&1')).toEqual({ status: 1, out: 'cat: /nope: No such file or directory\n', err: '' });
    expect(await sh('cat /nope >/dev/null 2>&1')).toEqual({ status: 1, out: '', err: '' });
    expect(await sh('echo oops 1>&2')).toEqual({ status: 0, out: '', err: 'oops\n' });
    expect(await sh('frobnicate 2>/dev/null; echo $?')).toEqual({ status: 0, out: '127\n', err: '' });
  });

  it('2> into a file and &> into a file', async () => {
    const m = makeMachine();
    const world = makeWorld(m);
    await sh('cat /nope 2> /tmp/err.log; cat /etc/hostname /nope &> /tmp/all.log', { machine: m, world });
    expect(m.files['/tmp/err.log']).toBe('cat: /nope: No such file or directory\n');
    expect(m.files['/tmp/all.log']).toBe('emma\ncat: /nope: No such file or directory\n');
  });

  it('a digit separated from > is an argument, not a descriptor', async () => {
    const m = makeMachine();
    const world = makeWorld(m);
    await sh('echo 2 > /tmp/two', { machine: m, world });
    expect(m.files['/tmp/two']).toBe('2\n');
  });

  it('< reads a file; writing into a missing directory fails like bash', async () => {
    expect((await sh('wc -l < /etc/hosts')).out).toBe('2\n');
    const r = await sh('echo x > /no/such/dir/file; echo $?');
    expect(r).toEqual({ status: 0, out: '1\n', err: 'bash: /no/such/dir/file: No such file or directory\n' });
    expect((await sh('echo x > /proc/loadavg')).err).toBe('bash: /proc/loadavg: Permission denied\n');
  });
});

describe('lab clock', () => {
  it('advances the world before each command', async () => {
    const m = makeMachine();
    const world = makeWorld(m);
    const ticks = vi.fn();
    world.tickers.push(ticks);
    await sh('true; true | true && echo x', { machine: m, world });
    expect(ticks).toHaveBeenCalledTimes(4);
  });

  it('sleep waits lab time, scaled by the clock speed', async () => {
    const m = makeMachine();
    const world = makeWorld(m, new LabClock(600));
    const t0 = Date.now();
    const r = await sh('sleep 30 && echo done', { machine: m, world }); // 30 s lab = 50 ms real
    const took = Date.now() - t0;
    expect(r.out).toBe('done\n');
    expect(took).toBeGreaterThanOrEqual(40);
    expect(took).toBeLessThan(2000);
  });

  it('an abort stops a sleeping line with 130 and runs nothing after', async () => {
    const m = makeMachine();
    const world = makeWorld(m, new LabClock(1));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const t0 = Date.now();
    const r = await sh('sleep 3600; echo after', { machine: m, world, signal: ac.signal });
    expect(r.status).toBe(130);
    expect(r.out).toBe('');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('sleep() and makeContext().sleep reject on abort', async () => {
    const world = makeWorld();
    const ac = new AbortController();
    ac.abort();
    await expect(sleep(world, 1000, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const ctx = makeContext({ argv: ['x'], machine: makeMachine(), world, out: () => {}, err: () => {}, signal: ac.signal });
    await expect(ctx.sleep(5)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('runCommandLine defaults', () => {
  it('uses COMMANDS when no table is given', async () => {
    let out = '';
    const m = makeMachine();
    const status = await runCommandLine('hostname', { machine: m, world: makeWorld(m), out: (s) => (out += s), err: () => {} });
    expect(status).toBe(0);
    expect(out).toBe('emma\n');
  });
});
