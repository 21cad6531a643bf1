/** openSession against the real lab: a simulated machine over real SSH on 127.0.0.1. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLabReach } from '../../helpers/labReach.js';
import { openSession } from '../../../src/app/handoff.js';
import { listRecordings } from '../../../src/app/recordings.js';
import { FakeStdin, FakeStdout, waitFor } from './streams.js';
import { readCast } from './castFile.js';

describe('openSession on the lab', () => {
  const h = useLabReach('baie-handoff-lab-');

  it('types hostname into a shell on ella, sees ella, leaves with ~., and the session is recorded', async () => {
    const stdin = new FakeStdin(false);
    const stdout = new FakeStdout();
    const rdir = join(h.dir, 'recordings');
    const events: string[] = [];
    const p = openSession(h.reach, 'ella', 'shell', { stdin, stdout, onSuspend: () => void events.push('suspend'), onResume: () => void events.push('resume'), recordingsDir: rdir, operator: 'maelle' });
    await waitFor(() => /[#$] $/.test(stdout.text), 'the shell prompt', 15_000);
    await stdin.type('hostname\r');
    await waitFor(() => /hostname\r?\n(\x1b\[[0-9;]*m)*ella\r?\n/.test(stdout.text), 'ella in the output', 10_000);
    await stdin.type('~.');
    const notice = await p;
    expect(events).toEqual(['suspend', 'resume']);
    const [rec] = listRecordings(rdir);
    expect(notice).toBe(`left the shell on ella, recorded in ${rec!.file}`);
    expect(rec).toMatchObject({ machine: 'ella', kind: 'shell', operator: 'maelle' });
    const cast = readCast(rec!.file);
    expect(cast.events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toMatch(/\bella\r?\n/);
    expect(cast.events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe('hostname\r');
  });

  it('opens ella\'s serial console (SOL), masks the password typed at the login prompt, leaves with ~.', async () => {
    const stdin = new FakeStdin(false);
    const stdout = new FakeStdout();
    const rdir = join(h.dir, 'recordings-console');
    const p = openSession(h.reach, 'ella', 'console', { stdin, stdout, onSuspend() {}, onResume() {}, recordingsDir: rdir, operator: 'maelle' });
    await waitFor(() => stdout.text.includes('baie: console on ella'), 'the banner', 15_000);
    await stdin.type('\r');
    await waitFor(() => /ella login: $/.test(stdout.text), 'the login prompt', 10_000);
    await stdin.type('root\r');
    await waitFor(() => /Password: $/.test(stdout.text), 'the password prompt', 10_000);
    await stdin.type('not-the-password\r');
    await stdin.type('~.');
    const notice = await p;
    const [rec] = listRecordings(rdir);
    expect(notice).toBe(`left the console on ella, recorded in ${rec!.file}`);
    expect(rec).toMatchObject({ machine: 'ella', kind: 'console' });
    const inputs = readCast(rec!.file).events.filter((e) => e[1] === 'i').map((e) => e[2]).join('');
    expect(inputs).toBe('\rroot\r****************\r');
  });
});
