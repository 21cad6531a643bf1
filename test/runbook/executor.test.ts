import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMachine, makeWorld } from '../lab/shell/factory.js';
import { runCommandLine } from '../../src/lab/shell/interpreter.js';
import type { LabWorld } from '../../src/lab/world.js';
import { parseRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { startRun } from '../../src/runbook/session.js';
import { readJournal } from '../../src/runbook/journal.js';
import { postMortem } from '../../src/runbook/timeline.js';
import type { Prompter, RunDeps } from '../../src/runbook/runtime.js';
import type { RunEvent } from '../../src/runbook/events.js';
import type { Fleet } from '../../src/model/fleet.js';

const fleet: Fleet = { sites: [{ name: 'lyon' }], racks: [{ name: 'r1', site: 'lyon', height: 42 }], vms: [], machines: [{ name: 'emma', site: 'lyon', rack: 'r1', u: 1, height: 1, roles: ['web'], disks: [], services: [] }] };

function labDeps(world: LabWorld, log: string[] = []): RunDeps {
  return {
    async exec(target, command, opts) {
      log.push(command);
      let stdout = '';
      let stderr = '';
      const t0 = Date.now();
      const code = await runCommandLine(command, { machine: world.machine(target)!, world, out: (s) => (stdout += s, opts?.onStdout?.(s)), err: (s) => (stderr += s, opts?.onStderr?.(s)), signal: opts?.signal });
      return { code, stdout, stderr, durationMs: Date.now() - t0 };
    },
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
  };
}

function prompter(p: Partial<Prompter> = {}): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    confirm: async (_s, t) => (asked.push(`confirm:${t}`), { typed: t }),
    manual: async (s) => (asked.push(`manual:${s.id}`), { answers: { serial: 'WD-NEW12345' }, checked: s.checklist ?? [] }),
    failure: async (s) => (asked.push(`failure:${s.id}`), 'abort'),
    inDoubt: async (s) => (asked.push(`doubt:${s.id}`), 'skip'),
    takeover: async (t) => (asked.push(`takeover:${t}`), false),
    ...p,
  };
}

async function run(yaml: string, params: Record<string, string>, opts: { world?: LabWorld; p?: Prompter; readOnly?: boolean; dir?: string; resumeFile?: string; log?: string[]; env?: NodeJS.ProcessEnv; operator?: string } = {}) {
  const world = opts.world ?? makeWorld(makeMachine());
  const loaded = parseRunbook(yaml, '/tmp/rb.yaml');
  expect(loaded.problems).toEqual([]);
  const resolved = resolveParams(loaded.runbook!, params, fleet, opts.env ?? {});
  expect(resolved.problems).toEqual([]);
  const events: RunEvent[] = [];
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'baie-runs-'));
  const h = startRun({ loaded, params: resolved, fleet, deps: labDeps(world, opts.log), prompter: opts.p ?? prompter(), journalDir: dir, operator: opts.operator ?? 'alice', readOnly: opts.readOnly, onEvent: (e) => events.push(e), resumeFile: opts.resumeFile });
  const status = await h.status;
  return { status, events, file: h.file, dir, world, journal: readJournal(h.file) };
}

const ALL_KINDS = `runbook: all-kinds
title: Every kind
params:
  host: {type: host}
  word: {type: string}
steps:
  - id: look
    on: "{{host}}"
    run: echo state=degraded; hostname
    capture: {state: 'state=(\\w+)'}
  - id: only-if-degraded
    on: "{{host}}"
    when: test {{state}} = degraded
    run: echo {{word}} > /tmp/said
    verify: {post: "grep -q . /tmp/said"}
  - id: never
    on: "{{host}}"
    when: test {{state}} = clean
    run: echo nope > /tmp/never
  - id: local-no
    if: "{{state}} == clean"
    on: "{{host}}"
    run: echo nope > /tmp/local
  - id: local-yes
    if: "{{state}} != clean"
    on: "{{host}}"
    run: echo yes > /tmp/local
  - id: hands
    manual: Swap the disk on {{host}}.
    checklist: [LED blinks, disk out]
    ask: {serial: {pattern: '^[A-Z0-9-]{6,}$'}}
  - id: wait-file
    on: "{{host}}"
    wait: {until: "test -f /tmp/said", every: 1s, timeout: 10s}
`;

