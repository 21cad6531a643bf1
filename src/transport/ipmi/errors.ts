/**
 * BMC failures as one-line messages naming the machine and its BMC, e.g.
 * `eva-bmc 192.0.2.5: wrong BMC user or password, or no BMC answering (Unable to establish IPMI v2 / RMCP+ session)`.
 * `classifyIpmitool` turns ipmitool's exit status and stderr into one of these.
 */
import { TransportError } from '../types.js';
import type { TransportErrorKind } from '../types.js';
import type { Bmc } from '../../model/fleet.js';

/** Why a BMC call failed, more precisely than TransportErrorKind. */
export type BmcErrorReason =
  /** Wrong password, unknown user, or (when ipmitool cannot tell) no BMC at all. */
  | 'auth'
  /** The session was set up but the user may not do this. */
  | 'privilege'
  /** Nothing answered at the address. */
  | 'unreachable'
  /** Our own deadline passed. */
  | 'timeout'
  /** The SOL payload is already active on another session. */
  | 'busy'
  /** No usable password (variable unset, file missing or readable by others). */
  | 'secret'
  /** ipmitool (or script, for SOL) is not installed. */
  | 'missing-tool'
  /** The BMC answered but refused or failed the command. */
  | 'failed';

const KIND: Record<BmcErrorReason, TransportErrorKind> = {
  auth: 'auth',
  privilege: 'auth',
  unreachable: 'unreachable',
  timeout: 'timeout',
  busy: 'closed',
  secret: 'auth',
  'missing-tool': 'unreachable',
  failed: 'closed',
};

/** `eva-bmc 192.0.2.5` (`:PORT` added when not the standard 623). */
export function bmcLabel(machine: string, bmc: Pick<Bmc, 'address' | 'port' | 'driver'>): string {
  if (bmc.driver === 'lab') return `${machine}-bmc (lab)`;
  const port = bmc.port && bmc.port !== 623 ? `:${bmc.port}` : '';
  return `${machine}-bmc ${bmc.address}${port}`;
}

/** A BMC call failed. `message` is one line: `eva-bmc 192.0.2.5: <what>`; show it as is. */
export class BmcError extends TransportError {
  readonly reason: BmcErrorReason;
  constructor(reason: BmcErrorReason, machine: string, label: string, detail: string, options?: { cause?: unknown }) {
    super(KIND[reason], machine, detail, options);
    this.name = 'BmcError';
    this.reason = reason;
    this.message = `${label}: ${detail}`;
  }
}

export const SOL_BUSY = 'SOL console already active on another session (close it there, or deactivate it and retry)';

export function isBmcError(e: unknown): e is BmcError {
  return e instanceof BmcError;
}

/** What the operation was, for messages: `chassis power`, `chassis bootdev`, `sel clear`, … */
export type OpName = string;

const SESSION_RE = /Unable to establish IPMI v2 \/ RMCP\+ session/;
/** `… failed: Insufficient privilege level` (not -v's discovery chatter `Invalid completion code received: …`). */
function privilegeRefused(stderr: string): boolean {
  return stderr.split(/\r?\n/).some((l) => /Insufficient privilege level/i.test(l) && !/^\s*Invalid completion code received/i.test(l));
}
const NOISE = [/^Get HPM\.x Capabilities/, /^Loading IANA PEN Registry/, /^Running Get /, /^Discovered IPMB address/, /^Invalid completion code received/];

/** The first informative stderr line (ipmitool's HPM.x chatter and -v banners skipped). */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !NOISE.some((re) => re.test(l)));
  return lines.find((l) => /error|fail|invalid|unable|insufficient|not /i.test(l)) ?? lines[0] ?? '';
}

/**
 * Classify a finished ipmitool run that did not do what was asked. Returns undefined when stderr
 * shows no failure and the exit code is 0 (the caller then checks stdout itself).
 */
export function classifyIpmitool(
  r: { exitCode: number | undefined; stderr: string; timedOut?: boolean; durationMs?: number; timeoutMs?: number },
  ctx: { machine: string; label: string; user: string; op: OpName },
): BmcError | undefined {
  const { machine, label } = ctx;
  const err = (reason: BmcErrorReason, detail: string) => new BmcError(reason, machine, label, detail);
  if (r.timedOut) {
    const s = r.timeoutMs ? ` after ${Math.round(r.timeoutMs / 100) / 10} s` : '';
    return err('timeout', `BMC not answering (timeout${s})`);
  }
  const stderr = r.stderr;
  if (privilegeRefused(stderr)) {
    return err('privilege', `insufficient privilege for ${ctx.op} (user ${ctx.user} needs OPERATOR or ADMINISTRATOR)`);
  }
  if (SESSION_RE.test(stderr)) {
    // Hints ipmitool prints with -v during session setup.
    if (/RAKP 2 HMAC is invalid/i.test(stderr)) return err('auth', `wrong BMC password for user ${ctx.user} (RAKP 2 HMAC is invalid)`);
    if (/unauthorized name/i.test(stderr)) return err('auth', `the BMC has no user '${ctx.user}' (RAKP 2: unauthorized name)`);
    if (/requested role not available|Requested privilege level/i.test(stderr)) {
      return err('privilege', `user ${ctx.user} may not open a session at this privilege level (RAKP: requested role not available)`);
    }
    if (/Get Auth Capabilities error|Get Channel Authentication Capabilities/i.test(stderr)) {
      return err('unreachable', 'BMC not answering (timeout: no reply to Get Channel Authentication Capabilities)');
    }
    return err('auth', 'wrong BMC user or password, or no BMC answering (Unable to establish IPMI v2 / RMCP+ session)');
  }
  if (/SOL payload already active on another session/i.test(stderr)) {
    return err('busy', SOL_BUSY);
  }
  if (/Unable to read password from environment/i.test(stderr)) return err('secret', 'ipmitool found no password in its environment');
  if (r.exitCode === 0) return undefined;
  const line = firstErrorLine(stderr);
  return err('failed', `${ctx.op} failed${line ? `: ${line}` : ` (ipmitool exit ${r.exitCode ?? 'unknown'})`}`);
}
