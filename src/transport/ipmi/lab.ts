/**
 * The lab's simulated BMC, reached through the lab control socket (bmc.socket):
 * `{op: 'bmc', machine, user, password, bmcOp, arg, persistent}` answered by
 * `{ok: true, result: {ok: true, output}}` (or `{ok: false, error}` at either level); `{op: 'sol'}`
 * turns the connection into the machine's raw serial console. The lab answers with ipmitool's own
 * text, read here by the same parsers as the ipmitool driver, so both return identical types.
 */
import type { Bmc } from '../../model/fleet.js';
import type { PtySession } from '../types.js';
import { parsePowerStatus, parseSelElist, parseSensors } from './parse.js';
import type { BmcDriver, BmcDriverOptions, BootDevice, PowerAction, PowerResult, SelEvent, SensorReading, SolOptions } from './driver.js';
import { ConsoleSession } from './consoleSession.js';
import { BmcError, bmcLabel, classifyIpmitool } from './errors.js';
import { DEFAULT_BMC_TIMEOUT_MS } from './ipmitool.js';
import { LabSocketError, labExchange } from './labSocket.js';
import type { LabReply } from './labSocket.js';
import { readBmcPassword } from './secrets.js';

/** How long close() waits for the lab to end the console after `~.`. */
const LEAVE_GRACE_MS = 1000;

export class LabBmcDriver implements BmcDriver {
  readonly kind = 'lab' as const;
  private readonly label: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly machine: string,
    private readonly bmc: Bmc,
    private readonly opts: BmcDriverOptions = {},
  ) {
    this.label = bmcLabel(machine, bmc);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_BMC_TIMEOUT_MS;
  }

  private err(reason: ConstructorParameters<typeof BmcError>[0], detail: string): BmcError {
    return new BmcError(reason, this.machine, this.label, detail);
  }

  private socketPath(): string {
    if (!this.bmc.socket) throw this.err('unreachable', 'no lab control socket configured for this BMC (bmc.socket)');
    return this.bmc.socket;
  }

  private socketError(e: unknown, op: string): BmcError {
    if (e instanceof LabSocketError) {
      if (e.reason === 'not-running') return this.err('unreachable', `BMC not answering: ${e.message} (is the lab running? baie lab)`);
      if (e.reason === 'timeout') return this.err('timeout', `BMC not answering (timeout after ${Math.round(this.timeoutMs / 100) / 10} s)`);
      if (e.reason === 'cancelled') return this.err('failed', `${op} cancelled`);
      return this.err('failed', `${op}: ${e.message}`);
    }
    return this.err('failed', `${op}: ${(e as Error).message ?? String(e)}`);
  }

  /** A lab refusal, read as ipmitool's stderr would be. */
  private refusal(error: string, op: string): BmcError {
    if (/SOL payload already active/i.test(error)) return this.err('busy', 'SOL console already active on another session (close it there first: the lab frees it when that session ends)');
    return (
      classifyIpmitool({ exitCode: 1, stderr: error }, { machine: this.machine, label: this.label, user: this.bmc.user, op }) ??
      this.err('failed', `${op} failed: ${error}`)
    );
  }

  private async call(bmcOp: string, op: string, extra: { arg?: string; persistent?: boolean }, signal?: AbortSignal): Promise<string> {
    const path = this.socketPath();
    const password = await readBmcPassword(this.bmc.password, this.machine, this.label, this.opts.env ?? process.env);
    let reply: LabReply;
    try {
      ({ reply } = await labExchange(
        path,
        { op: 'bmc', machine: this.machine, user: this.bmc.user, password, bmcOp, arg: extra.arg, persistent: extra.persistent },
        { timeoutMs: this.timeoutMs, signal },
      ));
    } catch (e) {
      throw this.socketError(e, op);
    }
    if (!reply.ok) throw this.refusal(reply.error ?? 'the lab refused the request', op);
    const result = reply.result as { ok?: boolean; output?: unknown; error?: unknown } | null | undefined;
    if (!result || typeof result !== 'object') throw this.err('failed', `${op}: the lab answered without a result`);
    if (result.ok === false) throw this.refusal(typeof result.error === 'string' ? result.error : 'refused', op);
    return typeof result.output === 'string' ? result.output : '';
  }

  async power(action: PowerAction, signal?: AbortSignal): Promise<PowerResult> {
    const output = await this.call('power', 'chassis power', { arg: action }, signal);
    if (action === 'status') {
      const p = parsePowerStatus(output);
      if (p === 'unknown') throw this.err('failed', `chassis power status: unexpected answer '${output.trim().slice(0, 80)}'`);
      return { power: p, output };
    }
    return { output };
  }

  async bootdev(dev: BootDevice, opts: { persistent?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    const output = await this.call('bootdev', 'chassis bootdev', { arg: dev, persistent: opts.persistent === true }, opts.signal);
    return output.trim();
  }

  async sel(signal?: AbortSignal): Promise<SelEvent[]> {
    return parseSelElist(await this.call('sel', 'sel elist', { arg: 'list' }, signal));
  }

  async selClear(signal?: AbortSignal): Promise<void> {
    await this.call('sel', 'sel clear', { arg: 'clear' }, signal);
  }

  async sensors(signal?: AbortSignal): Promise<SensorReading[]> {
    return parseSensors(await this.call('sensor', 'sensor', {}, signal));
  }

  async sol(opts: SolOptions = {}): Promise<PtySession> {
    const path = this.socketPath();
    const password = await readBmcPassword(this.bmc.password, this.machine, this.label, this.opts.env ?? process.env);
    let got;
    try {
      got = await labExchange(path, { op: 'sol', machine: this.machine, user: this.bmc.user, password }, { timeoutMs: this.timeoutMs, signal: opts.signal, keep: true });
    } catch (e) {
      throw this.socketError(e, 'sol activate');
    }
    const { reply, socket } = got;
    if (!reply.ok) {
      socket.destroy();
      throw this.refusal(reply.error ?? 'the lab refused the console', 'sol activate');
    }
    const session = new ConsoleSession();
    socket.setEncoding('utf8');
    socket.on('data', (t: string) => session.emit(t));
    socket.on('error', () => undefined);
    let leaveTimer: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      clearTimeout(leaveTimer);
      session.end({ code: 0 });
    });
    session.io = {
      write: (d) => {
        if (!socket.destroyed) socket.write(d);
      },
      close: () => {
        if (!socket.destroyed) socket.write('\r~.');
        leaveTimer = setTimeout(() => socket.destroy(), LEAVE_GRACE_MS);
      },
    };
    socket.resume();
    return session;
  }

  async solDeactivate(): Promise<void> {
    throw this.err('failed', 'the lab BMC has no sol deactivate: its console is freed when the other session closes');
  }
}
