/** `baie lab` as a child process: ready line, refuses a second lab on the same DIR, stops on SIGTERM. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';

const root = new URL('../../../', import.meta.url).pathname;
const hasSsh = await execa('ssh', ['-V'], { reject: false }).then((r) => r.exitCode === 0, () => false);
const hasScenario = existsSync(join(root, 'src/lab/scenario.ts'));

describe.skipIf(!hasSsh || !hasScenario)(`baie lab in the foreground (skipped: ${!hasSsh ? 'no ssh binary' : 'no scenario loader yet'})`, () => {
  let dir: string;
  let home: string;
  let child: ResultPromise | undefined;
  const env = () => ({ XDG_STATE_HOME: join(home, 'state'), BAIE_CONFIG_DIR: join(home, 'config') });
  const baie = (args: string[]) => execa('node', [join(root, 'dist/cli/main.js'), ...args], { reject: false, env: env(), timeout: 20_000 });

  beforeAll(async () => {
    await execa('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, reject: false });
    home = mkdtempSync(join(tmpdir(), 'baie-lab-cli-'));
    dir = join(home, 'lab');
  }, 120_000);
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('serves, refuses a second lab, and stops cleanly on SIGTERM', async () => {
    const c = execa('node', [join(root, 'dist/cli/main.js'), 'lab', '--dir', dir, '--quiet', '--speed', '60'], { env: env(), reject: false });
    child = c;
    const ready = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 30_000);
      c.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          clearTimeout(t);
          resolve(out);
        }
      });
      void c.then((r) => reject(new Error(`baie lab exited ${r.exitCode}: ${r.stderr}`)));
    });
    expect(ready).toBe(`ready ${dir}\n`);
    expect(existsSync(join(dir, 'control.sock'))).toBe(true);
    expect(readFileSync(join(dir, 'lab.pid'), 'utf8').trim()).toBe(String(c.pid));

    const r = await execa('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', 'ella', 'hostname'], { reject: false, stdin: 'ignore', timeout: 20_000 });
    expect(r.stdout).toBe('ella');

    const second = await baie(['lab', '--dir', dir, '--quiet']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toBe(`baie: a lab is already running in ${dir} (pid ${c.pid})`);

    const list = await baie(['lab', 'fault', '--list', '--dir', dir]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^disk-fail /m);

    c.kill('SIGTERM');
    const end = await c;
    expect(end.exitCode).toBe(0);
    expect(existsSync(join(dir, 'control.sock'))).toBe(false);
    expect(existsSync(join(dir, 'lab.pid'))).toBe(false);

    const none = await baie(['lab', 'fault', 'disk-fail', 'ella', '--dir', dir]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toBe(`baie: no lab running in ${dir} (start one with baie lab)`);
  }, 90_000);
});
