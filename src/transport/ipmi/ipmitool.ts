/**
 * The real BMC driver: `ipmitool -I lanplus -C 3 -H ADDR -p PORT -U USER -E|-f FILE -N 1 -R 2 …`
 * through execa. The password reaches ipmitool only through its environment (IPMITOOL_PASSWORD)
 * or a mode-600 file it reads itself; never argv. Each call has a deadline (ipmitool's own
 * `-N 1 -R 2` retries plus an execa timeout).
 */
import { execa } from 'execa';
import type { Bmc } from '../../model/fleet.js';
import type { PtySession } from '../types.js';
import { parsePowerStatus, parseSelElist, parseSensors } from './parse.js';
import type { BmcDriver, BmcDriverOptions, BootDevice, PowerAction, PowerResult, SelEvent, SensorReading, SolOptions } from './driver.js';
import { BmcError, bmcLabel, classifyIpmitool } from './errors.js';
import type { OpName } from './errors.js';
import { ipmitoolAuth } from './secrets.js';
import { openIpmitoolSol } from './sol.js';

export const DEFAULT_BMC_TIMEOUT_MS = 20_000;

/** Everything needed to run ipmitool against one BMC (argv without the command, extra env). */
export interface IpmitoolInvocation {
  bin: string;
  args: string[];
  env: Record<string, string>;
  machine: string;
  label: string;
  user: string;
  timeoutMs: number;
}

export interface IpmitoolRun {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  durationMs: number;
}

/** The ipmitool argv for `bmc` (connection and auth options only; the password is never in it). */
export function ipmitoolBaseArgs(bmc: Bmc, authArgs: string[], privilege?: string): string[] {
  const args = ['-I', 'lanplus', '-C', '3', '-H', bmc.address, '-p', String(bmc.port || 623), '-U', bmc.user, ...authArgs, '-N', '1', '-R', '2'];
  if (privilege) args.push('-L', privilege);
  return args;
}

/** Run one ipmitool command; rejects with a BmcError when it could not be done. */
export async function runIpmitool(inv: IpmitoolInvocation, command: string[], op: OpName, o: { verbose?: boolean; signal?: AbortSignal } = {}): Promise<IpmitoolRun> {
  const started = Date.now();
  const r = await execa(inv.bin, [...inv.args, ...(o.verbose ? ['-v'] : []), ...command], {
    env: inv.env,
    stdin: 'ignore',
    reject: false,
    timeout: inv.timeoutMs,
    cancelSignal: o.signal,
    forceKillAfterDelay: 1000,
    stripFinalNewline: false,
  });
  const durationMs = Date.now() - started;
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  if (r.code === 'ENOENT' || (r.failed && r.exitCode === undefined && /ENOENT/.test(r.message ?? ''))) {
    throw new BmcError('missing-tool', inv.machine, inv.label, `${inv.bin} is not installed (apt-get install ipmitool)`);
  }
  if (r.isCanceled) throw new BmcError('failed', inv.machine, inv.label, `${op} cancelled`);
  const err = classifyIpmitool({ exitCode: r.exitCode, stderr, timedOut: r.timedOut, durationMs, timeoutMs: inv.timeoutMs }, { machine: inv.machine, label: inv.label, user: inv.user, op });
  if (err) throw err;
  return { stdout, stderr, exitCode: r.exitCode, durationMs };
}

const SESSION_GENERIC = /or no BMC answering/;

export class IpmitoolDriver implements BmcDriver {
  readonly kind = 'ipmitool' as const;
  private readonly label: string;

  constructor(
    private readonly machine: string,
    private readonly bmc: Bmc,
    private readonly opts: BmcDriverOptions = {},
  ) {
    this.label = bmcLabel(machine, bmc);
  }

