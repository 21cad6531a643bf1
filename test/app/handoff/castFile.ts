/** Read an asciicast v2 file back (test helper) and print it with the real `asciinema cat`. */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { quote } from 'shell-quote';

export function readCast(file: string): { header: Record<string, any>; events: Array<[number, string, string]> } {
  const lines = readFileSync(file, 'utf8').split('\n');
  expect(lines.at(-1)).toBe(''); // every line ends with a newline
  const [head, ...rest] = lines.slice(0, -1);
  return { header: JSON.parse(head!), events: rest.map((l) => JSON.parse(l)) };
}

const has = (bin: string): boolean => {
  for (const d of (process.env.PATH ?? '').split(':')) {
    try {
      readFileSync(`${d}/${bin}`, { flag: 'r' });
      return true;
    } catch {
      /* next */
    }
  }
  return false;
};

/** Why `asciinema cat` cannot be run here, or undefined when it can. */
export const noAsciinema = !has('asciinema') ? 'asciinema is not installed' : !has('script') ? 'script (util-linux) is not installed' : undefined;

/** `asciinema cat FILE` needs a controlling terminal (it opens /dev/tty): give it one with script(1). */
export function asciinemaCat(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('script', ['-qfec', `asciinema cat ${quote([file])}`, '/dev/null'], { timeout: 20_000, env: { ...process.env, TERM: 'xterm' } }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, out: stdout + stderr });
    });
  });
}
