/**
 * systemd units of a lab machine: lookup with Debian's aliases, state, "since" times.
 * MariaDB/MySQL units mirror `machine.mysql.running`.
 */
import type { LabMachine, LabService } from '../../state.js';

const ALIASES: Record<string, string[]> = {
  mariadb: ['mysql', 'mysqld'],
  mysql: ['mysqld', 'mariadb'],
};

/** `nginx.service` → `nginx`. Other unit types keep their suffix. */
export function unitBase(arg: string): string {
  return arg.endsWith('.service') ? arg.slice(0, -'.service'.length) : arg;
}

export function isDbUnit(name: string): boolean {
  return name === 'mariadb' || name === 'mysql' || name === 'mysqld';
}

/** The service a unit argument names on this machine (aliases honoured), or undefined. */
export function findUnit(m: LabMachine, arg: string): LabService | undefined {
  const base = unitBase(arg);
  const direct = m.services.find((s) => s.name === base);
  if (direct) return direct;
  for (const [real, aliases] of Object.entries(ALIASES)) {
    if (aliases.includes(base)) {
      const s = m.services.find((x) => x.name === real);
      if (s) return s;
    }
  }
  return undefined;
}

/** Lab ms each unit entered its current state; absent → the machine's boot time. */
const since = new WeakMap<LabService, number>();
/** Why the next start of a unit fails (set by faults). */
const startFailures = new WeakMap<LabService, string>();

export function unitSince(m: LabMachine, s: LabService): number {
  return since.get(s) ?? m.bootedAt;
}

export function markSince(s: LabService, at: number): void {
  since.set(s, at);
}

export function setStartFailure(s: LabService, reason: string | undefined): void {
  if (reason === undefined) startFailures.delete(s);
  else startFailures.set(s, reason);
}

export function startFailure(s: LabService): string | undefined {
  return startFailures.get(s);
}

/** Whether the unit runs; database units follow the server state. */
export function unitActive(m: LabMachine, s: LabService): boolean {
  if (isDbUnit(s.name) && m.mysql) return m.mysql.running;
  return s.active;
}

export type UnitState = 'active' | 'inactive' | 'failed';

export function unitState(m: LabMachine, s: LabService): UnitState {
  if (unitActive(m, s)) return 'active';
  return s.failedReason ? 'failed' : 'inactive';
}

/** Whether a service by that name (or alias) is active on the machine. */
export function serviceActive(m: LabMachine, name: string): boolean {
  const s = findUnit(m, name);
  return !!s && unitActive(m, s);
}
