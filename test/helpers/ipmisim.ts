/**
 * OpenIPMI's ipmi_sim as a real BMC peer on loopback (see FIELD-NOTES "ipmi_sim (openipmi) as a
 * BMC peer"). No root needed.
 *
 *   import { ipmiSimSkipReason, startIpmiSim } from '../../helpers/ipmisim.js';
 *   const skip = ipmiSimSkipReason();
 *   describe.skipIf(skip)(`ipmi ${skip ?? ''}`, () => {
 *     let sim: IpmiSim;
 *     beforeAll(async () => { sim = await startIpmiSim({ sol: solPort }); });
 *     afterAll(() => sim?.stop());
 *     it('…', async () => { sim.bmc('admin', { env: 'PW' }); await sim.control('sensor_set_value 0x20 0 1 95 1'); sim.chassisLog(); });
 *   });
 *
 * Each sim gets a temp dir (lan.conf, emu file, state dir, chassis script, log), a free UDP port
 * on 127.0.0.1 for RMCP+, and a free TCP control port (ipmi_sim's telnet-style `console`). The
 * chassis script keeps the power state in DIR/power (1 = on) and appends each call's arguments
 * to DIR/chassis.log. One sensor, `CPU Temp` (sensor 1 on MC 0x20, thresholds UNC 75, UC 90,
 * UNR 100, starting at 48); its SDR is compiled with sdrcomp when sdrcomp exists (`hasSdr`).
 */
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bmc, SecretSource } from '../../src/model/fleet.js';

const run = promisify(execFile);

function onPath(bin: string): string | undefined {
  for (const d of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = join(d, bin);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Why ipmi_sim-based tests cannot run here (one line), or undefined. */
export function ipmiSimSkipReason(): string | undefined {
  if (!onPath('ipmitool')) return '(skipped: ipmitool is missing; apt-get install ipmitool)';
  if (!onPath('ipmi_sim')) return '(skipped: ipmi_sim is missing; apt-get install openipmi)';
  if (process.platform !== 'linux') return '(skipped: the ipmi_sim helper is written for Linux)';
  return undefined;
}

export function sdrcompAvailable(): boolean {
  return onPath('sdrcomp') !== undefined;
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

export interface SimUser {
  name: string;
  password: string;
  priv: 'admin' | 'operator' | 'user';
}

export interface IpmiSimOptions {
  /** Default: admin/s3cret (admin) and viewer/v1ewer (user). */
  users?: SimUser[];
  /** TCP port of a server already listening on 127.0.0.1 that plays the serial port (SOL). */
  solPort?: number;
  /** Initial chassis power (default on). */
  power?: 'on' | 'off';
  /** Compile and install the SDR (default true when sdrcomp exists). */
  sdr?: boolean;
}

export interface IpmiSim {
  dir: string;
  address: string;
  /** UDP port of the RMCP+ (lanplus) interface. */
  port: number;
  /** TCP port of the ipmi_sim command console. */
  controlPort: number;
  /** True when the SDR was compiled and installed (so `sensor` lists CPU Temp). */
  hasSdr: boolean;
  users: SimUser[];
  pid: number;
  /** A Bmc for the ipmitool driver pointing at this sim. */
  bmc(user: string, password?: SecretSource): Bmc;
  /** Runs one ipmi_sim command through the control port; resolves with its echo/answer. */
  control(command: string): Promise<string>;
  /** Lines the chassis script was called with (`get power`, `set power 0`, `set boot pxe`…). */
  chassisLog(): string[];
  /** The power state the chassis script holds. */
  power(): 'on' | 'off';
  /** Kills ipmi_sim (by pid) and removes the dir. */
  stop(): Promise<void>;
}

const CHASSIS_SCRIPT = `#!/bin/sh
D="$(dirname "$0")"
echo "$*" >> "$D/chassis.log"
case "$1 $2" in
  "get power") echo "power:$(cat "$D/power" 2>/dev/null || echo 1)" ;;
  "set power") echo "$3" > "$D/power" ;;
esac
exit 0
`;

const EMU = `mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
sensor_add 0x20 0 1 0x01 0x01
sensor_set_value 0x20 0 1 48 0
sensor_set_threshold 0x20 0 1 settable 111000 100 90 75 00 00 00
sensor_set_event_support 0x20 0 1 enable scanning per-state 000111111000000 000111111000000 000111111000000 000111111000000
mc_enable 0x20
`;

const SDRS = `sdr type 1
  sensor_owner_id 0x20
  sensor_owner_lun 0
  channel_number 0
  sensor_number 1
  entity_id processor
  entity_instance 1
  init_scanning true
  init_events true
  init_thresholds true
  init_sensor_type true
  default_event_gen_on true
  default_sensor_scan_on true
  sensor_auto_rearm true
  sensor_threshold_access settable
  sensor_event_msg_ctrl per_state
  sensor_type Temperature
  event_reading_type_code 1
  return_unc true
  return_uc true
  return_unr true
  assert_uncgh true
  deassert_uncgh true
  assert_ucgh true
  deassert_ucgh true
  assert_unrgh true
  deassert_unrgh true
  unr_thrsh_settable true
  uc_thrsh_settable true
  unc_thrsh_settable true
  analog_data_format unsigned
  rate_unit none
  modifier_unit none
  percentage false
  base_unit degrees_C
  modifier_unit_code unspecified
  linearization linear
  m 1
  tolerance 0
  b 0
  accuracy 1
  accuracy_exp 0
  sensor_direction input
  r_exp 0
  b_exp 0
  sensor_maximum 255
  sensor_minimum 0
  unr_thresh 100
  uc_thresh 90
  unc_thresh 75
  id_string "CPU Temp"
endsdr
`;

/**
 * Wait until ipmi_sim has bound its UDP port (read from /proc/net/udp). Do not probe the control
 * port by connecting and dropping: ipmi_sim dies of SIGPIPE writing its telnet greeting to a
 * socket already closed.
 */
function waitUdpBound(port: number, deadline: number, exited: () => boolean): Promise<void> {
  const needle = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      let table = '';
      try {
        table = readFileSync('/proc/net/udp', 'utf8');
      } catch {
        /* no procfs: fall through to the deadline */
      }
      if (table.split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(needle.trim()))) resolve();
      else if (exited()) reject(new Error('ipmi_sim exited at start'));
      else if (Date.now() > deadline) reject(new Error(`ipmi_sim never bound UDP port ${port}`));
      else setTimeout(attempt, 50);
    };
    attempt();
  });
}

