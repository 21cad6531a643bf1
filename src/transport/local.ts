/**
 * LocalTransport: commands on the operator's own machine through execa (runbook `script` steps,
 * ipmitool), with the same ExecResult as SSH: streamed and bounded output, stdin, timeout and
 * AbortSignal that stop the whole process group (TERM, then KILL after a grace period).
 * `exec` runs a shell command line; `run` runs a program with an argument list (no shell, no quoting).
 * Secrets go through `env` (e.g. IPMI_PASSWORD for `ipmitool -E`), never through argv.
 * `pty` is not supported locally: output always comes back as separate stdout/stderr pipes.
 */
import { execa } from 'execa';
import { OutputTail } from './outputTail.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';

export interface LocalExecOptions extends ExecOptions {
  cwd?: string;
  /** Added to (and overriding) the inherited environment. */
  env?: Record<string, string | undefined>;
}

export interface LocalTransportDefaults {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Shell for `exec`; default /bin/sh. */
  shell?: string;
}

/** Between TERM and KILL when a command is cancelled. */
export const LOCAL_CANCEL_GRACE_MS = 1500;

export class LocalTransport implements Transport {
  constructor(private readonly defaults: LocalTransportDefaults = {}) {}

  /** Runs a shell command line with /bin/sh -c (or the configured shell). */
  exec(command: string, opts: LocalExecOptions = {}): Promise<ExecResult> {
    return this.spawn(this.defaults.shell ?? '/bin/sh', ['-c', command], opts);
  }

  /** Runs `file` with `args` directly (no shell). A missing program gives code 127, like a shell. */
  run(file: string, args: string[], opts: LocalExecOptions = {}): Promise<ExecResult> {
    return this.spawn(file, args, opts);
  }

  private async spawn(file: string, args: string[], opts: LocalExecOptions): Promise<ExecResult> {
    const started = Date.now();
    const out = new OutputTail(opts.maxOutputBytes);
    const err = new OutputTail(opts.maxOutputBytes);
    if (opts.signal?.aborted) return { code: null, stdout: '', stderr: '', durationMs: 0, aborted: true };

    const child = execa(file, args, {
      cwd: opts.cwd ?? this.defaults.cwd,
      env: { ...this.defaults.env, ...opts.env },
      extendEnv: true,
      reject: false,
      buffer: false,
      stripFinalNewline: false,
      // Own process group, so a cancel reaches the command's children too.
      detached: true,
      stdin: opts.stdin === undefined ? 'ignore' : 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      forceKillAfterDelay: false,
    });

    child.stdout?.on('data', (d: Buffer) => {
      const s = out.push(d);
      if (s) opts.onStdout?.(s);
    });
    child.stderr?.on('data', (d: Buffer) => {
      const s = err.push(d);
      if (s) opts.onStderr?.(s);
    });
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(opts.stdin);
    }

    let cancelled: 'timeout' | 'abort' | undefined;
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          /* gone */
        }
      }
    };
    const cancel = (why: 'timeout' | 'abort'): void => {
      if (cancelled) return;
      cancelled = why;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), LOCAL_CANCEL_GRACE_MS));
    };
    const onAbort = (): void => cancel('abort');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== undefined) timers.push(setTimeout(() => cancel('timeout'), opts.timeoutMs));

    const res = await child;
    for (const t of timers) clearTimeout(t);
    opts.signal?.removeEventListener('abort', onAbort);
    const tailOut = out.end();
    const tailErr = err.end();
    if (tailOut) opts.onStdout?.(tailOut);
    if (tailErr) opts.onStderr?.(tailErr);

    const r: ExecResult = { code: null, stdout: out.text(), stderr: err.text(), durationMs: Date.now() - started };
    const spawnErr = (res as { code?: string }).code;
    if (res.exitCode === undefined && res.signal === undefined && (spawnErr === 'ENOENT' || spawnErr === 'EACCES')) {
      r.code = spawnErr === 'ENOENT' ? 127 : 126;
      r.stderr += `${file}: ${spawnErr === 'ENOENT' ? 'command not found' : 'permission denied'}\n`;
    } else if (typeof res.exitCode === 'number') r.code = res.exitCode;
    if (res.signal) r.signal = res.signal.replace(/^SIG/, '');
    if (cancelled === 'timeout') r.timedOut = true;
    if (cancelled === 'abort') r.aborted = true;
    if (out.truncated || err.truncated) r.truncated = true;
    return r;
  }
}
