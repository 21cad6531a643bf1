/** Run a command with a wall-clock timer and a hard timeout (every bench step is bounded). */
import { spawn, spawnSync } from 'node:child_process';

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function timed(cmd, args, { env, cwd, timeoutMs = 180_000, input } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { env: env ? { ...process.env, ...env } : process.env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) p.stdin.end(input);
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, timeoutMs);
    p.on('error', (e) => {
      clearTimeout(t);
      resolve({ ms: performance.now() - t0, code: -1, stdout, stderr: String(e.message), timedOut });
    });
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ ms: performance.now() - t0, code, stdout, stderr, timedOut });
    });
  });
}
