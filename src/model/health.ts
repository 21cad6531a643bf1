/** Health levels and reasons. */
export type HealthLevel = 'ok' | 'warning' | 'critical' | 'unknown';

export interface HealthReason {
  level: HealthLevel;
  /** Short, human: `md1 degraded`, `SMART 5 raw 12 on sdb`. */
  text: string;
}

export interface Health {
  level: HealthLevel;
  reasons: HealthReason[];
}

const ORDER: Record<HealthLevel, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

export function worst(levels: HealthLevel[]): HealthLevel {
  let w: HealthLevel = 'ok';
  for (const l of levels) if (ORDER[l] > ORDER[w]) w = l;
  return w;
}

export function healthOf(reasons: HealthReason[]): Health {
  return { level: worst(reasons.map((r) => r.level)), reasons };
}
