/**
 * The lab BMC driver against a small fake of the lab control socket (JSON lines over a unix
 * socket, the shape src/lab/control.ts serves: `{id, op: 'bmc', machine, user, password, bmcOp,
 * arg, persistent}` → `{id, ok, result: {ok, output} | {ok: false, error}}`; `op: 'sol'` turns the
 * connection into a raw console that `~.` after a newline ends).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bmcDriverFor } from '../../../src/transport/ipmi/driver.js';
import { BmcError } from '../../../src/transport/ipmi/errors.js';
import type { Bmc } from '../../../src/model/fleet.js';

const SESSION_ERROR = 'Error: Unable to establish IPMI v2 / RMCP+ session';

interface FakeMachine {
  power: 'on' | 'off';
  boot?: { dev: string; persistent: boolean };
  sel: string[];
  sensors: string[];
}

class FakeLab {
  readonly requests: Record<string, unknown>[] = [];
  readonly machines = new Map<string, FakeMachine>();
  solInput = '';
  solSocket?: Socket;
  silent = false;
  private server: Server;
  private sockets = new Set<Socket>();

  constructor(readonly path: string) {
    this.server = createServer((s) => this.connection(s));
  }

  listen(): Promise<void> {
    return new Promise((r) => this.server.listen(this.path, r));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }

  private connection(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    let raw = false;
    s.on('data', (d) => {
      if (raw) {
        this.solInput += d.toString('utf8');
        if (/[\r\n]~\./.test(this.solInput)) s.end();
        return;
      }
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const req = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      this.requests.push(req);
      if (this.silent) return;
      const m = this.machines.get(String(req.machine));
      if (req.op === 'sol') {
        if (!m) return void s.end(JSON.stringify({ id: req.id, ok: false, error: `no machine '${String(req.machine)}' in the lab` }) + '\n');
        if (req.user !== 'admin' || req.password !== 'lab-pw') return void s.end(JSON.stringify({ id: req.id, ok: false, error: SESSION_ERROR }) + '\n');
        if (this.solSocket && !this.solSocket.destroyed) return void s.end(JSON.stringify({ id: req.id, ok: false, error: 'SOL payload already active on another session' }) + '\n');
        raw = true;
        this.solSocket = s;
        this.solInput = '';
        s.write(JSON.stringify({ id: req.id, ok: true, result: { attached: req.machine } }) + '\n' + '\r\neva login: ');
        return;
      }
      if (req.op !== 'bmc') return void s.write(JSON.stringify({ id: req.id, ok: false, error: `unknown op '${String(req.op)}'` }) + '\n');
      if (!m) return void s.write(JSON.stringify({ id: req.id, ok: false, error: `no machine '${String(req.machine)}' in the lab (known: eva)` }) + '\n');
      s.write(JSON.stringify({ id: req.id, ok: true, result: this.bmc(m, req) }) + '\n');
    });
  }

  /** What the lab's BMC answers: ipmitool's own text. */
  private bmc(m: FakeMachine, req: Record<string, unknown>): { ok: true; output: string } | { ok: false; error: string } {
    if (req.user !== 'admin' || req.password !== 'lab-pw') return { ok: false, error: SESSION_ERROR };
    const arg = req.arg as string | undefined;
    switch (req.bmcOp) {
      case 'power':
        if (arg === 'status') return { ok: true, output: `Chassis Power is ${m.power}\n` };
        if (arg === 'cycle' && m.power === 'off') return { ok: false, error: 'Set Chassis Power Control to Cycle failed: Command not supported in present state' };
        if (arg === 'on') m.power = 'on';
        if (arg === 'off') m.power = 'off';
        return { ok: true, output: `Chassis Power Control: ${{ on: 'Up/On', off: 'Down/Off', cycle: 'Cycle', reset: 'Reset', soft: 'Soft' }[arg!]}\n` };
      case 'bootdev':
        m.boot = { dev: arg!, persistent: req.persistent === true };
        return { ok: true, output: `Set Boot Device to ${arg}\n` };
      case 'sel':
        if (arg === 'clear') {
          m.sel = ['   1 | 11/22/2026 | 04:00:00 | Event Logging Disabled SEL | Log area reset/cleared | Asserted'];
          return { ok: true, output: 'Clearing SEL.  Please allow a few seconds to erase.\n' };
        }
        return { ok: true, output: m.sel.length ? m.sel.join('\n') + '\n' : 'SEL has no entries\n' };
      case 'sensor':
        return { ok: true, output: m.sensors.join('\n') + '\n' };
      default:
        return { ok: false, error: 'Invalid command' };
    }
  }
}

