/** The control socket: status, faults, hands, BMC requests and SOL, and the CLI commands over it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { startLab } from '../../../src/lab/run.js';
import type { RunningLab } from '../../../src/lab/run.js';
import { ControlError, LabNotRunningError, bmcCall, controlRequest, openSol } from '../../../src/lab/controlClient.js';
import { run as runFault } from '../../../src/cli/cmd/labFault.js';
import { run as runHands } from '../../../src/cli/cmd/labHands.js';
import type { CliContext } from '../../../src/cli/context.js';
import { UserError } from '../../../src/cli/errors.js';
import { fakeShell, tinyWorld } from './tinyWorld.js';

function cli(command: string, positionals: string[], flags: CliContext['flags']) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const ctx = { command, positionals, flags, stdout: out as unknown as NodeJS.WriteStream, stderr: out as unknown as NodeJS.WriteStream };
  return { ctx, text: () => text };
}

/** Read from a SOL socket until `pattern` shows up (bounded). */
function until(sock: Socket, pattern: RegExp, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const t = setTimeout(() => {
      sock.off('data', on);
      reject(new Error(`no ${pattern} in ${JSON.stringify(seen)}`));
    }, ms);
    const on = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(t);
        sock.off('data', on);
        resolve(seen);
      }
    };
    sock.on('data', on);
  });
}

describe('lab control socket', () => {
  let dir: string;
  let lab: RunningLab;
  let sock: string;
  const injected: unknown[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baie-lab-ctl-'));
    lab = await startLab({
      dir,
      world: tinyWorld(),
      runLine: fakeShell,
      basePort: 0,
      deps: {
        faults: () => [{ name: 'network-down', summary: 'eno1 link lost', args: 'MACHINE' }],
        injectFault: (world, name, machine, arg) => {
          injected.push({ name, machine, arg });
          world.machine(machine)!.networkDown = true;
          return `${machine}: eno1 link down`;
        },
        hands: () => [{ name: 'press-power', summary: 'press the power button' }],
        doHands: (_w, action, machine, args) => `${action} on ${machine} ${args.join(' ')}`.trim(),
      },
    });
    sock = join(dir, 'control.sock');
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports status', async () => {
    const st = await controlRequest<{ speed: number; machines: { name: string; power: string; boot: string; reachable: boolean; sshPort: number }[] }>(sock, 'status');
    expect(st.speed).toBe(1);
    const ella = st.machines.find((m) => m.name === 'ella');
    expect(ella).toMatchObject({ power: 'on', boot: 'up', reachable: true, sshPort: lab.ports.ella });
  });

  it('injects faults and refuses unknown ones', async () => {
    expect(await controlRequest(sock, 'fault', { name: 'network-down', machine: 'emma' })).toBe('emma: eno1 link down');
    expect(lab.world.machine('emma')!.networkDown).toBe(true);
    await expect(controlRequest(sock, 'fault', { name: 'meteor', machine: 'emma' })).rejects.toThrow(/unknown fault 'meteor' \(known: network-down\)/);
    await expect(controlRequest(sock, 'fault', { name: 'network-down', machine: 'zoe' })).rejects.toThrow(ControlError);
    await expect(controlRequest(sock, 'teleport')).rejects.toThrow(/unknown op 'teleport'/);
    expect(injected).toEqual([{ name: 'network-down', machine: 'emma', arg: undefined }]);
  });

  it('answers BMC requests with the lab BMC, password only in the payload', async () => {
    const ok = await bmcCall<{ ok: boolean; output?: string; error?: string }>(sock, { machine: 'ella', user: 'admin', password: 's3cret-bmc', op: 'power', arg: 'status' });
    expect(ok).toEqual({ ok: true, output: expect.stringMatching(/Chassis Power is on/) });
    const bad = await bmcCall<{ ok: boolean; error?: string }>(sock, { machine: 'ella', user: 'admin', password: 'wrong', op: 'power', arg: 'status' });
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain('Unable to establish IPMI v2 / RMCP+ session');
  });

  it('streams a serial console over SOL, one session at a time', async () => {
    await expect(openSol(sock, { machine: 'ella', user: 'admin', password: 'nope' })).rejects.toThrow(/Unable to establish IPMI v2/);
    const s = await openSol(sock, { machine: 'ella', user: 'admin', password: 's3cret-bmc' });
    const banner = until(s, /to detach\]/);
    s.resume();
    await banner;
    await expect(openSol(sock, { machine: 'ella', user: 'admin', password: 's3cret-bmc' })).rejects.toThrow(/already active/);
    let w = until(s, /ella login: $/);
    s.write('\r');
    await w;
    w = until(s, /Password: $/);
    s.write('root\r');
    await w;
    w = until(s, /root@ella:~# $/);
    s.write('lab\r');
    await w;
    w = until(s, /hostname\r\nella\r\nroot@ella:~# $/);
    s.write('hostname\r');
    await w;
    const closed = new Promise((r) => s.on('close', r));
    s.write('~.');
    await closed;
    const again = await openSol(sock, { machine: 'ella', user: 'admin', password: 's3cret-bmc' });
    const back = await until(again.resume(), /root@ella:~# hostname\r\nella/);
    expect(back).toContain('to detach]');
    again.destroy();
  });

  it('serves baie lab fault and baie lab hands', async () => {
    const list = cli('lab fault', [], { dir, list: true });
    expect(await runFault(list.ctx)).toBe(0);
    expect(list.text()).toBe('network-down MACHINE  eno1 link lost\n');
    const f = cli('lab fault', ['network-down', 'ella'], { dir });
    expect(await runFault(f.ctx)).toBe(0);
    expect(f.text()).toBe('ella: eno1 link down\n');
    const h = cli('lab hands', ['press-power', 'emma', 'long'], { dir });
    expect(await runHands(h.ctx)).toBe(0);
    expect(h.text()).toBe('press-power on emma long\n');
    await expect(runHands(cli('lab hands', ['press-power'], { dir }).ctx)).rejects.toThrow(/needs ACTION and MACHINE/);
  });

  it('says no lab is running where there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'baie-lab-none-'));
    await expect(controlRequest(join(empty, 'control.sock'), 'status')).rejects.toThrow(LabNotRunningError);
    const err = await runFault(cli('lab fault', ['network-down', 'ella'], { dir: empty }).ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`no lab running in ${empty} (start one with baie lab)`);
    expect((err as UserError).exitCode).toBe(2);
    rmSync(empty, { recursive: true, force: true });
  });
});
