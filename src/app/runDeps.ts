/** The executor's view of the world, backed by a Reach (SSH pool, BMCs, consoles) and execa. */
import { execa } from 'execa';
import type { RunDeps } from '../runbook/runtime.js';
import type { Reach } from './reach.js';
import { fingerprint, presentedKey, trustKey, userKnownHosts } from './hostKeys.js';
import { keyTypeOfBlob } from '../transport/ssh/knownHosts.js';

export function runDeps(reach: Reach, extra: Partial<RunDeps> = {}): RunDeps {
  return {
    exec: (t, cmd, opts) => reach.exec(t, cmd, opts),
    ipmi: async (t, op, signal) => {
      const [verb, arg, flag] = op.split(' ');
      const b = reach.bmc(t);
      if (verb === 'power') return { output: await reach.power(t, arg as 'status', signal) };
      if (!b) throw new Error(`${t}: no BMC in the inventory`);
      if (verb === 'bootdev') return { output: await b.bootdev(arg as 'pxe', { persistent: flag === 'persistent', signal }) };
      if (verb === 'sel') {
        if (arg === 'clear') return (await b.selClear(signal), { output: 'Clearing SEL' });
        return { output: (await b.sel(signal)).map((e) => `${e.id.toString(16).padStart(4)} | ${e.date} | ${e.time} | ${e.sensor} | ${e.event} | ${e.direction}`).join('\n') };
      }
      return { output: (await b.sensors(signal)).map((s) => `${s.name.padEnd(16)} | ${s.value ?? 'na'} | ${s.unit} | ${s.status}`).join('\n') };
    },
    console: (t) => reach.console(t),
    script: async (file, env, opts) => {
      const t0 = Date.now();
      const p = execa(process.execPath, [file], { env: { ...process.env, ...env }, reject: false, cancelSignal: opts?.signal, timeout: opts?.timeoutMs, stdin: 'ignore' });
      p.stdout?.on('data', (d: Buffer) => opts?.onStdout?.(d.toString()));
      p.stderr?.on('data', (d: Buffer) => opts?.onStderr?.(d.toString()));
      const r = await p;
      return { code: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), durationMs: Date.now() - t0, aborted: r.isCanceled, timedOut: r.timedOut };
    },
    hostKey: async (t) => {
      const ep = reach.machine(t)?.ssh;
      if (!ep) throw new Error(`${t}: no SSH endpoint in the inventory`);
      const key = await presentedKey(ep);
      return {
        fingerprint: `${keyTypeOfBlob(key) ?? 'key'} ${fingerprint(key)}`,
        trust: async () => {
          await trustKey([...ep.knownHosts, userKnownHosts()], ep.host, ep.port, key);
          await reach.pool.close(t);
        },
      };
    },
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise((ok, fail) => {
        const t = setTimeout(ok, ms);
        signal?.addEventListener('abort', () => (clearTimeout(t), fail(new Error('aborted'))), { once: true });
      }),
    ...extra,
  };
}
