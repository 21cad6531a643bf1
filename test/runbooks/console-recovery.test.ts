/**
 * console-recovery against a real lab: the drill (eva panics; no BMC: console server and power strip), a downed
 * link fixed from the console (no power cycle), the refusal on a machine whose console and link are fine, and
 * the plan / Markdown checklist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const skip = cliSkipReason();
if (skip) console.log(`skipping console-recovery tests: ${skip}`);

describe.skipIf(skip)('console-recovery on the lab', () => {
  let lab: Lab;
  const drill = skip ? undefined! : loadDrill('console-recovery');
  const password = { extra: [] as string[] };
  beforeAll(async () => {
    lab = await startLab({ speed: 60 });
    // the lab's getty takes any root password; the runbook reads it from the environment, never argv
    lab.env.BAIE_ROOT_PASSWORD = 'not-a-real-password';
  });
  afterAll(async () => lab?.stop());

  it('refuses on a machine whose console answers and whose link is up, and logs out of the console', async () => {
    const r = await lab.run('console-recovery', { host: 'elsa' }, { confirm: ['elsa'], ...password });
    expect(r.status).toBe('failed');
    expect(r.steps.decide).toBe('failed');
    expect(r.reason).toMatch(/refusing: elsa answers on its console and its link is UP/);
    expect(r.steps.logout).toBe('ok');
    expect(r.steps['power-cycle']).toBeUndefined();
    expect(r.stdout).not.toContain('not-a-real-password');
    const [elsa] = await lab.probe(['elsa']);
    expect(elsa.reachable).toBe(true);
  });

  it('plan shows both branches and --markdown a checklist', async () => {
    const p = await lab.plan('console-recovery', drill.params);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/console eva: send "\\n", wait for panic \| login \| shell/);
    expect(p.stdout).toMatch(/ipmi <capture:cycle_on>: power cycle/);
    expect(p.stdout).toContain('DESTRUCTIVE');
    expect(p.stdout).not.toContain('not-a-real-password');
    const md = await lab.plan('console-recovery', drill.params, ['--markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^## \d+\. Power cycle eva \(the console showed a kernel panic\) ⚠ destructive$/m);
  });

  it('the drill: eva panics; it is power cycled through the strip and answers SSH again', async () => {
    await injectFaults(lab, drill);
    const [dead] = await lab.probe(['eva']);
    expect(dead.reachable).toBe(false);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.matched).toBe('panic'); // what the console showed before the cycle
    expect(r.values.cycle_on).toBe('eva');
    expect(r.values.fix_on).toBe('');
    expect(r.steps['power-cycle']).toBe('ok');
    expect(r.steps['fix-link']).toBe('skipped');
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
  }, 90_000);

  it('a downed link is fixed from the console, without a power cycle', async () => {
    await lab.fault('network-down', 'ella');
    const r = await lab.run('console-recovery', { host: 'ella' }, { confirm: ['ella'] });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.link).toBe('DOWN');
    expect(r.values.fix_on).toBe('ella');
    expect(r.steps['fix-link']).toBe('ok');
    expect(r.steps['power-cycle']).toBe('skipped');
    const [ella] = await lab.probe(['ella']);
    expect(ella.reachable).toBe(true);
    expect(ella.uptimeSec).toBeGreaterThan(3600); // not rebooted
  }, 90_000);

  it('without --confirm, the power cycle is refused when unattended', async () => {
    await lab.fault('host-crash', 'estelle').catch(async () => {
      // estelle is off in the default scenario: power it on first through the strip
      await lab.fault('host-crash', 'emma');
    });
    const host = (await lab.probe(['estelle']))[0].power === 'on' ? 'estelle' : 'emma';
    const r = await lab.run('console-recovery', { host }, {});
    expect(r.status).toBe('refused');
    expect(r.steps['power-cycle']).toBe('refused');
  }, 90_000);
});
