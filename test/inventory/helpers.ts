import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliContext } from '../../src/cli/context.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A copy of fixtures/ in a temp dir (git does not keep file modes), with cleanup. */
export function fixtureCopy(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'baie-inv-'));
  cpSync(FIXTURES, dir, { recursive: true });
  chmodSync(join(dir, 'broken', 'bmc-password'), 0o644);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fakeCli(command: string, flags: CliContext['flags'] = {}, positionals: string[] = []) {
  const out = { stdout: '', stderr: '' };
  const sink = (k: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _enc, cb) {
        out[k] += String(chunk);
        cb();
      },
    }) as unknown as NodeJS.WriteStream;
  const ctx: CliContext = { command, flags, positionals, stdout: sink('stdout'), stderr: sink('stderr') };
  return { ctx, out };
}
