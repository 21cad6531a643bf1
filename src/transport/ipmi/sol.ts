/**
 * Serial-over-LAN through ipmitool, without a native pty module: `script -qfec "ipmitool … sol
 * activate" /dev/null` gives ipmitool a terminal. The password stays in the environment
 * (IPMITOOL_PASSWORD) or a mode-600 file (-f): the command line script gets holds neither.
 * close() types `~.` after a carriage return (ipmitool's escape only counts at a line start),
 * then runs `sol deactivate` so the BMC frees the payload for the next session.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { quote } from 'shell-quote';
import type { PtySession } from '../types.js';
import { ConsoleSession } from './consoleSession.js';
import type { CloseInfo } from './consoleSession.js';
import { BmcError, SOL_BUSY, classifyIpmitool } from './errors.js';
import type { IpmitoolInvocation } from './ipmitool.js';

export const SCRIPT_BIN = 'script';
const OPERATIONAL = /\[SOL Session operational\.[^\]\n]*\]\r?\n?/;
const BUSY = /SOL payload already active on another session/;
const TERMINATED = /(~\.\s*)?\[terminated ipmitool\]\r?\n?/g;
/** How long close() waits for ipmitool to leave after `~.` before killing it. */
const LEAVE_GRACE_MS = 2000;

export interface IpmitoolSolOptions {
  signal?: AbortSignal;
  /** Called by close() after ipmitool has left; should never reject. */
  deactivate?: () => Promise<unknown>;
}

/** The `script` command line for `inv` (exported for tests: it must not contain the password). */
export function solCommandLine(inv: IpmitoolInvocation): string[] {
  return ['-qfec', quote([inv.bin, ...inv.args, 'sol', 'activate']), '/dev/null'];
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  }
}

export function openIpmitoolSol(inv: IpmitoolInvocation, opts: IpmitoolSolOptions = {}): Promise<PtySession> {
  const { machine, label } = inv;
  return new Promise<PtySession>((resolve, reject) => {
    const child = spawn(SCRIPT_BIN, solCommandLine(inv), { env: inv.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const session = new ConsoleSession();
    const decoder = new StringDecoder('utf8');
    let pre = '';
    let up = false;
    let settled = false;
    let closing = false;
    let exitInfo: CloseInfo | undefined;

    const fail = (e: BmcError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      killGroup(child, 'SIGTERM');
      reject(e);
    };
    const timer = setTimeout(() => fail(new BmcError('timeout', machine, label, `SOL console did not come up (timeout after ${Math.round(inv.timeoutMs / 1000)} s)`)), inv.timeoutMs);
    const onAbort = () => fail(new BmcError('failed', machine, label, 'sol activate cancelled'));
    opts.signal?.addEventListener('abort', onAbort);

    const onText = (text: string) => {
      if (up) {
        session.emit(closing ? text.replace(TERMINATED, '') : text);
        return;
      }
      pre += text;
      if (BUSY.test(pre)) {
        fail(new BmcError('busy', machine, label, SOL_BUSY));
        return;
      }
      const m = OPERATIONAL.exec(pre);
      if (m) {
        up = true;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const rest = pre.slice(m.index + m[0].length);
        pre = '';
        session.emit(rest);
        resolve(session);
      }
    };
    child.stdout?.on('data', (d: Buffer) => onText(decoder.write(d)));
    child.stderr?.on('data', (d: Buffer) => onText(d.toString('utf8')));
    child.stdin?.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') fail(new BmcError('missing-tool', machine, label, `${SCRIPT_BIN} is not installed (it gives ipmitool a terminal for SOL; apt-get install bsdutils)`));
      else fail(new BmcError('failed', machine, label, `sol activate: ${e.message}`));
    });

    let leaveTimer: NodeJS.Timeout | undefined;
    child.on('close', (code, signal) => {
      clearTimeout(leaveTimer);
      onText(decoder.end());
      exitInfo = typeof code === 'number' ? { code } : { code: null, signal: signal?.replace(/^SIG/, '') };
      if (!settled) {
        const err =
          classifyIpmitool({ exitCode: code ?? undefined, stderr: pre }, { machine, label, user: inv.user, op: 'sol activate' }) ??
          new BmcError('failed', machine, label, `sol activate ended before the console came up${pre.trim() ? `: ${pre.trim().split(/\r?\n/)[0]}` : ''}`);
        fail(err);
        return;
      }
      if (!up) return;
      if (closing && opts.deactivate) {
        void opts.deactivate().finally(() => session.end(exitInfo!));
      } else {
        session.end(exitInfo);
      }
    });

    session.io = {
      write: (data) => {
        if (child.stdin && !child.stdin.destroyed) child.stdin.write(data);
      },
      close: () => {
        closing = true;
        if (child.stdin && !child.stdin.destroyed) child.stdin.write('\r~.');
        leaveTimer = setTimeout(() => {
          killGroup(child, 'SIGTERM');
          leaveTimer = setTimeout(() => killGroup(child, 'SIGKILL'), 1000);
        }, LEAVE_GRACE_MS);
      },
    };
  });
}
