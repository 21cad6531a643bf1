/** systemd's timestamp formats (UTC): `Fri 2026-11-20 03:12:01 UTC` and `2 days ago`. */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

export function systemdTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** Journal line prefix: `Nov 20 03:12:01`. */
export function journalTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** systemd's format_timestamp_relative. */
export function relativeAgo(deltaMs: number): string {
  const s = Math.max(0, Math.floor(deltaMs / 1000));
  const MIN = 60, HOUR = 3600, DAY = 86400, WEEK = 7 * DAY, MONTH = 2629800, YEAR = 31557600;
  const pl = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (s >= YEAR) return `${pl(Math.floor(s / YEAR), 'year', 'years')} ${pl(Math.floor((s % YEAR) / MONTH), 'month', 'months')} ago`;
  if (s >= MONTH) return `${pl(Math.floor(s / MONTH), 'month', 'months')} ${pl(Math.floor((s % MONTH) / DAY), 'day', 'days')} ago`;
  if (s >= WEEK) return `${pl(Math.floor(s / WEEK), 'week', 'weeks')} ${pl(Math.floor((s % WEEK) / DAY), 'day', 'days')} ago`;
  if (s >= 2 * DAY) return `${Math.floor(s / DAY)} days ago`;
  if (s >= 25 * HOUR) return `1 day ${Math.floor((s - DAY) / HOUR)}h ago`;
  if (s >= 6 * HOUR) return `${Math.floor(s / HOUR)}h ago`;
  if (s >= HOUR) return `${Math.floor(s / HOUR)}h ${Math.floor((s % HOUR) / MIN)}min ago`;
  if (s >= 5 * MIN) return `${Math.floor(s / MIN)}min ago`;
  if (s >= MIN) return `${Math.floor(s / MIN)}min ${s % MIN}s ago`;
  if (s >= 1) return `${s}s ago`;
  return 'now';
}
