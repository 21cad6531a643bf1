import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { findDrill, listDrills, loadDrillFile, parseDrill, shippedDrillsDir } from '../../src/app/drill.js';
import { formatProblems } from '../../src/inventory/problems.js';

const FIX = join(import.meta.dirname, 'fixtures', 'runbooks', 'drills');

describe('drill loader', () => {
  it('loads a good drill with durations turned into milliseconds', async () => {
    const l = await loadDrillFile(join(FIX, 'service-down-ella.yaml'));
    expect(formatProblems(l.problems)).toBe('');
    const d = l.drill!;
    expect(d.drill).toBe('service-down-ella');
    expect(d.runbook).toBe('restart-service');
    expect(d.budgetMs).toBe(15 * 60_000);
    expect(d.speed).toBe(60);
    expect(d.faults).toEqual([
      { fault: 'service-down', machine: 'ella', arg: 'postfix', atMs: 0 },
      { fault: 'service-down', machine: 'emma', arg: 'dovecot', atMs: 180_000, at: '3m' },
    ]);
    expect(d.goal[0]).toEqual({ machine: 'ella', field: 'services', contains: { name: 'postfix', state: 'active' } });
    expect(d.params).toEqual({ host: 'ella', service: 'postfix' });
  });

  it('turns surprise times into lab milliseconds and keeps what was written', () => {
    const l = parseDrill(
      ['drill: two', 'title: T', 'runbook: rb', 'faults:', '  - {fault: disk-fail, machine: fey, arg: sdb}', '  - {fault: service-down, machine: ella, arg: postfix, at: 10m}', 'goal:', '  - {machine: fey, field: health, equals: ok}', ''].join('\n'),
      'two.yaml',
    );
    expect(l.problems).toEqual([]);
    expect(l.drill!.faults[1]).toMatchObject({ atMs: 600_000, at: '10m' });
    expect(l.drill!.params).toEqual({});
    expect(l.drill!.confirm).toEqual([]);
  });

  it('names file, line and column of each mistake', () => {
    const src = [
      'drill: Bad Name', // 1
      'title: A broken drill', // 2
      'runbook: rb', // 3
      'budget: soon', // 4
      'faults:', // 5
      '  - {fault: disk-fail, machine: fey, at: later}', // 6
      'goal:', // 7
      '  - {machine: fey, field: health}', // 8
      '  - {machine: fey, field: arrays, none: {degraded: true}, count: 2}', // 9
      '  - {machine: fey, field: arrays, some: 1}', // 10
      '',
    ].join('\n');
    const schema = parseDrill(src, 'bad.yaml');
    expect(schema.drill).toBeUndefined();
    const lines = formatProblems(schema.problems).split('\n');
    // schema problems come first (the bad name, the unknown key); the rest appear once they are fixed
    expect(lines).toContain("bad.yaml:1:8: drill: expected a name of lowercase letters, digits, . _ -");
    expect(lines.find((l) => l.startsWith('bad.yaml:10:35:'))).toMatch(/unknown key 'some' in goal #3 .*one of: equals, contains, none, every, count/);

    const fixed = src.replace('Bad Name', 'bad').replace(', some: 1', ', count: 1');
    const sem = formatProblems(parseDrill(fixed, 'bad.yaml').problems).split('\n');
    expect(sem).toEqual([
      "bad.yaml:4:9: budget: 'soon' is not a duration (like 20m, 1h30m)",
      "bad.yaml:6:42: fault #1 at: 'later' is not a duration of lab time (like 90s, 10m)",
      'bad.yaml:8:5: goal #1 (fey.health): needs one matcher: equals, contains, none, every, count',
      'bad.yaml:9:5: goal #2 (fey.arrays): has none and count; give exactly one matcher',
    ]);
  });

  it('reports YAML errors, missing keys and duplicate keys with positions', () => {
    expect(formatProblems(parseDrill('drill: x\ntitle: [unclosed\n', 'y.yaml').problems)).toMatch(/^y\.yaml:\d+:\d+: YAML: /);
    const missing = formatProblems(parseDrill('drill: x\ntitle: t\nfaults: []\ngoal:\n  - {machine: a, field: b, equals: 1}\n', 'm.yaml').problems);
    expect(missing).toContain('m.yaml:1:1: the drill: missing runbook (expected text)');
    expect(missing).toContain('m.yaml:3:9: faults: a drill needs at least one fault');
    const dup = formatProblems(parseDrill('drill: x\ndrill: y\ntitle: t\nrunbook: r\nfaults: [{fault: f, machine: m}]\ngoal: [{machine: m, field: health, equals: ok}]\n', 'd.yaml').problems);
    expect(dup).toBe("d.yaml:2:1: duplicate key 'drill' (first at line 1)");
  });

  it('refuses a drill whose faults all come later', () => {
    const l = parseDrill('drill: x\ntitle: t\nrunbook: r\nfaults:\n  - {fault: f, machine: m, at: 5m}\ngoal: [{machine: m, field: health, equals: ok}]\n', 'late.yaml');
    expect(formatProblems(l.problems)).toBe('late.yaml:5:3: faults: at least one fault must start the drill (no at:)');
  });

  it('a missing file is a problem, not an exception', async () => {
    const l = await loadDrillFile(join(FIX, 'nope.yaml'));
    expect(formatProblems(l.problems)).toBe(`${join(FIX, 'nope.yaml')}:1:1: cannot read: ENOENT`);
  });

  it('finds drills by name or file name, and the shipped ones all load', async () => {
    expect((await findDrill('service-down-ella', [FIX]))?.drill?.title).toBe('Mail stops on a web frontend');
    expect((await findDrill(join(FIX, 'service-down-ella.yaml'), []))?.drill?.drill).toBe('service-down-ella');
    expect(await findDrill('no-such-drill', [FIX])).toBeUndefined();
    const shipped = await listDrills([shippedDrillsDir()]);
    for (const d of shipped) expect(formatProblems(d.problems), d.file).toBe('');
  });
});
