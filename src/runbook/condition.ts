/**
 * `if:` — a condition evaluated locally on the run's values (captures, answers, params), with no
 * machine involved: `{{matched}} == panic`, `{{flavor}} != mysql`, `{{degraded}}` (non-empty),
 * `not {{degraded}}`. Rendered as text first; comparisons are on trimmed strings. Pure.
 */
export function evalCondition(rendered: string): boolean {
  const s = rendered.trim();
  const neg = /^not\s+(.*)$/i.exec(s);
  if (neg) return !evalCondition(neg[1]);
  const cmp = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(s);
  if (cmp) {
    const [a, op, b] = [cmp[1].trim(), cmp[2], cmp[3].trim()];
    return op === '==' ? a === b : a !== b;
  }
  return s !== '' && s !== 'false' && s !== '0';
}
