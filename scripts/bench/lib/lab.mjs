/** Start the built-in lab (`baie lab --dir D --quiet`) as a child and stop it again. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export async function startLab(root, { dir, speed } = {}) {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'baie-bench-lab-'));
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'lab', '--dir', d, '--quiet', ...(speed ? ['--speed', String(speed)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (x) => (err += x));
  await new Promise((ok, fail) => {
    let out = '';
    const t = setTimeout(() => (child.kill('SIGTERM'), fail(new Error(`lab did not start within 30 s: ${err.trim().split('\n')[0] ?? ''}`))), 30_000);
    child.stdout.on('data', (x) => {
      out += x;
      if (/^ready /m.test(out)) (clearTimeout(t), ok());
    });
    child.once('exit', (code) => (clearTimeout(t), fail(new Error(`lab exited at start (${code}): ${err.trim().split('\n').pop() ?? ''}`))));
  });
  child.stdout.resume();
  return {
    dir: d,
    inventory: join(d, 'inventory.yaml'),
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
      if (!dir) rmSync(d, { recursive: true, force: true });
    },
  };
}