describe('lab BMC driver', () => {
  let dir: string;
  let lab: FakeLab;
  const bmc = (over: Partial<Bmc> = {}): Bmc => ({ driver: 'lab', address: 'eva-bmc', port: 623, user: 'admin', password: { env: 'LAB_PW' }, socket: join(dir, 'control.sock'), ...over });
  const env = { LAB_PW: 'lab-pw' };
  const driver = (over: Partial<Bmc> = {}, timeoutMs?: number) => bmcDriverFor('eva', bmc(over), { env, timeoutMs });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baie-labbmc-'));
    lab = new FakeLab(join(dir, 'control.sock'));
    await lab.listen();
  });
  afterAll(async () => {
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    lab.silent = false;
    lab.requests.length = 0;
    lab.machines.set('eva', {
      power: 'on',
      sel: [
        '   1 | 11/21/2026 | 03:12:01 | Temperature CPU Temp | Upper Critical going high | Asserted',
        '   2 | 11/21/2026 | 03:14:40 | Drive Slot Disk 1 | Drive Fault | Asserted',
      ],
      sensors: [
        'CPU Temp         | 94.000     | degrees C  | cr    | na        | na        | na        | 85.000    | 90.000    | na        ',
        'Inlet Temp       | 24.000     | degrees C  | ok    | na        | na        | na        | 40.000    | 45.000    | na        ',
        'FAN1             | na         | RPM        | na    | na        | 300.000   | na        | na        | na        | na        ',
      ],
    });
  });

  it('is picked by bmc.driver and sends the control socket request the lab expects', async () => {
    const d = driver();
    expect(d.kind).toBe('lab');
    expect(await d.power('status')).toEqual({ power: 'on', output: 'Chassis Power is on\n' });
    expect(lab.requests[0]).toEqual({ id: expect.any(Number), op: 'bmc', machine: 'eva', user: 'admin', password: 'lab-pw', bmcOp: 'power', arg: 'status' });
  });

  it('switches power and reads it back', async () => {
    const d = driver();
    expect((await d.power('off')).output).toBe('Chassis Power Control: Down/Off\n');
    expect(lab.machines.get('eva')!.power).toBe('off');
    expect((await d.power('status')).power).toBe('off');
    const e = await d.power('cycle').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BmcError);
    expect((e as BmcError).message).toBe('eva-bmc (lab): chassis power failed: Set Chassis Power Control to Cycle failed: Command not supported in present state');
  });

  it('sets the boot device, persistent or not', async () => {
    const d = driver();
    expect(await d.bootdev('pxe')).toBe('Set Boot Device to pxe');
    expect(lab.machines.get('eva')!.boot).toEqual({ dev: 'pxe', persistent: false });
    await d.bootdev('disk', { persistent: true });
    expect(lab.machines.get('eva')!.boot).toEqual({ dev: 'disk', persistent: true });
    expect(lab.requests.at(-1)).toMatchObject({ bmcOp: 'bootdev', arg: 'disk', persistent: true });
  });

  it('parses the SEL and sensors with the same parsers as ipmitool', async () => {
    const d = driver();
    expect(await d.sel()).toEqual([
      { id: 1, date: '11/21/2026', time: '03:12:01', sensor: 'Temperature CPU Temp', event: 'Upper Critical going high', direction: 'Asserted' },
      { id: 2, date: '11/21/2026', time: '03:14:40', sensor: 'Drive Slot Disk 1', event: 'Drive Fault', direction: 'Asserted' },
    ]);
    expect(await d.sensors()).toEqual([
      { name: 'CPU Temp', value: 94, unit: 'degrees C', status: 'cr' },
      { name: 'Inlet Temp', value: 24, unit: 'degrees C', status: 'ok' },
      { name: 'FAN1', value: null, unit: 'RPM', status: 'na' },
    ]);
    await d.selClear();
    expect(lab.requests.at(-1)).toMatchObject({ bmcOp: 'sel', arg: 'clear' });
    expect((await d.sel()).map((e) => e.event)).toEqual(['Log area reset/cleared']);
    lab.machines.get('eva')!.sel = [];
    expect(await d.sel()).toEqual([]);
  });

  it('reads the password from a mode-600 file too', async () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 'lab-pw\n');
    chmodSync(file, 0o600);
    expect((await driver({ password: { file } }).power('status')).power).toBe('on');
    expect(lab.requests.at(-1)).toMatchObject({ password: 'lab-pw' });
    chmodSync(file, 0o640);
    const e = (await driver({ password: { file } }).power('status').catch((x: unknown) => x)) as BmcError;
    expect(e.reason).toBe('secret');
    expect(lab.requests.length).toBe(1);
  });

  it('errors are one line naming the machine', async () => {
    const wrong = (await bmcDriverFor('eva', bmc(), { env: { LAB_PW: 'nope' } }).power('off').catch((x: unknown) => x)) as BmcError;
    expect(wrong.reason).toBe('auth');
    expect(wrong.message).toBe('eva-bmc (lab): wrong BMC user or password, or no BMC answering (Unable to establish IPMI v2 / RMCP+ session)');
    expect(lab.machines.get('eva')!.power).toBe('on');

    const unknown = (await bmcDriverFor('zed', bmc(), { env }).power('status').catch((x: unknown) => x)) as BmcError;
    expect(unknown.message).toBe("zed-bmc (lab): chassis power failed: no machine 'zed' in the lab (known: eva)");

    const gone = (await driver({ socket: join(dir, 'nothing.sock') }).power('status').catch((x: unknown) => x)) as BmcError;
    expect(gone.reason).toBe('unreachable');
    expect(gone.message).toBe(`eva-bmc (lab): BMC not answering: no lab listening on ${join(dir, 'nothing.sock')} (is the lab running? baie lab)`);

    lab.silent = true;
    const t0 = Date.now();
    const slow = (await driver({}, 300).sensors().catch((x: unknown) => x)) as BmcError;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(slow.message).toBe('eva-bmc (lab): BMC not answering (timeout after 0.3 s)');
  });

  it('opens the console: output arrives, keys reach the machine, close() leaves with ~.', async () => {
    const s = await driver().sol();
    let text = '';
    let closed: { code: number | null } | undefined;
    s.onData((d) => (text += d));
    s.onClose((i) => (closed = i));
    await waitFor(() => text.includes('eva login: '));
    lab.solSocket!.write('more output\r\n');
    await waitFor(() => text.includes('more output'));
    s.write('root\r');
    await waitFor(() => lab.solInput.includes('root\r'));
    const busy = (await driver().sol().catch((x: unknown) => x)) as BmcError;
    expect(busy.reason).toBe('busy');
    expect(busy.message).toBe('eva-bmc (lab): SOL console already active on another session (close it there first: the lab frees it when that session ends)');
    s.close();
    await waitFor(() => closed !== undefined);
    expect(lab.solInput.endsWith('\r~.')).toBe(true);
    const wrong = (await bmcDriverFor('eva', bmc(), { env: { LAB_PW: 'x' } }).sol().catch((x: unknown) => x)) as BmcError;
    expect(wrong.reason).toBe('auth');
  });
});

function waitFor(ok: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ok()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}
