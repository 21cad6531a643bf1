import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsciicastRecorder, recordingFile } from '../../../src/app/recorder.js';
import { formatRecordings, listRecordings } from '../../../src/app/recordings.js';
import { run } from '../../../src/cli/cmd/recordings.js';
import type { CliContext } from '../../../src/cli/context.js';

let state: string;
let saved: string | undefined;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'baie-state-'));
  saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = state;
});
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = saved;
  rmSync(state, { recursive: true, force: true });
});

const recDir = () => join(state, 'baie', 'recordings');

/** A recording that started at `when` and whose last event is at `seconds` (written by hand after the header). */
function record(machine: string, kind: 'shell' | 'console', operator: string, when: Date, seconds: number): string {
  const file = recordingFile(machine, kind, when, recDir());
  const rec = new AsciicastRecorder(file, { cols: 80, rows: 24, title: `${kind} on ${machine}`, env: { TERM: 'xterm' }, machine, operator, kind, now: when });
  rec.close();
  appendFileSync(file, JSON.stringify([0.5, 'o', 'root@x:~# ']) + '\n' + JSON.stringify([seconds, 'o', 'logout\r\n']) + '\n');
  return file;
}

async function cli(flags: Record<string, boolean> = {}): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const ctx: CliContext = { flags, positionals: [], command: 'recordings', stdout: out as unknown as NodeJS.WriteStream, stderr: out as unknown as NodeJS.WriteStream };
  const code = await run(ctx);
  return { code, out: text };
}

describe('baie recordings', () => {
  it('says where recordings go when there are none', async () => {
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.out).toBe(`no recordings yet (shell and console sessions are recorded in ${recDir()})\n`);
    expect(JSON.parse((await cli({ json: true })).out)).toEqual([]);
  });

  it('lists date, machine, kind, operator, duration and path, newest last', async () => {
    const late = record('ella', 'shell', 'maelle', new Date(2025, 0, 31, 3, 15, 2), 754.25);
    const early = record('fey', 'console', 'yann', new Date(2025, 0, 30, 23, 59, 58), 42);
    const r = await cli();
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DATE\s+MACHINE\s+KIND\s+OPERATOR\s+DURATION\s+FILE$/);
    expect(lines[1]).toMatch(new RegExp(`^2025-01-30 23:59:58\\s+fey\\s+console\\s+yann\\s+42s\\s+${early}$`));
    expect(lines[2]).toMatch(new RegExp(`^2025-01-31 03:15:02\\s+ella\\s+shell\\s+maelle\\s+12m34s\\s+${late}$`));

    const json = JSON.parse((await cli({ json: true })).out);
    expect(json.map((x: { machine: string }) => x.machine)).toEqual(['fey', 'ella']);
    expect(json[1]).toMatchObject({ file: late, kind: 'shell', operator: 'maelle', durationSeconds: 754.25, startedAt: new Date(2025, 0, 31, 3, 15, 2).toISOString() });
  });

  it('survives a torn last line (crash) and a file that is not a recording', () => {
    const f = record('emma', 'shell', 'o', new Date(2025, 1, 1, 10, 0, 0), 9.5);
    appendFileSync(f, '[12.0, "o", "half a li');
    const day = join(recDir(), '2025-02-01');
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, '110000-elea-shell.cast'), 'garbage\n');
    const list = listRecordings(recDir());
    expect(list.map((x) => [x.machine, x.durationSeconds, x.problem])).toEqual([
      ['emma', 9.5, undefined],
      ['elea', 0, 'not an asciicast file (bad header line)'],
    ]);
    expect(formatRecordings(list)[2]).toContain('(not an asciicast file (bad header line))');
  });
});
