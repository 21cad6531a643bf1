/** Start the built CLI's lab in a temp dir for end-to-end tests, and stop it. */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BAIE = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

export interface TestLab {
  dir: string;
  inventory: string;
  env: Record<string, string>;
  baie(...args: string[]): Promise<{ exitCode?: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startTestLab(speed = 60): Promise<TestLab> {
  const root = mkdtempSync(join(tmpdir(), 'baie-e2e-'));
  const dir = join(root, 'lab');
  const env = { XDG_STATE_HOME: join(root, 'state'), BAIE_CONFIG_DIR: join(root, 'config'), NO_COLOR: '1' };
  const child: ResultPromise = execa('node', [BAIE, 'lab', '--dir', dir, '--quiet', '--speed', String(speed)], { env, reject: false });
  await new Promise<void>((ok, fail) => {
    const t = setTimeout(() => fail(new Error('lab did not start in 30 s')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready ')) {
        clearTimeout(t);
        ok();
      }
    });
    void child.then((r) => fail(new Error(`lab exited: ${r.stderr}`)));
  });
  return {
    dir,
    inventory: join(dir, 'inventory.yaml'),
    env,
    baie: (...args) => execa('node', [BAIE, ...args], { env, reject: false }),
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}
