import { expect, it } from 'vitest';
import { COMMANDS } from '../../../src/lab/commands/index.js';
import type { LabCommand } from '../../../src/lab/shell/types.js';
import { LabClock } from '../../../src/lab/clock.js';
import { LAB_NOW, makeMachine, makeWorld, sh } from './factory.js';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'echo', 'cat', 'grep', '-c', '-E', 'x', '/etc/hosts', '/tmp/f', '|', '||', '&&', ';', '&', '!', '>', '>>', '2>&1', '<',
  '$(', ')', '(', '`', "'", '"', '\\', '$', '${', '}', '${}', '$?', '#', '*', '~', '\n', ' ', '2', '>&', '&>', '<<<',
  '<<', 'test', '[', ']', '-f', 'sleep', '0', 'printf', '%d', '%', 'head', '-n', 'wc', 'rm', '-rf', 'reboot', 'for', 'done',
];

it('never throws and never runs an injected command, whatever the input', async () => {
  const rand = rng(42);
  const calls: string[][] = [];
  const spy: LabCommand = (ctx) => {
    calls.push(ctx.argv);
    return 0;
  };
  const m = makeMachine();
  const world = makeWorld(m, new LabClock(1e6, LAB_NOW)); // `sleep 2` must not take 2 s
  for (let i = 0; i < 1500; i++) {
    const n = 1 + Math.floor(rand() * 12);
    let line = '';
    for (let k = 0; k < n; k++) line += PIECES[Math.floor(rand() * PIECES.length)] + (rand() < 0.6 ? ' ' : '');
    const r = await sh(line, { machine: m, world, commands: { ...COMMANDS, reboot: spy } });
    expect(Number.isInteger(r.status), line).toBe(true);
    expect(r.err, line).not.toMatch(/\n\s+at /); // no stack trace
    // Only a line with a bare, unquoted reboot word may call it.
    if (calls.splice(0).length) expect(line, line).toMatch(/(^|[;&|!\n]\s*)reboot\b/m);
  }
});

it('quoted or substituted text reaching reboot is never a call', async () => {
  const calls: string[][] = [];
  const spy: LabCommand = (ctx) => {
    calls.push(ctx.argv);
    return 0;
  };
  const lines = ['echo "`echo " ; reboot ; "`"', 'echo `x; reboot `', 'echo `x\nreboot\n`', "echo 'a; reboot", 'echo "a; reboot', 'echo $(a\nreboot)', 'echo $(reboot', 'echo "$(echo ")"; reboot)"', 'echo "$(reboot)"', 'echo `reboot`', "echo ';reboot'", 'echo "a;reboot"', 'echo a\\;reboot', 'echo $(echo; reboot)', 'echo <(reboot)', 'X=\'$(reboot)\' ; echo $X'];
  for (const l of lines) await sh(l, { commands: { ...COMMANDS, reboot: spy } });
  expect(calls).toEqual([]);
});

it('substitutions come through exactly as typed', async () => {
  expect((await sh('echo a$(x  y)b "$(date +%s; reboot)" `id  -u` <(ls) $((1+2))')).out).toBe('a$(x  y)b $(date +%s; reboot) `id  -u` <(ls) $((1+2))\n');
  expect((await sh("echo \"it's $(echo 'q')\"")).out).toBe("it's $(echo 'q')\n");
});

it('an unterminated quote or substitution runs nothing', async () => {
  for (const [line, ch] of [["echo a; echo 'b", "'"], ['echo a; echo "b', '"'], ['echo a; echo $(b', ')'], ['echo a; echo `b', '`']]) {
    expect(await sh(line), line).toEqual({ status: 2, out: '', err: `bash: unexpected EOF while looking for matching \`${ch}'\n` });
  }
});

it('# starts a comment only at the start of a word', async () => {
  expect((await sh('echo a#b http://x/#top # a comment; echo hidden')).out).toBe('a#b http://x/#top\n');
  expect((await sh("echo '#quoted' \"#too\"")).out).toBe('#quoted #too\n');
});
