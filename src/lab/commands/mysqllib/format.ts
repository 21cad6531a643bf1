/** Result sets printed as the mysql client does: tab-separated (batch), boxed (-t), vertical (\G, -E). */

export type Cell = string | number | null;

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

function cellText(c: Cell): string {
  return c === null ? 'NULL' : String(c);
}

function escapeTab(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\0/g, '\\0');
}

export function formatBatch(rs: ResultSet, headers: boolean, raw = false): string {
  if (rs.rows.length === 0) return '';
  const esc = raw ? (s: string) => s : escapeTab;
  const lines: string[] = [];
  if (headers) lines.push(rs.columns.map(esc).join('\t'));
  for (const r of rs.rows) lines.push(r.map((c) => esc(cellText(c))).join('\t'));
  return lines.join('\n') + '\n';
}

export function formatTable(rs: ResultSet, headers: boolean): string {
  if (rs.rows.length === 0) return '';
  const widths = rs.columns.map((c, i) => Math.max(headers ? c.length : 0, ...rs.rows.map((r) => cellText(r[i]).length)));
  const bar = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const row = (cells: string[], numeric: boolean[]) =>
    '| ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  const lines = [bar];
  if (headers) lines.push(row(rs.columns, rs.columns.map(() => false)), bar);
  for (const r of rs.rows) lines.push(row(r.map(cellText), r.map((c) => typeof c === 'number')));
  lines.push(bar);
  return lines.join('\n') + '\n';
}

export function formatVertical(rs: ResultSet): string {
  const w = Math.max(0, ...rs.columns.map((c) => c.length));
  const out: string[] = [];
  rs.rows.forEach((r, n) => {
    out.push(`*************************** ${n + 1}. row ***************************`);
    rs.columns.forEach((c, i) => out.push(`${c.padStart(w)}: ${cellText(r[i])}`));
  });
  return out.length ? out.join('\n') + '\n' : '';
}
