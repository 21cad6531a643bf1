/** Time formats of date(1) and uptime(1). Lab machines run on UTC. */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function pad(n: number, width: number, fill: string, flag: string): string {
  const s = String(n);
  if (flag === '-') return s;
  const f = flag === '_' ? ' ' : flag === '0' ? '0' : fill;
  return s.padStart(width, f);
}

/** strftime on UTC, the subset of GNU date's conversions (with `-`, `_`, `0` flags). */
export function strftime(ms: number, fmt: string): string {
  const d = new Date(ms);
  const Y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const wd = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, mo, day) - Date.UTC(Y, 0, 1)) / 86_400_000) + 1;
  const h12 = H % 12 === 0 ? 12 : H % 12;
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let flag = '';
    let k = fmt[++i];
    if ((k === '-' || k === '_' || k === '0') && i + 1 < fmt.length) {
      flag = k;
      k = fmt[++i];
    }
    switch (k) {
      case 'a': out += DAYS[wd].slice(0, 3); break;
      case 'A': out += DAYS[wd]; break;
      case 'b': case 'h': out += MONTHS[mo].slice(0, 3); break;
      case 'B': out += MONTHS[mo]; break;
      case 'c': out += strftime(ms, '%a %b %e %H:%M:%S %Y'); break;
      case 'C': out += pad(Math.floor(Y / 100), 2, '0', flag); break;
      case 'd': out += pad(day, 2, '0', flag); break;
      case 'D': out += strftime(ms, '%m/%d/%y'); break;
      case 'e': out += pad(day, 2, ' ', flag); break;
      case 'F': out += strftime(ms, '%Y-%m-%d'); break;
      case 'H': out += pad(H, 2, '0', flag); break;
      case 'I': out += pad(h12, 2, '0', flag); break;
      case 'j': out += pad(yday, 3, '0', flag); break;
      case 'k': out += pad(H, 2, ' ', flag); break;
      case 'l': out += pad(h12, 2, ' ', flag); break;
      case 'm': out += pad(mo + 1, 2, '0', flag); break;
      case 'M': out += pad(M, 2, '0', flag); break;
      case 'n': out += '\n'; break;
      case 'N': out += String((((ms % 1000) + 1000) % 1000) * 1_000_000).padStart(9, '0'); break;
      case 'p': out += H < 12 ? 'AM' : 'PM'; break;
      case 'P': out += H < 12 ? 'am' : 'pm'; break;
      case 'r': out += strftime(ms, '%I:%M:%S %p'); break;
      case 'R': out += strftime(ms, '%H:%M'); break;
      case 's': out += String(Math.floor(ms / 1000)); break;
      case 'S': out += pad(S, 2, '0', flag); break;
      case 't': out += '\t'; break;
      case 'T': out += strftime(ms, '%H:%M:%S'); break;
      case 'u': out += String(wd === 0 ? 7 : wd); break;
      case 'w': out += String(wd); break;
      case 'y': out += pad(Y % 100, 2, '0', flag); break;
      case 'Y': out += String(Y); break;
      case 'z': out += '+0000'; break;
      case 'Z': out += 'UTC'; break;
      case '%': out += '%'; break;
      default: out += '%' + flag + k;
    }
  }
  return out;
}

/** date(1)'s default output in the C locale: `Sat Nov 22 04:23:00 UTC 2025`. */
export function dateDefault(ms: number): string {
  return strftime(ms, '%a %b %e %H:%M:%S %Z %Y');
}

/**
 * procps uptime(1): ` 03:12:01 up 12 days,  3:04,  1 user,  load average: 0.08, 0.03, 0.01`.
 * Same arithmetic as procps' sprint_uptime.
 */
export function uptimeLine(nowMs: number, bootedAt: number, load: [number, number, number], users = 1): string {
  const secs = Math.max(0, Math.floor((nowMs - bootedAt) / 1000));
  const days = Math.floor(secs / 86_400);
  const totalMin = Math.floor(secs / 60);
  const hours = Math.floor(totalMin / 60) % 24;
  const mins = totalMin % 60;
  let s = ` ${strftime(nowMs, '%H:%M:%S')} up `;
  if (days) s += `${days} ${days !== 1 ? 'days' : 'day'}, `;
  s += hours ? `${String(hours).padStart(2, ' ')}:${String(mins).padStart(2, '0')}, ` : `${mins} min, `;
  s += `${String(users).padStart(2, ' ')} ${users !== 1 ? 'users' : 'user'}, `;
  s += ` load average: ${load.map((l) => l.toFixed(2)).join(', ')}`;
  return s;
}

/** `uptime -p`: `up 12 days, 3 hours, 4 minutes`. */
export function uptimePretty(nowMs: number, bootedAt: number): string {
  const secs = Math.max(0, Math.floor((nowMs - bootedAt) / 1000));
  const weeks = Math.floor(secs / 604_800);
  const days = Math.floor(secs / 86_400) % 7;
  const hours = Math.floor(secs / 3600) % 24;
  const mins = Math.floor(secs / 60) % 60;
  const parts: string[] = [];
  const add = (n: number, unit: string): void => {
    if (n) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  };
  add(weeks, 'week');
  add(days, 'day');
  add(hours, 'hour');
  if (mins || parts.length === 0) parts.push(`${mins} minute${mins === 1 ? '' : 's'}`);
  return `up ${parts.join(', ')}`;
}