  /** Resolves the password source each time (a rotated file or variable is picked up). */
  async invocation(): Promise<IpmitoolInvocation> {
    const auth = await ipmitoolAuth(this.bmc, this.machine, this.label, this.opts.env ?? process.env);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'IPMITOOL_PASSWORD' && k !== 'IPMI_PASSWORD') env[k] = v;
    return {
      bin: this.opts.ipmitool ?? 'ipmitool',
      args: ipmitoolBaseArgs(this.bmc, auth.args, this.opts.privilege),
      env: { ...env, ...auth.env },
      machine: this.machine,
      label: this.label,
      user: this.bmc.user,
      timeoutMs: this.opts.timeoutMs ?? DEFAULT_BMC_TIMEOUT_MS,
    };
  }

  /**
   * Commands whose output `-v` would change (sel, sensor) run without it; when such a call fails
   * to open a session quickly, a verbose `chassis power status` asks why (wrong password, unknown
   * user) without waiting out a timeout again.
   */
  private async call(command: string[], op: OpName, o: { verbose: boolean; signal?: AbortSignal }): Promise<IpmitoolRun> {
    const inv = await this.invocation();
    const started = Date.now();
    try {
      return await runIpmitool(inv, command, op, o);
    } catch (e) {
      // A fast refusal means something answered (ipmitool's first retry comes after 1 s).
      if (!o.verbose && e instanceof BmcError && SESSION_GENERIC.test(e.message) && Date.now() - started < 1000) {
        try {
          await runIpmitool({ ...inv, timeoutMs: Math.min(inv.timeoutMs, 5000) }, ['chassis', 'power', 'status'], op, { verbose: true, signal: o.signal });
        } catch (d) {
          if (d instanceof BmcError && (d.reason === 'auth' || d.reason === 'privilege') && !SESSION_GENERIC.test(d.message)) throw d;
        }
      }
      throw e;
    }
  }

  async power(action: PowerAction, signal?: AbortSignal): Promise<PowerResult> {
    const r = await this.call(['chassis', 'power', action], 'chassis power', { verbose: true, signal });
    if (action === 'status') {
      const p = parsePowerStatus(r.stdout);
      if (p === 'unknown') throw new BmcError('failed', this.machine, this.label, `chassis power status: unexpected answer '${r.stdout.trim().slice(0, 80)}'`);
      return { power: p, output: r.stdout };
    }
    if (!/Chassis Power Control:/.test(r.stdout)) {
      throw new BmcError('failed', this.machine, this.label, `chassis power ${action}: unexpected answer '${(r.stdout.trim() || r.stderr.trim()).slice(0, 80)}'`);
    }
    return { output: r.stdout };
  }

  async bootdev(dev: BootDevice, opts: { persistent?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    const cmd = ['chassis', 'bootdev', dev];
    if (opts.persistent) cmd.push('options=persistent');
    const r = await this.call(cmd, 'chassis bootdev', { verbose: true, signal: opts.signal });
    // ipmitool exits 0 even when the BMC refused (it prints `Set Chassis Boot Parameter 5 failed: …`).
    if (!/Set Boot Device to/.test(r.stdout)) {
      const line = r.stderr.split('\n').find((l) => /failed/i.test(l))?.trim();
      throw new BmcError('failed', this.machine, this.label, `chassis bootdev ${dev} failed${line ? `: ${line}` : ''}`);
    }
    return r.stdout.trim();
  }

  async sel(signal?: AbortSignal): Promise<SelEvent[]> {
    const r = await this.call(['sel', 'elist'], 'sel elist', { verbose: false, signal });
    return parseSelElist(r.stdout);
  }

  async selClear(signal?: AbortSignal): Promise<void> {
    const r = await this.call(['sel', 'clear'], 'sel clear', { verbose: true, signal });
    if (!/Clearing SEL/i.test(r.stdout)) throw new BmcError('failed', this.machine, this.label, `sel clear: unexpected answer '${(r.stdout.trim() || r.stderr.trim()).slice(0, 80)}'`);
  }

  async sensors(signal?: AbortSignal): Promise<SensorReading[]> {
    const r = await this.call(['sensor'], 'sensor', { verbose: false, signal });
    return parseSensors(r.stdout);
  }

  async sol(opts: SolOptions = {}): Promise<PtySession> {
    const inv = await this.invocation();
    return openIpmitoolSol(inv, { signal: opts.signal, deactivate: () => this.solDeactivate().catch(() => undefined) });
  }

  async solDeactivate(signal?: AbortSignal): Promise<void> {
    const inv = await this.invocation();
    await runIpmitool({ ...inv, timeoutMs: Math.min(inv.timeoutMs, 10_000) }, ['sol', 'deactivate'], 'sol deactivate', { verbose: true, signal });
  }
}
