/** Pure formatters for the Proxmox VE tools' output (dates in UTC, sizes as PVE prints them). */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Perl `scalar localtime`: `Sat Nov 21 03:12:01 2026` (day of month space-padded). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `2026-11-21 03:12:01` (task logs, migration lines). */
export function ymdhms(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** `2026_11_21-01_00_02` as in vzdump archive names. */
export function archiveStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}_${p2(d.getUTCMonth() + 1)}_${p2(d.getUTCDate())}-${p2(d.getUTCHours())}_${p2(d.getUTCMinutes())}_${p2(d.getUTCSeconds())}`;
}

/** `00:01:02` (vzdump per-guest duration, migration duration). */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
}

/** `1m 2s`, `3s`, `1h 2m 3s` as vzdump's qemu progress prints elapsed time. */
export function shortDuration(seconds: number): string {
  let s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  parts.push(`${s}s`);
  return parts.join(' ');
}

/** Binary units with two decimals as PVE's format_size: `32.00 GiB`, `512.0 MiB` style (one decimal). */
export function iec(bytes: number, decimals = 1): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : decimals)} ${units[i]}`;
}

/** Disk size in a config line: `32G`, `512M`. */
export function configSize(bytes: number): string {
  const g = bytes / 1024 ** 3;
  if (Number.isInteger(g)) return `${g}G`;
  const m = bytes / 1024 ** 2;
  if (Number.isInteger(m)) return `${m}M`;
  return `${Math.ceil(bytes / 1024)}K`;
}

/** Decimal size as vzdump prints the archive size: `6.35GB`, `189MB`. */
export function decimalSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)}GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)}MB`;
  return `${Math.round(bytes / 1e3)}KB`;
}

/** Left-pad/right-pad like printf `%10s` / `%-10s`. */
export function padL(s: string | number, w: number): string {
  return String(s).padStart(w, ' ');
}
export function padR(s: string | number, w: number): string {
  return String(s).padEnd(w, ' ');
}

/** Deterministic MAC for a guest: BC:24:11 is Proxmox's OUI. */
export function guestMac(vmid: number, n = 0): string {
  const h = (vmid * 2654435761 + n * 97) >>> 0;
  const b = [(h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff].map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  return `BC:24:11:${b.join(':')}`;
}

/** Deterministic UUID-looking string from a seed. */
export function fakeUuid(seed: number): string {
  const hex = (n: number, len: number) => ((n >>> 0).toString(16).padStart(8, '0') + 'a3c4e5f60718293a').slice(0, len);
  const a = (seed * 2654435761) >>> 0;
  const b = (seed * 40503 + 12345) >>> 0;
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 4, 3)}-a${hex(a >>> 8, 3)}-${hex(a ^ b, 8)}${hex(b, 4)}`;
}
