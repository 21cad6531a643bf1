/**
 * Helpers for the shipped-runbook tests (test/runbooks/*.test.ts): start a lab in a temp dir with the built CLI,
 * run `baie` against it, probe machines as JSON, inject a drill's faults and evaluate its goal.
 *
 * Typical use:
 *   const skip = cliSkipReason();
 *   describe.skipIf(skip)('disk-swap-mdadm', () => {
 *     let lab: Lab;
 *     beforeAll(async () => (lab = await startLab({ speed: 3600 })));
 *     afterAll(() => lab?.stop());
 *     it('fixes the drill', async () => {
 *       const drill = loadDrill('disk-swap-mdadm');
 *       await injectFaults(lab, drill);
 *       const r = await lab.run(drill.runbook, drill.params, { confirm: drill.confirm, labHands: true });
 *       expect(r.status, r.stderr).toBe('done');
 *       expect(evaluateGoal(drill.goal, await lab.probe(goalMachines(drill)))).toEqual([]);
 *     });
 *   });
 *
 * Everything a lab writes (journals, settings, the lab dir) lives under one temp dir removed by stop().
 * Needs `dist/` (npm test builds first; alone: `npx tsc -p tsconfig.json`).
 */
import { execFileSync } from 'node:child_process';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../src/model/duration.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BAIE = join(ROOT, 'dist', 'cli', 'main.js');
export const RUNBOOKS_DIR = join(ROOT, 'runbooks');
export const DRILLS_DIR = join(RUNBOOKS_DIR, 'drills');

/** Why the CLI cannot be run (no build), or undefined. Use with describe.skipIf. */
export function cliSkipReason(): string | undefined {
  return existsSync(BAIE) ? undefined : `${BAIE} is missing: build first (npx tsc -p tsconfig.json)`;
}

