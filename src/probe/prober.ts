/**
 * One probe round: each machine gets one SSH round-trip (its batched script) and, if it has a BMC,
 * a power/SEL query. A dead or slow host only makes its own result late: every call has a deadline.
 */
import type { Machine } from '../model/fleet.js';
import type { ExecResult } from '../transport/types.js';
import type { MachineProbe, SelEvent } from './types.js';
import { buildScript, sectionsFor, splitSections } from './plan.js';
import { withHealth } from './health.js';
import { mapBounded } from './fanout.js';

export interface ProbeDeps {
  exec(m: Machine, command: string, opts: { signal: AbortSignal; timeoutMs: number }): Promise<ExecResult>;
  /** Power state and recent SEL from the machine's BMC, when it has one. */
  bmc?(m: Machine, signal: AbortSignal): Promise<{ power: 'on' | 'off' | 'unknown'; sel: SelEvent[] }>;
  now?(): number;
}

export interface ProbeOptions {
  timeoutMs?: number;
  concurrency?: number;
  onResult?(p: MachineProbe): void;
}

function oneLine(e: unknown): string {
  return ((e as Error)?.message ?? String(e)).split('\n')[0];
}

export async function probeMachine(m: Machine, deps: ProbeDeps, timeoutMs = 8000): Promise<MachineProbe> {
  const now = deps.now ?? Date.now;
  const started = now();
  const signal = AbortSignal.timeout(timeoutMs);
  const p: MachineProbe = { machine: m.name, at: started, reachable: false, errors: [], health: { level: 'unknown', reasons: [] } };
  const bmc = m.bmc && deps.bmc ? deps.bmc(m, signal).catch((e: unknown) => (p.errors.push(`bmc: ${oneLine(e)}`), undefined)) : Promise.resolve(undefined);
  const sections = sectionsFor(m);
  if (m.ssh && sections.length) {
    try {
      const r = await withDeadline(deps.exec(m, buildScript(sections), { signal, timeoutMs }), timeoutMs, `${m.name}: no answer within ${Math.round(timeoutMs / 1000)} s`);
      if (r.timedOut || r.aborted) throw new Error(`${m.name}: probe timed out after ${Math.round(timeoutMs / 1000)} s`);
      p.reachable = true;
      p.latencyMs = Math.round(r.durationMs);
      const parts = splitSections(r.stdout);
      for (const s of sections) {
        const got = parts.get(s.key);
        if (!got) continue;
        try {
          s.apply(p, got.out, got.rc);
        } catch (e) {
          p.errors.push(`${s.key}: ${oneLine(e)}`);
        }
      }
    } catch (e) {
      p.errors.push(oneLine(e));
    }
  } else if (!m.ssh) {
    p.reachable = true;
  }
  const b = await bmc;
  if (b) {
    p.power = b.power;
    p.sel = b.sel.slice(-20);
  }
  p.at = now();
  return withHealth(p);
}

function withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error(message)), ms + 500)))]).finally(() => clearTimeout(t));
}

export async function probeFleet(machines: Machine[], deps: ProbeDeps, opts: ProbeOptions = {}): Promise<MachineProbe[]> {
  return mapBounded(machines, opts.concurrency ?? 64, (m) => probeMachine(m, deps, opts.timeoutMs), (r) => opts.onResult?.(r));
}
