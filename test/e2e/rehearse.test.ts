/**
 * A drill in a real terminal: `baie rehearse` starts its lab in the default lab dir (XDG_STATE_HOME in a temp
 * dir), the clock runs in the header, the team (this test) opens ella and fixes postfix with the drill's runbook
 * started from the console's run views, the goal holds, the clock stops, the debrief opens and `--export` wrote
 * it as Markdown. The drill and its runbook come from a runbook directory set with `baie config set runbookDirs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux, tmuxSkipReason } from './tmux.js';
import { BAIE } from './lab.js';

const RB = join(import.meta.dirname, '..', 'rehearse', 'fixtures', 'runbooks');
const skip = tmuxSkipReason() ?? (existsSync(BAIE) ? undefined : `${BAIE} is missing: build first (npx tsc -p tsconfig.json)`);

describe.skipIf(!!skip)(`a drill in a real terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const root = mkdtempSync(join(tmpdir(), 'baie-drill-'));
  const env = { XDG_STATE_HOME: join(root, 'state'), BAIE_CONFIG_DIR: join(root, 'config'), NO_COLOR: '1' };
  const labDir = join(root, 'state', 'baie', 'lab');
  const exported = join(root, 'debrief.md');
  const baie = (...args: string[]) => execa('node', [BAIE, ...args], { env, reject: false, stdin: 'ignore', timeout: 60_000 });
  const tmux = new Tmux();
  let labPid = 0;
  const clockOf = (screen: string) => /\[DRILL (\d\d:\d\d:\d\d)( stopped)?\]/.exec(screen)?.[1];

  beforeAll(async () => {
    expect((await baie('config', 'set', 'refreshSeconds', '2')).exitCode).toBe(0);
    expect((await baie('config', 'set', 'runbookDirs', RB)).exitCode).toBe(0);
    await tmux.start(`node ${BAIE} rehearse service-down-ella --export ${exported}`, { ...env, TERM: 'xterm-256color' });
  }, 30_000);
  afterAll(async () => {
    await tmux.kill();
    // the lab child dies with the console; make sure nothing is left if the test failed midway
    try {
      const pid = Number(readFileSync(join(labDir, 'lab.pid'), 'utf8'));
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('opens the console with a running drill clock and names no fault', async () => {
    const s = await tmux.waitFor(/\[DRILL \d\d:\d\d:\d\d\]/, 30_000);
    expect(s).toContain('[LAB]');
    labPid = Number(readFileSync(join(labDir, 'lab.pid'), 'utf8'));
    expect(alive(labPid)).toBe(true);
    expect(s).toMatch(/drill started: find what broke/);
    const first = clockOf(s)!;
    await new Promise((r) => setTimeout(r, 2200));
    const later = clockOf(await tmux.screen())!;
    expect(later > first).toBe(true);
    expect(await tmux.screen()).not.toMatch(/postfix|service-down on|fault injected/);
  }, 45_000);

  it('refuses a second drill while this one\'s lab runs in the default dir', async () => {
    const r = await baie('rehearse', 'service-down-ella');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`baie: a lab already runs in ${labDir}: stop it first (a drill starts its own lab there)`);
  });

  it('the probes show ella broken; the team opens it', async () => {
    await tmux.waitFor(/✖ ella/, 20_000);
    await tmux.type(':ella');
    await tmux.waitFor(/machine\s+ella/);
    await tmux.keys('Enter');
    const s = await tmux.waitFor(/ella — web/);
    expect(s).toMatch(/postfix/);
  }, 30_000);

  it('fixing postfix stops the clock and opens the debrief with the recovery time', async () => {
    // the drill's runbook from the console: all runbooks, filter, parameters, plan, start
    await tmux.keys('4');
    await tmux.waitFor(/restart-service\s+15m/);
    await tmux.type('/restart');
    await tmux.keys('Enter', 'Enter');
    await tmux.waitFor(/fill the parameters/);
    await tmux.keys('Enter');
    await tmux.waitFor(/pick:/);
    await tmux.type('ella');
    await tmux.keys('Enter');
    await tmux.waitFor(/host\*\s+ella/);
    await tmux.type('postfix');
    await tmux.keys('Enter');
    await tmux.waitFor(/▶ \[ plan → \]/);
    await tmux.keys('Enter');
    await tmux.waitFor(/ella\$ systemctl start postfix/);
    await tmux.keys('y');
    const s = await tmux.waitFor(/Debrief: Mail stops on a web frontend/, 20_000);
    expect(s).toMatch(/baie │ debrief/);
    expect(s).toMatch(/Outcome\s+goal reached/);
    expect(s).toMatch(/Time to recover\s+\d+s against a budget of 15m00s \(within\)/);
    expect(s).toMatch(/Time to detect service-down on ella\s+\d+s \(probe showed it at \+00:00:\d\d, team opened it in the console at \+00:00:\d\d\)/);
    expect(s).toMatch(/Expected runbook\s+restart-service \(used\)/);
    expect(s).toMatch(/Runbooks run\s+restart-service done(?! \(mode)/);
    expect(s).toMatch(/Steps\s+2 ok/);
    const stopped = clockOf(s);
    await new Promise((r) => setTimeout(r, 1500));
    expect(clockOf(await tmux.screen())).toBe(stopped);
    // the timeline is further down
    await tmux.keys('G');
    const end = await tmux.waitFor(/goal holds: clock stopped/);
    expect(end).toMatch(/\[restart-service\] ✓ start ok/);
  }, 40_000);

  it('--export wrote the debrief as Markdown; q quits', async () => {
    const md = readFileSync(exported, 'utf8');
    expect(md).toMatch(/^# Drill debrief: Mail stops on a web frontend\n/);
    expect(md).toMatch(/- Outcome: \*\*goal reached\*\*/);
    expect(md).toMatch(/- Time to recover: \d+s against a budget of 15m00s \(within\)/);
    expect(md).toContain('### restart-service: done');
    expect(md).toMatch(/\+\d\d:\d\d:\d\d {2}fault injected: service-down on ella \(postfix\)/);
    // the surprise came 3 m of lab time later: 3 s at x60
    expect(md).toMatch(/\+00:00:(0[3-9]|1\d) {2}fault injected: service-down on emma \(dovecot\) \(surprise at 3m of lab time\)/);
    expect(md).toMatch(/- Time to detect service-down on emma: not detected: probes showed it at \+00:00:0\d, nobody acted on emma/);
    await tmux.keys('q');
    const end = Date.now() + 10_000;
    while ((await tmux.alive()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(await tmux.alive()).toBe(false);
  }, 20_000);

  it('quitting before the goal stops the lab and still writes the debrief, unfinished', async () => {
    // the first drill's lab goes away with its console
    const gone = Date.now() + 10_000;
    while (alive(labPid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(alive(labPid)).toBe(false);
    const unfinished = join(root, 'unfinished.md');
    const t2 = new Tmux();
    try {
      await t2.start(`node ${BAIE} rehearse service-down-ella --export ${unfinished}`, { ...env, TERM: 'xterm-256color' });
      await t2.waitFor(/\[DRILL \d\d:\d\d:\d\d\]/, 30_000);
      await t2.waitFor(/✖ ella/, 20_000);
      await t2.keys('q');
      const end = Date.now() + 10_000;
      while ((await t2.alive()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      expect(await t2.alive()).toBe(false);
    } finally {
      await t2.kill();
    }
    const md = readFileSync(unfinished, 'utf8');
    expect(md).toContain('- Outcome: **UNFINISHED: the drill ended before the goal held**');
    expect(md).toMatch(/- Time to recover: not reached after \d+s \(budget 15m00s\)/);
    expect(md).toContain('## Goal conditions not holding');
    expect(md).toMatch(/- ella\.services has no element \{"name":"postfix","state":"active"\}/);
  }, 45_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