/** Why OpenSSH's client is missing, or undefined (only Lab.ssh needs it). */
export function sshSkipReason(): string | undefined {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'ssh (OpenSSH client) is not installed';
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One `baie run --json` event (see src/runbook/events.ts); kept loose so tests read any field. */
export type RunEventJson = { t: string; step?: string; status?: string; reason?: string; name?: string; value?: string; text?: string; [k: string]: unknown };

export interface RunResult extends CliResult {
  /** The `run-end` status (done, failed, refused, aborted, rolled-back), or 'none' when the run never started. */
  status: string;
  events: RunEventJson[];
  /** Final status of each step id (`step-done`). */
  steps: Record<string, string>;
  /** Values captured or answered during the run. */
  values: Record<string, string>;
  /** `run-end` reason, or the failing step's reason. */
  reason?: string;
}

export interface RunOptions {
  /** Machines destructive steps may touch unattended (`--confirm`). */
  confirm?: string[];
  /** Let the lab's people do manual steps' `hands:` actions (`--lab-hands`). */
  labHands?: boolean;
  /** `--answer step.key=value` */
  answers?: Record<string, string>;
  /** Extra CLI args. */
  extra?: string[];
  timeoutMs?: number;
}

/** A probed machine (`baie probe --json`): health, reasons, arrays, pools, disks, … */
export type ProbeJson = { machine: string; health?: string; reasons?: string[]; [field: string]: unknown };

export interface Lab {
  /** The lab directory (inventory.yaml, ssh_config, control.sock). */
  dir: string;
  inventory: string;
  /** Environment the CLI runs with (XDG_STATE_HOME, BAIE_CONFIG_DIR, NO_COLOR). */
  env: Record<string, string>;
  speed: number;
  /** `node dist/cli/main.js ARGS` with the lab's environment (add --inventory yourself when needed). */
  cli(args: string[], opts?: { timeoutMs?: number }): Promise<CliResult>;
  /** `baie probe --json` on these machines (all when empty). Throws when the output is not JSON. */
  probe(machines?: string[]): Promise<ProbeJson[]>;
  /** `baie lab fault NAME MACHINE [ARG]`; throws with the CLI's message on failure. */
  fault(name: string, machine: string, arg?: string): Promise<string>;
  /** `baie lab hands ACTION MACHINE ARGS…`; throws on failure. */
  hands(action: string, machine: string, ...args: string[]): Promise<string>;
  /** A command on a lab machine through OpenSSH (`ssh -F DIR/ssh_config`). */
  ssh(machine: string, command: string): Promise<CliResult>;
  /** `baie run RUNBOOK -p k=v… --yes --json --inventory …` and its parsed events. */
  run(runbook: string, params: Record<string, string | number>, opts?: RunOptions): Promise<RunResult>;
  /** `baie plan RUNBOOK -p k=v… [--markdown|--json]`. */
  plan(runbook: string, params: Record<string, string | number>, extra?: string[]): Promise<CliResult>;
  /** Stop the lab and remove the temp dir. */
  stop(): Promise<void>;
}

const out = (r: { exitCode?: number; stdout?: unknown; stderr?: unknown }): CliResult => ({ code: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') });

function paramArgs(params: Record<string, string | number>): string[] {
  return Object.entries(params).flatMap(([k, v]) => ['-p', `${k}=${v}`]);
}

/** Parse `--json` output: one JSON object per line; other lines are ignored. */
export function parseJsonLines(text: string): RunEventJson[] {
  const events: RunEventJson[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      events.push(JSON.parse(line) as RunEventJson);
    } catch {
      /* a partial line */
    }
  }
  return events;
}

/** Summarise run events: end status, each step's final status, captured and answered values. */
export function summarise(r: CliResult): RunResult {
  const events = parseJsonLines(r.stdout);
  const steps: Record<string, string> = {};
  const values: Record<string, string> = {};
  let status = 'none';
  let reason: string | undefined;
  for (const e of events) {
    if (e.t === 'step-done' && e.step) steps[e.step] = String(e.status);
    if ((e.t === 'capture' || e.t === 'answer') && e.name) values[e.name] = String(e.value ?? '');
    if (e.t === 'run-end') {
      status = String(e.status);
      reason = e.reason;
    }
  }
  return { ...r, events, steps, values, status, reason };
}

/**
 * Start `baie lab --dir TMP/lab --quiet --speed N` as a child and wait for its ready line.
 * speed: lab clock speed (60: an hour a minute); use thousands when resyncs of terabytes must end in seconds.
 */
export async function startLab(opts: { speed?: number; scenario?: string } = {}): Promise<Lab> {
  const speed = opts.speed ?? 60;
  const root = mkdtempSync(join(tmpdir(), 'baie-rb-'));
  const dir = join(root, 'lab');
  const inventory = join(dir, 'inventory.yaml');
  const env = { XDG_STATE_HOME: join(root, 'state'), BAIE_CONFIG_DIR: join(root, 'config'), NO_COLOR: '1' };
  const child: ResultPromise = execa('node', [BAIE, 'lab', '--dir', dir, '--quiet', '--speed', String(speed), ...(opts.scenario ? ['--scenario', opts.scenario] : [])], { env, reject: false, cleanup: true });
  try {
    await new Promise<void>((ok, fail) => {
      let seen = '';
      const t = setTimeout(() => fail(new Error('the lab did not start within 30 s')), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (/^ready /m.test(seen)) {
          clearTimeout(t);
          ok();
        }
      });
      void child.then((r) => (clearTimeout(t), fail(new Error(`the lab exited at start: ${String(r.stderr).trim().split('\n').pop()}`))));
    });
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  const cli: Lab['cli'] = async (args, o = {}) => out(await execa('node', [BAIE, ...args], { env, reject: false, timeout: o.timeoutMs ?? 120_000, stdin: 'ignore' }));
  const lab: Lab = {
    dir,
    inventory,
    env,
    speed,
    cli,
    async probe(machines = []) {
      const r = await cli(['probe', '--json', '--inventory', inventory, ...machines]);
      try {
        return JSON.parse(r.stdout) as ProbeJson[];
      } catch {
        throw new Error(`baie probe --json printed no JSON (exit ${r.code}): ${r.stderr.trim() || r.stdout.slice(0, 300)}`);
      }
    },
    async fault(name, machine, arg) {
      const r = await cli(['lab', 'fault', name, machine, ...(arg ? [arg] : []), '--dir', dir]);
      if (r.code !== 0) throw new Error(`lab fault ${name} ${machine} ${arg ?? ''}: ${r.stderr.trim() || r.stdout.trim()}`);
      return r.stdout.trim();
    },
    async hands(action, machine, ...args) {
      const r = await cli(['lab', 'hands', action, machine, ...args, '--dir', dir]);
      if (r.code !== 0) throw new Error(`lab hands ${action} ${machine}: ${r.stderr.trim() || r.stdout.trim()}`);
      return r.stdout.trim();
    },
    async ssh(machine, command) {
      return out(await execa('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', machine, command], { reject: false, timeout: 60_000, stdin: 'ignore' }));
    },
    async run(runbook, params, o = {}) {
      const args = ['run', runbook, ...paramArgs(params), '--yes', '--json', '--inventory', inventory];
      for (const c of o.confirm ?? []) args.push('--confirm', c);
      for (const [k, v] of Object.entries(o.answers ?? {})) args.push('--answer', `${k}=${v}`);
      if (o.labHands) args.push('--lab-hands');
      args.push(...(o.extra ?? []));
      return summarise(await cli(args, { timeoutMs: o.timeoutMs ?? 180_000 }));
    },
    plan: (runbook, params, extra = []) => cli(['plan', runbook, ...paramArgs(params), '--inventory', inventory, ...extra]),
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await child;
      clearTimeout(t);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return lab;
}

// ---- drills ------------------------------------------------------------------------------------------------

export interface DrillFault {
  fault: string;
  machine: string;
  arg?: string;
  /** Lab time after the start (`10m`); absent: at the start. */
  at?: string;
}

/** A goal line: `{machine, field, equals|contains|none|every|count}` over `baie probe --json`. */
export interface GoalItem {
  machine: string;
  field: string;
  equals?: unknown;
  contains?: unknown;
  none?: Record<string, unknown>;
  every?: Record<string, unknown>;
  count?: number;
}

export interface Drill {
  drill: string;
  title: string;
  runbook: string;
  params: Record<string, string | number>;
  confirm: string[];
  speed?: number;
  budget?: string;
  faults: DrillFault[];
  goal: GoalItem[];
  doc?: string;
  file: string;
}

/** Read runbooks/drills/NAME.yaml (or a path). Throws naming the file when a required key is missing. */
export function loadDrill(nameOrFile: string): Drill {
  const file = nameOrFile.includes('/') ? nameOrFile : join(DRILLS_DIR, `${nameOrFile}.yaml`);
  const d = parseYaml(readFileSync(file, 'utf8')) as Partial<Drill>;
  for (const k of ['drill', 'title', 'runbook', 'goal'] as const) if (d[k] === undefined) throw new Error(`${file}: missing '${k}'`);
  return { params: {}, confirm: [], faults: [], ...d, file } as Drill;
}

/** Machines named in a drill's goal (what to probe). */
export function goalMachines(d: Drill): string[] {
  return [...new Set(d.goal.map((g) => g.machine))];
}

/**
 * Inject the drill's faults: those without `at` now, the others after `at` of lab time (real delay = at / speed).
 * Returns a function cancelling the ones not injected yet. Injection errors of delayed faults are collected in `errors`.
 */
export async function injectFaults(lab: Lab, d: Drill): Promise<{ cancel(): void; errors: string[] }> {
  const timers: NodeJS.Timeout[] = [];
  const errors: string[] = [];
  for (const f of d.faults) {
    const at = f.at ? parseDuration(f.at) : 0;
    if (at === undefined) throw new Error(`${d.file}: fault ${f.fault}: at '${f.at}' is not a duration`);
    if (!at) await lab.fault(f.fault, f.machine, f.arg);
    else timers.push(setTimeout(() => void lab.fault(f.fault, f.machine, f.arg).catch((e: Error) => errors.push(e.message)), at / lab.speed));
  }
  return { cancel: () => timers.forEach(clearTimeout), errors };
}

function matches(el: unknown, want: Record<string, unknown>): boolean {
  if (typeof el !== 'object' || el === null) return false;
  return Object.entries(want).every(([k, v]) => deepEqual((el as Record<string, unknown>)[k], v));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A field of a probed machine; `a.b` walks into objects. */
function field(p: ProbeJson, path: string): unknown {
  let v: unknown = p;
  for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * Check each goal line against probe results. Returns one message per line that does not hold (empty: the goal
 * holds). Matchers: equals V | contains V (array includes V, or an element having all of V's keys) |
 * none {k: v} (no element has all these) | every {k: v} (every element has all these) | count N (array length).
 */
export function evaluateGoal(goal: GoalItem[], probes: ProbeJson[]): string[] {
  const bad: string[] = [];
  for (const g of goal) {
    const p = probes.find((x) => x.machine === g.machine);
    const where = `${g.machine}.${g.field}`;
    if (!p) {
      bad.push(`${where}: ${g.machine} was not probed`);
      continue;
    }
    const v = field(p, g.field);
    const show = JSON.stringify(v)?.slice(0, 300);
    const list = Array.isArray(v) ? (v as unknown[]) : undefined;
    if ('equals' in g && !deepEqual(v, g.equals)) bad.push(`${where} is ${show}, want ${JSON.stringify(g.equals)}${p.reasons?.length ? ` (reasons: ${p.reasons.join('; ')})` : ''}`);
    if ('contains' in g) {
      const c = g.contains;
      const ok = list?.some((el) => deepEqual(el, c) || (typeof c === 'object' && c !== null && !Array.isArray(c) && matches(el, c as Record<string, unknown>)));
      if (!ok) bad.push(`${where} does not contain ${JSON.stringify(c)}: ${show}`);
    }
    if (g.none) {
      const hit = list?.find((el) => matches(el, g.none!));
      if (!list) bad.push(`${where} is not a list: ${show}`);
      else if (hit) bad.push(`${where} has an element with ${JSON.stringify(g.none)}: ${JSON.stringify(hit).slice(0, 300)}`);
    }
    if (g.every) {
      const miss = list?.find((el) => !matches(el, g.every!));
      if (!list) bad.push(`${where} is not a list: ${show}`);
      else if (miss) bad.push(`${where} has an element without ${JSON.stringify(g.every)}: ${JSON.stringify(miss).slice(0, 300)}`);
    }
    if (g.count !== undefined && list?.length !== g.count) bad.push(`${where} has ${list?.length ?? 'no list'} elements, want ${g.count}`);
  }
  return bad;
}

/** Steps as `id=status` lines, for assertion messages. */
export function stepReport(r: RunResult): string {
  const lines = Object.entries(r.steps).map(([k, v]) => `${k}=${v}`);
  return `${r.status}${r.reason ? ` (${r.reason})` : ''}\n${lines.join('\n')}\n${r.stderr.trim().split('\n').slice(-8).join('\n')}`;
}
