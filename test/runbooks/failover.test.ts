/**
 * failover-director on the real lab (CLI children): the drill's fault, an unattended run, the
 * drill's goal over `baie probe --json`; refusal on a healthy lab; the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const built = existsSync(CLI);

interface Drill {
  runbook: string;
  params: Record<string, string | number>;
  confirm: string[];
  speed: number;
  faults: { fault: string; machine?: string; arg?: string }[];
  goal: { machine: string; field: string; equals?: unknown; contains?: unknown; none?: Record<string, unknown>; every?: Record<string, unknown>; count?: number }[];
}

const drill = parse(readFileSync(join(ROOT, 'runbooks/drills/failover-director.yaml'), 'utf8')) as Drill;

function matches(el: unknown, want: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want)) return !!el && typeof el === 'object' && Object.entries(want).every(([k, v]) => matches((el as Record<string, unknown>)[k], v));
  return JSON.stringify(el) === JSON.stringify(want);
}

/** The goal lines that do not hold over the probe output (documented matchers). */
function goalFailures(probes: Record<string, unknown>[], goal: Drill['goal']): string[] {
  const bad: string[] = [];
  for (const g of goal) {
    const m = probes.find((p) => p.machine === g.machine);
    const v = m?.[g.field];
    const arr = Array.isArray(v) ? v : [];
    const ok = g.equals !== undefined ? matches(v, g.equals)
      : g.contains !== undefined ? arr.some((e) => matches(e, g.contains))
      : g.none ? !arr.some((e) => matches(e, g.none))
      : g.every ? arr.every((e) => matches(e, g.every))
      : g.count !== undefined ? arr.length === g.count : false;
    if (!ok) bad.push(`${g.machine}.${g.field}: ${JSON.stringify(g)} but was ${JSON.stringify(v)?.slice(0, 300)}`);
  }
  return bad;
}

let dir = '';
let state = '';
let lab: ReturnType<typeof execa> | undefined;
const env = () => ({ ...process.env, XDG_STATE_HOME: state, NO_COLOR: '1' });
const inv = () => ['--inventory', join(dir, 'inventory.yaml')];
const baie = (args: string[], timeout = 60_000) => execa(process.execPath, [CLI, ...args], { env: env(), reject: false, timeout, stdin: 'ignore' });
const paramArgs = (p: Record<string, unknown>) => Object.entries(p).flatMap(([k, v]) => ['-p', `${k}=${String(v)}`]);

async function startLab(speed: number): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'baie-rb-failover-'));
  state = mkdtempSync(join(tmpdir(), 'baie-rb-state-'));
  lab = execa(process.execPath, [CLI, 'lab', '--dir', dir, '--quiet', '--speed', String(speed)], { env: env(), reject: false, stdin: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(join(dir, 'ready')); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(join(dir, 'ready'))) throw new Error(`lab did not start in ${dir}`);
}

async function stopLab(): Promise<void> {
  if (lab?.pid) lab.kill('SIGTERM');
  await Promise.race([lab, new Promise((r) => setTimeout(r, 5000))]);
  if (lab && lab.exitCode === null) lab.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
}

async function probe(machines: string[]): Promise<Record<string, unknown>[]> {
  const r = await baie(['probe', '--json', ...inv(), ...machines]);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

describe.skipIf(!built)('failover-director on the lab', () => {
  beforeAll(() => startLab(drill.speed ?? 60), 20_000);
  afterAll(() => stopLab(), 20_000);

  it('prints the plan with the resolved commands, and a Markdown checklist', async () => {
    const r = await baie(['plan', drill.runbook, ...paramArgs(drill.params), ...inv()]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('elsa$ ! curl -s -m 5 -o /dev/null http://192.0.2.100/');
    expect(r.stdout).toContain('apc$ olStatus estelle');
    expect(r.stdout).toMatch(/apc\$ olOff \S*capture\S*outlet\S* && olOn \S*outlet/);
    expect(r.stdout).toMatch(/DESTRUCTIVE: type the machine name/);
    expect(r.stdout).toContain('estelle$ systemctl start keepalived');
    expect(r.stdout).toContain("elsa$ curl -s -o /dev/null -m 10 -w '%{http_code}' http://192.0.2.100/");
    expect(r.stdout).toMatch(/of a 20m00s budget/);
    const md = await baie(['plan', drill.runbook, ...paramArgs(drill.params), ...inv(), '--markdown']);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/^# Fail the service address over/m);
    expect(md.stdout).toMatch(/^## 7\. Power estelle on through outlet .* ⚠ destructive/m);
    expect(md.stdout).toContain('- [ ] done at');
  }, 30_000);

  it('refuses on a healthy lab: the service still answers', async () => {
    const r = await baie(['run', drill.runbook, ...paramArgs(drill.params), '--yes', ...drill.confirm.flatMap((c) => ['--confirm', c]), '--lab-hands', ...inv()]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/refusing: http:\/\/ 192\.0\.2\.100 still answers, nothing to fail over/);
    const [estelle] = await probe(['estelle']);
    expect(estelle.reachable).toBe(false); // nothing was powered on
  }, 60_000);

  it('after director-crash, an unattended run moves the service to the backup (drill goal)', async () => {
    for (const f of drill.faults) {
      const r = await baie(['lab', 'fault', f.fault, ...(f.machine ? [f.machine] : []), ...(f.arg ? [f.arg] : []), '--dir', dir]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const before = await probe(['estelle']);
    expect(goalFailures(before, drill.goal).length).toBeGreaterThan(0);
    const r = await baie(['run', drill.runbook, ...paramArgs(drill.params), '--yes', ...drill.confirm.flatMap((c) => ['--confirm', c]), '--lab-hands', ...inv()], 120_000);
    expect(r.exitCode, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(r.stdout).toContain('captured matched=panic');
    expect(r.stdout).toMatch(/run done/);
    const after = await probe(['estelle']);
    expect(goalFailures(after, drill.goal)).toEqual([]);
    const eno1 = (after[0].addresses as { name: string; addrs: string[] }[]).find((a) => a.name === 'eno1');
    expect(eno1?.addrs).toContain('192.0.2.100/24');
  }, 150_000);
});
