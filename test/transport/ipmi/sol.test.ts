/**
 * Serial-over-LAN through ipmitool (under `script` for a tty) against ipmi_sim, whose serial port
 * is a TCP server this test runs (`sol "tcp:127.0.0.1:PORT"`; it must listen before ipmi_sim starts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { bmcDriverFor } from '../../../src/transport/ipmi/driver.js';
import { BmcError } from '../../../src/transport/ipmi/errors.js';
import type { PtySession } from '../../../src/transport/types.js';
import { freeTcpPort, ipmiSimSkipReason, startIpmiSim } from '../../helpers/ipmisim.js';
import type { IpmiSim } from '../../helpers/ipmisim.js';

const skip = ipmiSimSkipReason() ?? (process.platform === 'linux' && !readdirSync('/usr/bin').includes('script') ? '(skipped: script (bsdutils) is missing)' : undefined);
const PW_VAR = 'BAIE_TEST_SOL_PW';
const PASSWORD = 'Sol-s3cret-77';

function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = probe();
      if (v !== undefined && v !== false) resolve(v);
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 25);
    };
    tick();
  });
}

function recorder(s: PtySession): { text: () => string; closed: () => { code: number | null } | undefined } {
  let text = '';
  let closed: { code: number | null } | undefined;
  s.onData((d) => (text += d));
  s.onClose((i) => (closed = i));
  return { text: () => text, closed: () => closed };
}

describe.skipIf(skip)(`SOL through ipmitool against ipmi_sim ${skip ?? ''}`, () => {
  let sim: IpmiSim;
  let serial: Server;
  let port: Socket | undefined;
  let received = '';
  const driver = () => bmcDriverFor('eva', sim.bmc('admin', { env: PW_VAR }), { env: { [PW_VAR]: PASSWORD }, timeoutMs: 8000 });

  beforeAll(async () => {
    const solPort = await freeTcpPort();
    serial = createServer((s) => {
      port = s;
      s.on('data', (d) => (received += d.toString('latin1')));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => serial.listen(solPort, '127.0.0.1', r));
    sim = await startIpmiSim({ solPort, users: [{ name: 'admin', password: PASSWORD, priv: 'admin' }] });
    await until('ipmi_sim to connect to the serial port', () => port);
  });
  afterAll(async () => {
    await sim?.stop();
    port?.destroy();
    await new Promise<void>((r) => (serial ? serial.close(() => r()) : r()));
  });

  it('shows what the serial port prints, sends typed keys to it, and close() ends it', async () => {
    const s = await driver().sol({ cols: 80, rows: 24 });
    const rec = recorder(s);
    port!.write('Debian GNU/Linux 12 eva ttyS0\r\n\r\neva login: ');
    await until('the login prompt on the console', () => rec.text().includes('eva login: ') || undefined);
    expect(rec.text()).not.toContain('SOL Session operational');
    received = '';
    s.write('root\r');
    await until('the typed name at the serial port', () => received.includes('root\r') || undefined);
    s.resize(120, 40); // a serial line has no size: accepted, nothing breaks
    s.close();
    const info = await until('the session to close', () => rec.closed(), 8000);
    expect(info.code).toBe(0);
    expect(rec.text()).not.toContain('[terminated ipmitool]');
    expect(received).not.toContain('~.');
    // The payload is free again: a new console opens.
    const again = await driver().sol();
    const rec2 = recorder(again);
    again.close();
    await until('the second session to close', () => rec2.closed(), 8000);
  });

  it('a second console on the same BMC is refused with a clear error, and solDeactivate frees it', async () => {
    const first = await driver().sol();
    const rec = recorder(first);
    let err: unknown;
    try {
      const second = await driver().sol();
      second.close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BmcError);
    expect((err as BmcError).reason).toBe('busy');
    expect((err as BmcError).message).toBe(
      `eva-bmc 127.0.0.1:${sim.port}: SOL console already active on another session (close it there, or deactivate it and retry)`,
    );
    await driver().solDeactivate();
    const taken = await driver().sol();
    const rec2 = recorder(taken);
    taken.close();
    first.close();
    await until('both sessions to close', () => (rec.closed() && rec2.closed()) || undefined, 10_000);
  });

  it('the password is in no process argv while the console is open', async () => {
    const s = await driver().sol();
    const rec = recorder(s);
    const seen: string[] = [];
    let solProcs = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes('sol\0activate') || cmd.includes('sol activate')) solProcs++;
      if (cmd.includes(PASSWORD)) seen.push(cmd.replace(/\0/g, ' '));
    }
    s.close();
    await until('the session to close', () => rec.closed(), 8000);
    expect(solProcs).toBeGreaterThanOrEqual(2); // script and ipmitool
    expect(seen).toEqual([]);
  });
});
