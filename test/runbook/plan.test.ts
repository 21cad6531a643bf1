import { describe, expect, it } from 'vitest';
import { parse } from 'shell-quote';
import { parseRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { buildPlan } from '../../src/runbook/plan.js';
import { formatPlan, planMarkdown } from '../../src/runbook/planFormat.js';
import type { Fleet } from '../../src/model/fleet.js';

const fleet: Fleet = {
  sites: [{ name: 'paris' }], racks: [{ name: 'A', site: 'paris', height: 42 }], vms: [],
  machines: ['fey', 'ella'].map((name, i) => ({ name, site: 'paris', rack: 'A', u: i + 1, height: 1, roles: name === 'fey' ? ['nfs'] : ['web'], disks: [], services: [] })),
};

const RB = `runbook: swap
title: Swap a disk
budget: 30m
params:
  host: {type: host, role: nfs}
  disk: {type: string}
steps:
  - id: check
    on: "{{host}}"
    run: cat /proc/mdstat; smartctl -H /dev/{{disk}}
    capture: {degraded: '\\[U_\\]'}
    expect: 1m
  - id: fail
    on: "{{host}}"
    destructive: true
    run: mdadm /dev/md0 --fail /dev/{{disk}}2
    verify: {post: "! grep -q {{disk}}2 /proc/mdstat"}
    rollback: mdadm /dev/md0 --add /dev/{{disk}}2
    expect: 1m
  - id: swap
    manual: Pull {{disk}} from {{host}}.
    ask: {serial: {pattern: '^[A-Z0-9-]{6,}$'}}
    expect: 40m
`;

function plan(params: Record<string, string>) {
  const r = parseRunbook(RB, 'swap.yaml');
  expect(r.problems).toEqual([]);
  const p = resolveParams(r.runbook!, params, fleet);
  return { p, plan: buildPlan(r.runbook!, p.values, p.secrets, fleet) };
}

describe('plan', () => {
  it('resolves every command per machine, with guards and the budget', () => {
    const { plan: pl } = plan({ host: 'fey', disk: 'sdb' });
    expect(pl.steps[1].commands[0]).toMatchObject({ target: 'fey', run: 'mdadm /dev/md0 --fail /dev/sdb2', post: '! grep -q sdb2 /proc/mdstat', rollback: 'mdadm /dev/md0 --add /dev/sdb2' });
    const text = formatPlan(pl);
    expect(text).toContain('DESTRUCTIVE: type the machine name');
    expect(text).toContain('Pull sdb from fey.');
    expect(text).toMatch(/expected 42m00s of a 30m00s budget — OVER BUDGET by 12m00s/);
  });

  it('keeps injection attempts as one literal argument', () => {
    for (const evil of [`x'; rm -rf / #`, '$(reboot)', '`reboot`', 'a b; c && d | e > f']) {
      const { plan: pl } = plan({ host: 'fey', disk: evil });
      const cmd = pl.steps[1].commands[0].run!;
      const words = parse(cmd) as unknown[];
      expect(words).toEqual(['mdadm', '/dev/md0', '--fail', `/dev/${evil}2`]);
    }
  });

  it('refuses bad parameters with reasons', () => {
    expect(plan({ host: 'ella', disk: 'sdb' }).p.problems).toEqual(["parameter 'host': ella does not have role 'nfs' (its roles: web)"]);
    expect(plan({ host: 'nope', disk: 'sdb' }).p.problems).toEqual(["parameter 'host': unknown machine 'nope'"]);
    expect(plan({ disk: 'sdb' }).p.problems[0]).toMatch(/^missing parameter 'host'/);
  });

  it('prints a paper checklist', () => {
    const md = planMarkdown(plan({ host: 'fey', disk: 'sdb' }).plan);
    expect(md).toContain('# Swap a disk');
    expect(md).toContain('## 3. swap');
    expect(md).toContain('- serial: ____');
    expect(md).toContain('fey$ mdadm /dev/md0 --fail /dev/sdb2');
    expect(md).toContain('To undo:');
  });
});
