/**
 * A run takes a lock on each machine it changes, on the machine itself, so two roots on call
 * cannot run procedures against the same machine at once. `mkdir` is atomic on every POSIX system.
 */
import { quote } from 'shell-quote';
import type { RunDeps } from './runtime.js';

export const LOCK_DIR = '/run/lock/baie';

export interface LockOwner {
  operator: string;
  run: string;
  runbook: string;
  since: string;
}

export function ownerLine(o: LockOwner): string {
  return `operator=${o.operator} run=${o.run} runbook=${o.runbook} since=${o.since}`;
}

export function parseOwner(text: string): Partial<LockOwner> {
  const o: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=(\S+)/g)) o[m[1]] = m[2];
  return o as Partial<LockOwner>;
}

export type LockResult = { ok: true; reentered: boolean } | { ok: false; holder: string };

export async function takeLock(deps: RunDeps, target: string, owner: LockOwner, signal?: AbortSignal): Promise<LockResult> {
  const line = quote([ownerLine(owner)]);
  const r = await deps.exec(target, `mkdir -p /run/lock && mkdir ${LOCK_DIR} && echo ${line} > ${LOCK_DIR}/owner`, { signal, timeoutMs: 30_000 });
  if (r.code === 0) return { ok: true, reentered: false };
  const cur = await deps.exec(target, `cat ${LOCK_DIR}/owner`, { signal, timeoutMs: 30_000 });
  const holder = cur.stdout.trim() || 'unknown holder';
  if (parseOwner(holder).run === owner.run) return { ok: true, reentered: true };
  return { ok: false, holder };
}

export async function forceLock(deps: RunDeps, target: string, owner: LockOwner, signal?: AbortSignal): Promise<boolean> {
  const r = await deps.exec(target, `mkdir -p ${LOCK_DIR} && echo ${quote([ownerLine(owner)])} > ${LOCK_DIR}/owner`, { signal, timeoutMs: 30_000 });
  return r.code === 0;
}

export async function releaseLock(deps: RunDeps, target: string, run: string): Promise<boolean> {
  const cur = await deps.exec(target, `cat ${LOCK_DIR}/owner`, { timeoutMs: 30_000 }).catch(() => undefined);
  if (!cur || parseOwner(cur.stdout).run !== run) return false;
  const r = await deps.exec(target, `rm -rf ${LOCK_DIR}`, { timeoutMs: 30_000 }).catch(() => undefined);
  return r?.code === 0;
}
