/** The lab over real OpenSSH: a tiny world served by startLab, reached with `ssh -F DIR/ssh_config`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startLab } from '../../../src/lab/run.js';
import type { RunningLab } from '../../../src/lab/run.js';
import { generateEd25519 } from '../../../src/lab/keys.js';
import { fakeShell, tinyMachine, tinyWorld } from './tinyWorld.js';

const hasSsh = await execa('ssh', ['-V'], { reject: false }).then((r) => r.exitCode === 0, () => false);

describe.skipIf(!hasSsh)('lab SSH servers (skipped: no ssh binary)', () => {
  let dir: string;
  let lab: RunningLab;
  const ssh = (args: string[], opts: { input?: string; timeout?: number; config?: string } = {}) =>
    execa('ssh', ['-F', opts.config ?? join(dir, 'ssh_config'), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', ...args], {
      reject: false,
      timeout: opts.timeout ?? 20_000,
      ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baie-lab-ssh-'));
    const world = tinyWorld();
    world.machines.set('fey', tinyMachine('fey'));
    world.machines.set('elsa', tinyMachine('elsa', { consoleVia: { server: 'console', port: 'elsa' } }));
    lab = await startLab({ dir, world, runLine: fakeShell, basePort: 0, blackholeMs: 10_000 });
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the client files a user needs', () => {
    const cfg = readFileSync(join(dir, 'ssh_config'), 'utf8');
    expect(cfg).toContain(`Host ella\n  HostName 127.0.0.1\n  Port ${lab.ports.ella}\n`);
    expect(cfg).toContain('StrictHostKeyChecking yes');
    const kh = readFileSync(join(dir, 'known_hosts'), 'utf8');
    expect(kh).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${lab.ports.ella} ssh-ed25519 AAAA`, 'm'));
    expect(statSync(join(dir, 'id_ed25519')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'bmc-password')).mode & 0o777).toBe(0o600);
    const inv = readFileSync(join(dir, 'inventory.yaml'), 'utf8');
    expect(inv).toContain(`port: ${lab.ports.ella}`);
    expect(inv).toContain('driver: lab');
    expect(inv).toContain('password_file: ./bmc-password');
    expect(inv).not.toContain('s3cret-bmc');
    expect(readFileSync(join(dir, 'bmc-password'), 'utf8')).toBe('s3cret-bmc\n');
    expect(JSON.parse(readFileSync(join(dir, 'ready'), 'utf8')).machines.ella).toBe(lab.ports.ella);
  });

  it('answers hostname over ssh', async () => {
    const r = await ssh(['ella', 'hostname']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ella');
    expect(r.exitCode).toBe(0);
  });

  it('returns exit status and stderr of a failing command', async () => {
    const r = await ssh(['ella', 'cat', '/nope']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cat: /nope: No such file or directory');
    const u = await ssh(['ella', 'frobnicate']);
    expect(u.exitCode).toBe(127);
    expect(u.stderr).toContain('frobnicate: command not found');
  });

  it('passes stdin to the command', async () => {
    const r = await ssh(['ella', 'cat'], { input: 'label: gpt\nfirst-lba: 2048\n' });
    expect(r.stdout).toBe('label: gpt\nfirst-lba: 2048');
  });

  it('keeps state across connections', async () => {
    expect((await ssh(['ella', 'test', '-d', '/x'])).exitCode).toBe(1);
    expect((await ssh(['ella', 'mkdir', '/x'])).exitCode).toBe(0);
    expect((await ssh(['ella', 'test', '-d', '/x'])).exitCode).toBe(0);
    expect((await ssh(['emma', 'test', '-d', '/x'])).exitCode).toBe(1);
  });

  it('refuses a client key that is not the lab key', async () => {
    const other = generateEd25519();
    const keyFile = join(dir, 'other_key');
    writeFileSync(keyFile, other.private, { mode: 0o600 });
    const cfg = readFileSync(join(dir, 'ssh_config'), 'utf8').replaceAll(join(dir, 'id_ed25519'), keyFile);
    writeFileSync(join(dir, 'other_config'), cfg);
    const r = await ssh(['ella', 'hostname'], { config: join(dir, 'other_config') });
    expect(r.exitCode).toBe(255);
    expect(r.stderr).toContain('Permission denied (publickey)');
  });

  it('answers OpenSSH keepalives during a long command', async () => {
    const r = await ssh(['-o', 'ServerAliveInterval=1', '-o', 'ServerAliveCountMax=1', 'ella', 'sleep', '3']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('works as an interactive shell with -tt', async () => {
    const r = await ssh(['-tt', 'ella'], { input: 'hostname\nexit 3\n' });
    expect(r.stdout).toContain('root@ella:~# ');
    // typed ahead, so echoed before the output, as a real tty does
    expect(r.stdout).toMatch(/^root@ella:~# hostname\r\nexit 3\r\nella\r\nroot@ella:~# logout/);
    expect(r.exitCode).toBe(3);
  });

  it('looks unreachable when the machine is off, and cuts open sessions', async () => {
    const fey = lab.world.machine('fey')!;
    const running = ssh(['fey', 'sleep', '30']);
    await new Promise((r) => setTimeout(r, 1500));
    fey.power = 'off';
    fey.boot = 'off';
    lab.world.emit('power', 'fey', false);
    const cut = await running;
    expect(cut.exitCode).toBe(255);
    const t0 = Date.now();
    const r = await ssh(['-o', 'ConnectTimeout=2', 'fey', 'hostname']);
    expect(r.exitCode).toBe(255);
    expect(r.stderr).toMatch(/timed out/i);
    expect(Date.now() - t0).toBeLessThan(10_000);
    fey.power = 'on';
    fey.boot = 'up';
    expect((await ssh(['fey', 'hostname'])).stdout).toBe('fey');
  });

  it('reaches a machine with its network down through the console server', async () => {
    const elsa = lab.world.machine('elsa')!;
    elsa.networkDown = true;
    elsa.consoleLog.push('[  OK  ] Reached target multi-user.target');
    expect((await ssh(['-o', 'ConnectTimeout=2', 'elsa', 'hostname'])).exitCode).toBe(255);
    const r = await ssh(['console', 'console', 'elsa'], { input: 'root\nlab\nip link set eno1 up\nhostname\n' + '~.', timeout: 15_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Reached target multi-user.target');
    expect(r.stdout).toContain('Password: ');
    expect(elsa.networkDown).toBe(false);
    expect((await ssh(['elsa', 'hostname'])).stdout).toBe('elsa');
    const bad = await ssh(['console', 'console', 'nosuch']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('no such console port');
  });

  it('refuses a host key changed behind ssh\'s back', async () => {
    const emma = lab.world.machine('emma')!;
    expect((await ssh(['emma', 'hostname'])).exitCode).toBe(0);
    emma.hostKey = generateEd25519().private;
    lab.world.emit('hostkey', 'emma');
    const r = await ssh(['emma', 'hostname']);
    expect(r.exitCode).toBe(255);
    expect(r.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'hostkeys', 'emma'), 'utf8')).toBe(emma.hostKey);
  });
});
