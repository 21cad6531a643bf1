/**
 * promote-mysql-replica on the real lab: mysql-primary-crash, an unattended promotion, the drill
 * goal over `baie probe --json`; refusal while the primary answers; the plan per flavor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSkipReason, evaluateGoal, goalMachines, injectFaults, loadDrill, startLab, stepReport, type Lab } from './helpers.js';

const drill = loadDrill('promote-mysql-replica');
const skip = cliSkipReason();

describe.skipIf(skip)('promote-mysql-replica on the lab', () => {
  let lab: Lab;
  beforeAll(async () => (lab = await startLab({ speed: drill.speed ?? 60 })), 40_000);
  afterAll(() => lab?.stop(), 20_000);

  it('plans the MariaDB and the MySQL 8.4 statements, and a Markdown checklist', async () => {
    const r = await lab.plan(drill.runbook, drill.params);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('elma$ ! mysqladmin --host=elea --connect-timeout=5 ping');
    expect(r.stdout).toMatch(/elma\$ mysql -N -e "SELECT MASTER_GTID_WAIT\('"\S*gtid_io_pos\S*"', 60\)" \| grep -x 0/);
    expect(r.stdout).toContain("elma$ mysql -e 'STOP SLAVE; RESET SLAVE ALL'");
    expect(r.stdout).toContain("elma$ mysql -e 'STOP REPLICA; RESET REPLICA ALL'");
    expect(r.stdout).toContain('when   elma$ test mariadb = mysql');
    expect(r.stdout).toContain('elma$ ip addr add 192.0.2.30/32 dev eno1');
    expect(r.stdout).toContain("CHANGE MASTER TO MASTER_HOST='elma'");
    expect(r.stdout).toContain('CHANGE REPLICATION SOURCE TO');
    const my = await lab.plan(drill.runbook, { ...drill.params, flavor: 'mysql' });
    expect(my.stdout).toContain('when   elma$ test mysql = mysql');
    const bad = await lab.plan(drill.runbook, { ...drill.params, flavor: 'postgres' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'postgres' is not one of: mariadb, mysql");
    const md = await lab.plan(drill.runbook, drill.params, ['--markdown']);
    expect(md.stdout).toMatch(/^## 7\. Stop and forget replication on elma \(MariaDB\) ⚠ destructive/m);
  }, 30_000);

  it('refuses while mysqld on the primary answers', async () => {
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/refusing: mysqld on elea answers, it is not dead, do not promote/);
    const [elma] = await lab.probe(['elma']);
    expect(elma.readOnly).toBe(true);
    expect(elma.replication).not.toBeNull();
  }, 60_000);

  it('after mysql-primary-crash, an unattended run promotes elma (drill goal)', async () => {
    await injectFaults(lab, drill);
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill))).length).toBeGreaterThan(0);
    const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
    expect(r.status, stepReport(r)).toBe('done');
    expect(r.values.gtid_io_pos).toMatch(/^0-1-\d+$/);
    expect(r.steps['stop-replication-mysql']).toBe('skipped');
    expect(r.steps['stop-replication-mariadb']).toBe('ok');
    expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
    const w = await lab.ssh('emma', "mysql -h 192.0.2.30 -N -e 'SELECT @@hostname, @@global.read_only'");
    if (w.code !== 255) expect(w.stdout.trim()).toBe('elma\t0');
  }, 120_000);
});
