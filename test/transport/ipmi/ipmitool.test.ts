/**
 * The ipmitool driver against a real BMC peer: OpenIPMI's ipmi_sim on 127.0.0.1 (test/helpers/ipmisim.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bmcDriverFor } from '../../../src/transport/ipmi/driver.js';
import { BmcError } from '../../../src/transport/ipmi/errors.js';
import { freeUdpPort, ipmiSimSkipReason, startIpmiSim } from '../../helpers/ipmisim.js';
import type { IpmiSim } from '../../helpers/ipmisim.js';

const skip = ipmiSimSkipReason();
const PW_VAR = 'BAIE_TEST_BMC_PW';

async function rejection(p: Promise<unknown>): Promise<BmcError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BmcError);
    return e as BmcError;
  }
  throw new Error('expected the call to fail');
}

/** Every process's argv (as one string each) that mentions `needle`. */
function argvContaining(needle: string): string[] {
  const hits: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes(needle)) hits.push(`${pid}: ${cmd.replace(/\0/g, ' ')}`);
  }
  return hits;
}

function argvOf(prog: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.split('\0')[0]?.endsWith(prog)) out.push(cmd.replace(/\0/g, ' '));
    } catch {
      /* gone */
    }
  }
  return out;
}

describe.skipIf(skip)(`ipmitool driver against ipmi_sim ${skip ?? ''}`, () => {
  let sim: IpmiSim;
  let tmp: string;
  const env = { [PW_VAR]: 's3cret' };
  const driver = () => bmcDriverFor('eva', sim.bmc('admin', { env: PW_VAR }), { env, timeoutMs: 10_000 });

  beforeAll(async () => {
    sim = await startIpmiSim();
    tmp = mkdtempSync(join(tmpdir(), 'baie-ipmi-test-'));
  });
  afterAll(async () => {
    await sim?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('reads the chassis power and switches it off and on through the chassis script', async () => {
    const d = driver();
    expect(d.kind).toBe('ipmitool');
    const st = await d.power('status');
    expect(st.power).toBe('on');
    expect(st.output).toContain('Chassis Power is on');

    const off = await d.power('off');
    expect(off.output).toContain('Chassis Power Control: Down/Off');
    expect(off.power).toBeUndefined();
    expect(sim.chassisLog()).toContain('set power 0');
    expect(sim.power()).toBe('off');
    expect((await d.power('status')).power).toBe('off');

    await d.power('on');
    expect(sim.power()).toBe('on');
    expect((await d.power('status')).power).toBe('on');
  });

  it('power cycle and reset reach the chassis', async () => {
    const d = driver();
    const before = sim.chassisLog().length;
    const cyc = await d.power('cycle');
    expect(cyc.output).toContain('Chassis Power Control: Cycle');
    expect(sim.chassisLog().slice(before)).toContain('set power 0');
    const rst = await d.power('reset');
    expect(rst.output).toContain('Chassis Power Control: Reset');
    expect(sim.chassisLog().slice(before)).toContain('set reset 1');
    // ipmi_sim's cycle only switches off through the chassis script: switch back on.
    await d.power('on');
    expect((await d.power('status')).power).toBe('on');
  });

  it('sets the boot device (once, and persistent)', async () => {
    const d = driver();
    expect(await d.bootdev('pxe')).toBe('Set Boot Device to pxe');
    expect(sim.chassisLog()).toContain('set boot pxe');
    expect(await d.bootdev('disk', { persistent: true })).toBe('Set Boot Device to disk');
  });

  it('reads sensors from the compiled SDR', async (ctx) => {
    if (!sim.hasSdr) ctx.skip('(skipped: sdrcomp is missing, so ipmi_sim has no SDR and `sensor` lists nothing)');
    await sim.control('sensor_set_value 0x20 0 1 61 0');
    const sensors = await driver().sensors();
    const cpu = sensors.find((s) => s.name === 'CPU Temp');
    expect(cpu).toEqual({ name: 'CPU Temp', value: 61, unit: 'degrees C', status: 'ok' });
  });

  it('lists SEL events raised through the control port, and clears the SEL', async () => {
    const d = driver();
    await d.selClear();
    expect(await d.sel()).toEqual([]);
    await sim.control('sensor_set_value 0x20 0 1 95 1');
    const sel = await d.sel();
    const crit = sel.find((e) => e.event === 'Upper Critical going high');
    expect(crit, JSON.stringify(sel)).toBeDefined();
    expect(crit!.sensor).toMatch(/^Temperature /);
    expect(crit!.direction).toBe('Asserted');
    expect(sel.some((e) => e.event === 'Upper Non-critical going high')).toBe(true);
    await d.selClear();
    expect(await d.sel()).toEqual([]);
    await sim.control('sensor_set_value 0x20 0 1 48 0');
  });

  it('reads the password from a mode-600 file and refuses a file others can read', async () => {
    const file = join(tmp, 'bmc.pw');
    writeFileSync(file, 's3cret\n');
    chmodSync(file, 0o600);
    const d = bmcDriverFor('eva', sim.bmc('admin', { file }));
    expect((await d.power('status')).power).toBe('on');
    chmodSync(file, 0o644);
    const before = sim.chassisLog().length;
    const e = await rejection(bmcDriverFor('eva', sim.bmc('admin', { file })).power('off'));
    expect(e.reason).toBe('secret');
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${sim.port}: BMC password file ${file} is readable by others (mode 644): run chmod 600 ${file}`);
    expect(sim.chassisLog().length).toBe(before);
    expect(sim.power()).toBe('on');
  });

  it('says which variable is missing', async () => {
    const e = await rejection(bmcDriverFor('eva', sim.bmc('admin', { env: 'NO_SUCH_BMC_PW_VAR' }), { env: {} }).power('status'));
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${sim.port}: BMC password variable NO_SUCH_BMC_PW_VAR is not set`);
  });

  it('a wrong password is one line naming the BMC (power and, via a second look, sel)', async () => {
    const bad = bmcDriverFor('eva', sim.bmc('admin', { env: PW_VAR }), { env: { [PW_VAR]: 'wrong-one' } });
    const e = await rejection(bad.power('off'));
    expect(e.reason).toBe('auth');
    expect(e.kind).toBe('auth');
    expect(e.machine).toBe('eva');
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${sim.port}: wrong BMC password for user admin (RAKP 2 HMAC is invalid)`);
    expect(e.message).not.toContain('\n');
    expect(sim.power()).toBe('on');
    const e2 = await rejection(bad.sel());
    expect(e2.message).toContain('wrong BMC password for user admin');
  });

  it('an unknown user is told apart', async () => {
    const e = await rejection(bmcDriverFor('eva', sim.bmc('nobody', { env: PW_VAR }), { env }).power('status'));
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${sim.port}: the BMC has no user 'nobody' (RAKP 2: unauthorized name)`);
  });

  it('a read-only user gets status but not power control', async () => {
    const viewer = bmcDriverFor('eva', sim.bmc('viewer', { env: PW_VAR }), { env: { [PW_VAR]: 'v1ewer' }, privilege: 'USER' });
    expect((await viewer.power('status')).power).toBe('on');
    const e = await rejection(viewer.power('off'));
    expect(e.reason).toBe('privilege');
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${sim.port}: insufficient privilege for chassis power (user viewer needs OPERATOR or ADMINISTRATOR)`);
    expect(sim.power()).toBe('on');
    const e2 = await rejection(viewer.bootdev('pxe'));
    expect(e2.reason).toBe('privilege');
  });
});

describe.skipIf(skip)(`ipmitool driver with no BMC ${skip ?? ''}`, () => {
  it('an address where nothing answers fails within a bounded time, one line', async () => {
    const port = await freeUdpPort();
    const d = bmcDriverFor('eva', { driver: 'ipmitool', address: '127.0.0.1', port, user: 'admin', password: { env: PW_VAR } }, { env: { [PW_VAR]: 'x' }, timeoutMs: 15_000 });
    const t0 = Date.now();
    const e = await rejection(d.power('status'));
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(e.reason).toBe('unreachable');
    expect(e.message).toMatch(new RegExp(`^eva-bmc 127\\.0\\.0\\.1:${port}: BMC not answering \\(timeout`));
    expect(e.message).not.toContain('\n');
  });

  it('our own deadline wins over ipmitool retries', async () => {
    const port = await freeUdpPort();
    const d = bmcDriverFor('eva', { driver: 'ipmitool', address: '127.0.0.1', port, user: 'admin', password: { env: PW_VAR } }, { env: { [PW_VAR]: 'x' }, timeoutMs: 1500 });
    const t0 = Date.now();
    const e = await rejection(d.sel());
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.reason).toBe('timeout');
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${port}: BMC not answering (timeout after 1.5 s)`);
  });

  it('the password never appears in any process argv while ipmitool runs', async () => {
    const port = await freeUdpPort();
    const secret = `zq${process.pid}x${Date.now() % 100000}`; // IPMI passwords are at most 20 bytes
    const d = bmcDriverFor('eva', { driver: 'ipmitool', address: '127.0.0.1', port, user: 'admin', password: { env: PW_VAR } }, { env: { [PW_VAR]: secret }, timeoutMs: 4000 });
    const call = d.power('status').catch((e: unknown) => e);
    let sawIpmitool = 0;
    const leaks: string[] = [];
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const running = argvOf('ipmitool').filter((a) => a.includes(`-p ${port}`));
      if (running.length) sawIpmitool++;
      for (const a of running) expect(a).toContain(' -E ');
      leaks.push(...argvContaining(secret));
      await new Promise((r) => setTimeout(r, 50));
    }
    const e = await call;
    expect(e).toBeInstanceOf(BmcError);
    expect(sawIpmitool, String(e)).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it('an AbortSignal cancels a call at once', async () => {
    const port = await freeUdpPort();
    const d = bmcDriverFor('eva', { driver: 'ipmitool', address: '127.0.0.1', port, user: 'admin', password: { env: PW_VAR } }, { env: { [PW_VAR]: 'x' } });
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 200);
    const e = await rejection(d.power('status', ac.signal));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e.message).toBe(`eva-bmc 127.0.0.1:${port}: chassis power cancelled`);
    expect(argvOf('ipmitool').filter((a) => a.includes(`-p ${port}`))).toEqual([]);
  });

  it('a missing ipmitool binary is said plainly', async () => {
    const d = bmcDriverFor('eva', { driver: 'ipmitool', address: '127.0.0.1', port: 1, user: 'admin', password: { env: PW_VAR } }, { env: { [PW_VAR]: 'x' }, ipmitool: '/nonexistent/ipmitool' });
    const e = await rejection(d.power('status'));
    expect(e.reason).toBe('missing-tool');
    expect(e.message).toBe('eva-bmc 127.0.0.1:1: /nonexistent/ipmitool is not installed (apt-get install ipmitool)');
  });
});
