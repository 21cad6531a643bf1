/** seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST. */
import type { LabCommand } from '../types.js';
import { usageError } from './io.js';

export const seq: LabCommand = (ctx) => {
  const args = ctx.argv.slice(1);
  let sep = '\n';
  let equalWidth = false;
  const nums: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s') sep = args[++i] ?? '\n';
    else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
    else if (a === '-w') equalWidth = true;
    else nums.push(a);
  }
  if (nums.length === 0) return usageError(ctx, 'seq', 'missing operand');
  if (nums.length > 3) return usageError(ctx, 'seq', `extra operand '${nums[3]}'`);
  for (const n of nums) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(n)) return usageError(ctx, 'seq', `invalid floating point argument: '${n}'`);
  }
  const [first, step, last] = nums.length === 1 ? ['1', '1', nums[0]] : nums.length === 2 ? [nums[0], '1', nums[1]] : nums;
  const decimals = Math.max(...[first, step].map((n) => (n.includes('.') ? n.split('.')[1].length : 0)));
  const a = Number(first);
  const d = Number(step);
  const b = Number(last);
  if (d === 0) return usageError(ctx, 'seq', `invalid Zero increment value: '${step}'`);
  const values: string[] = [];
  // Bounded: a runaway range stops at a million lines.
  for (let k = 0; k < 1_000_000; k++) {
    const v = a + k * d;
    if (d > 0 ? v > b + 1e-9 : v < b - 1e-9) break;
    values.push(v.toFixed(decimals));
  }
  const width = equalWidth ? Math.max(0, ...values.map((v) => v.replace('-', '').length)) : 0;
  const shown = values.map((v) => (v.startsWith('-') ? '-' + v.slice(1).padStart(width, '0') : v.padStart(width, '0')));
  if (shown.length) ctx.out(shown.join(sep) + '\n');
  return 0;
};