/** Talk to the control console: wait for the `> ` prompt, send, wait for the next prompt. */
function controlCommand(port: number, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(port, '127.0.0.1');
    let buf = '';
    let sent = false;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`ipmi_sim control: no prompt after '${command}'`));
    }, timeoutMs);
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (!sent && buf.endsWith('> ')) {
        sent = true;
        buf = '';
        s.write(command + '\n');
      } else if (sent && buf.endsWith('> ')) {
        clearTimeout(timer);
        s.end();
        resolve(buf.slice(0, -2));
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export async function startIpmiSim(opts: IpmiSimOptions = {}): Promise<IpmiSim> {
  const dir = mkdtempSync(join(tmpdir(), 'baie-ipmisim-'));
  const users = opts.users ?? [
    { name: 'admin', password: 's3cret', priv: 'admin' },
    { name: 'viewer', password: 'v1ewer', priv: 'user' },
  ];
  const port = await freeUdpPort();
  const controlPort = await freeTcpPort();
  const script = join(dir, 'chassis.sh');
  writeFileSync(script, CHASSIS_SCRIPT);
  chmodSync(script, 0o755);
  writeFileSync(join(dir, 'power'), opts.power === 'off' ? '0\n' : '1\n');
  writeFileSync(join(dir, 'chassis.log'), '');
  const lan = [
    'name "sim1"',
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr 127.0.0.1 ${port}`,
    '    priv_limit admin',
    '    allowed_auths_callback none md2 md5 straight',
    '    allowed_auths_user none md2 md5 straight',
    '    allowed_auths_operator none md2 md5 straight',
    '    allowed_auths_admin none md2 md5 straight',
    '    guid a123456789abcdefa123456789abcdef',
    '  endlan',
    `  chassis_control "${script}"`,
    ...(opts.solPort ? [`  sol "tcp:127.0.0.1:${opts.solPort}" 115200`] : []),
    `  console 127.0.0.1 ${controlPort}`,
    ...users.map((u, i) => `user ${i + 2} true "${u.name}" "${u.password}" ${u.priv} 10 none md2 md5 straight`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'lan.conf'), lan);
  writeFileSync(join(dir, 'sim.emu'), EMU);
  const state = join(dir, 'state');
  const mcDir = join(state, 'ipmi_sim', 'sim1');
  mkdirSync(mcDir, { recursive: true });
  let hasSdr = false;
  if ((opts.sdr ?? true) && sdrcompAvailable()) {
    writeFileSync(join(dir, 'main.sdrs'), SDRS);
    await run('sdrcomp', ['-o', join(mcDir, 'sdr.20.main'), join(dir, 'main.sdrs')]);
    hasSdr = true;
  }
  const logFd = openSync(join(dir, 'sim.log'), 'w');
  const child: ChildProcess = spawn('ipmi_sim', ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'sim.emu'), '-s', state, '-n'], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  let gone = false;
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      gone = true;
      r();
    }),
  );
  try {
    await waitUdpBound(port, Date.now() + 10_000, () => gone);
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    const log = readFileSync(join(dir, 'sim.log'), 'utf8').trim().slice(0, 300);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}${log ? `: ${log}` : ''}`);
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    dir,
    address: '127.0.0.1',
    port,
    controlPort,
    hasSdr,
    users,
    pid: child.pid!,
    bmc: (user, password) => ({ driver: 'ipmitool', address: '127.0.0.1', port, user, password }),
    control: (command) => controlCommand(controlPort, command),
    chassisLog: () => readFileSync(join(dir, 'chassis.log'), 'utf8').split('\n').filter(Boolean),
    power: () => (readFileSync(join(dir, 'power'), 'utf8').trim() === '0' ? 'off' : 'on'),
    stop,
  };
}
