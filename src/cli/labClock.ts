/**
 * On the lab, a run's journal and budget clock follow the lab's clock (`--speed 60`: an hour a
 * minute), so a rehearsed rebuild shows the lab time it took. Waits are in lab time too.
 */
import { dirname, join } from 'node:path';
import type { Fleet } from '../model/fleet.js';
import type { RunDeps } from '../runbook/runtime.js';
import { controlRequest } from '../lab/controlClient.js';

export async function labClock(fleet: Fleet): Promise<Pick<RunDeps, 'now' | 'sleep'> | undefined> {
  if (!fleet.lab || !fleet.source) return undefined;
  const st = await controlRequest<{ time: number; speed: number }>(join(dirname(fleet.source), 'control.sock'), 'status', {}, { timeoutMs: 5000 }).catch(() => undefined);
  if (!st || !(st.speed > 0)) return undefined;
  const real0 = Date.now();
  const { time, speed } = st;
  return {
    now: () => time + (Date.now() - real0) * speed,
    sleep: (ms, signal) =>
      new Promise((ok, fail) => {
        const t = setTimeout(ok, ms / speed);
        signal?.addEventListener('abort', () => (clearTimeout(t), fail(new Error('aborted'))), { once: true });
      }),
  };
}