describe('executor on a lab machine', () => {
  it('runs a runbook of run, when, manual and wait steps to the end and journals it', async () => {
    const r = await run(ALL_KINDS, { host: 'emma', word: "x'; rm -rf / #" });
    expect(r.status).toBe('done');
    expect(r.world.machine('emma')!.files['/tmp/said']).toBe("x'; rm -rf / #\n");
    expect(r.world.machine('emma')!.files['/tmp/never']).toBeUndefined();
    const done = r.journal.events.filter((e) => e.t === 'step-done').map((e) => e.t === 'step-done' && `${e.step}:${e.status}`);
    expect(done).toEqual(['look:ok', 'only-if-degraded:ok', 'never:skipped', 'local-no:skipped', 'local-yes:ok', 'hands:ok', 'wait-file:ok']);
    expect(r.world.machine('emma')!.files['/tmp/local']).toBe('yes\n');
    expect(r.journal.events).toContainEqual(expect.objectContaining({ t: 'capture', name: 'state', value: 'degraded' }));
    expect(r.journal.events).toContainEqual(expect.objectContaining({ t: 'answer', name: 'serial', value: 'WD-NEW12345' }));
    expect(r.journal.events.at(-1)).toMatchObject({ t: 'run-end', status: 'done' });
    expect(readdirSync(r.file.replace('.jsonl', '.out'))).toContain('look.emma.log');
    expect(r.journal.torn).toBe(false);
    // the post-mortem: every step with its status and what it was expected to take
    const md = postMortem(r.journal.events, { hands: 15 * 60_000 });
    expect(md).toContain('- Outcome: **done**');
    expect(md).toMatch(/\| hands \| ok \| [\d:]+ \| \d+s \| 15m00s \|/);
    expect(md).toMatch(/\| never \| skipped \|/);
    expect(md).toContain("answer serial = WD-NEW12345");
  });

  const DESTRUCTIVE = `runbook: wipe
title: Wipe
params: {host: {type: host}}
steps:
  - id: wipe
    on: "{{host}}"
    destructive: true
    run: echo wiped > /tmp/wiped
`;
  it('refuses a wrong typed name three times and journals each refusal', async () => {
    const p = prompter({ confirm: async () => ({ typed: 'ella' }) });
    const r = await run(DESTRUCTIVE, { host: 'emma' }, { p });
    expect(r.status).toBe('refused');
    expect(r.world.machine('emma')!.files['/tmp/wiped']).toBeUndefined();
    const refusals = r.journal.events.filter((e) => e.t === 'confirm' && !e.ok);
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatchObject({ typed: 'ella', why: "typed 'ella', expected 'emma'", operator: 'alice' });
  });

  it('runs a destructive step after the right name is typed', async () => {
    const r = await run(DESTRUCTIVE, { host: 'emma' });
    expect(r.status).toBe('done');
    expect(r.journal.events).toContainEqual(expect.objectContaining({ t: 'confirm', typed: 'emma', ok: true }));
  });

  it('refuses every changing step in read-only mode', async () => {
    const r = await run(DESTRUCTIVE, { host: 'emma' }, { readOnly: true });
    expect(r.status).toBe('refused');
    expect(r.journal.events.at(-1)).toMatchObject({ t: 'run-end', reason: expect.stringContaining('read-only') });
  });

  it('rolls back completed steps newest first when asked', async () => {
    const yaml = `runbook: rb
title: RB
params: {host: {type: host}}
steps:
  - {id: one, on: "{{host}}", run: "echo 1 >> /tmp/log", rollback: "echo undo1 >> /tmp/log"}
  - {id: two, on: "{{host}}", run: "echo 2 >> /tmp/log", rollback: "echo undo2 >> /tmp/log"}
  - {id: three, on: "{{host}}", run: "false"}
`;
    const r = await run(yaml, { host: 'emma' }, { p: prompter({ failure: async () => 'rollback' }) });
    expect(r.status).toBe('rolled-back');
    expect(r.world.machine('emma')!.files['/tmp/log']).toBe('1\n2\nundo2\nundo1\n');
  });

  it('locks the machine: a second run is refused with who holds it, a takeover is journalled', async () => {
    const world = makeWorld(makeMachine());
    const hang = `runbook: hold
title: Hold
params: {host: {type: host}}
steps:
  - {id: a, on: "{{host}}", run: "true"}
  - {id: b, manual: "wait here"}
`;
    // first run stops at its manual step (abort) without releasing? It releases at the end: simulate a crashed holder instead
    const m = world.machine('emma')!;
    await runCommandLine("mkdir -p /run/lock/baie && echo 'operator=bob run=R1 runbook=disk-swap since=2026' > /run/lock/baie/owner", { machine: m, world, out: () => {}, err: () => {} });
    const refused = await run(hang, { host: 'emma' }, { world });
    expect(refused.status).toBe('refused');
    expect(refused.journal.events).toContainEqual(expect.objectContaining({ t: 'lock', action: 'refused', holder: 'operator=bob run=R1 runbook=disk-swap since=2026' }));
    const took = await run(hang, { host: 'emma' }, { world, p: prompter({ takeover: async () => true }) });
    expect(took.status).toBe('done');
    expect(took.journal.events).toContainEqual(expect.objectContaining({ t: 'lock', action: 'takeover' }));
    expect(m.files['/run/lock/baie/owner']).toBeUndefined();
  });

  it('on resume, re-runs an idempotent step in doubt, accepts one whose post-check passes, and asks for the rest', async () => {
    const yaml = `runbook: doubt
title: Doubt
params: {host: {type: host}}
steps:
  - {id: first, on: "{{host}}", run: "echo a >> /tmp/first"}
  - {id: idem, on: "{{host}}", idempotent: true, run: "echo b >> /tmp/idem"}
`;
    const world = makeWorld(makeMachine());
    const done = await run(yaml, { host: 'emma' }, { world });
    // cut the journal after `idem` started, as if killed there, and tear the last line
    const lines = readFileSync(done.file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.includes('"step-start"') && l.includes('"idem"'));
    writeFileSync(done.file, lines.slice(0, cut + 1).join('\n') + '\n');
    appendFileSync(done.file, '{"t":"step-end","at":12');
    expect(readJournal(done.file).torn).toBe(true);
    const p = prompter();
    const resumed = await run(yaml, { host: 'emma' }, { world, resumeFile: done.file, p });
    expect(resumed.status).toBe('done');
    expect(world.machine('emma')!.files['/tmp/first']).toBe('a\n');
    expect(world.machine('emma')!.files['/tmp/idem']).toBe('b\nb\n');
    expect(p.asked).toEqual([]);

    const yaml2 = yaml.replace('idempotent: true, ', '');
    const w2 = makeWorld(makeMachine());
    const d2 = await run(yaml2, { host: 'emma' }, { world: w2 });
    const l2 = readFileSync(d2.file, 'utf8').split('\n');
    writeFileSync(d2.file, l2.slice(0, l2.findIndex((l) => l.includes('"step-start"') && l.includes('"idem"')) + 1).join('\n') + '\n');
    const p2 = prompter();
    const r2 = await run(yaml2 + '# edited after the crash\n', { host: 'emma' }, { world: w2, resumeFile: d2.file, p: p2 });
    expect(p2.asked).toEqual(['doubt:idem']);
    expect(w2.machine('emma')!.files['/tmp/idem']).toBe('b\n');
    expect(r2.journal.events).toContainEqual(expect.objectContaining({ t: 'resume', runbookChanged: true }));
  });

  it('never writes a secret to the journal or output files', async () => {
    const yaml = `runbook: sec
title: Secret
params:
  host: {type: host}
  pw: {type: secret, env: DB_PW}
steps:
  - {id: use, on: "{{host}}", run: "echo connecting with {{pw}}; echo {{pw}} > /tmp/pw", capture: {echoed: 'with (\\S+)'}}
`;
    const r = await run(yaml, { host: 'emma' }, { env: { DB_PW: 'hunter2-Sup3r' } });
    expect(r.status).toBe('done');
    expect(r.world.machine('emma')!.files['/tmp/pw']).toBe('hunter2-Sup3r\n');
    const all = readFileSync(r.file, 'utf8') + readdirSync(r.file.replace('.jsonl', '.out')).map((f) => readFileSync(join(r.file.replace('.jsonl', '.out'), f), 'utf8')).join('');
    expect(all).not.toContain('hunter2');
    expect(all).toContain('***');
    expect(JSON.stringify(r.events)).not.toContain('hunter2');
  });
});
