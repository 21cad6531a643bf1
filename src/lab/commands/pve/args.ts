/**
 * Option parsing as the PVE CLI (Getopt::Long) accepts it: `--opt value`, `-opt value`,
 * `--opt=value`; boolean options take an optional 0/1 value.
 */

export interface ParsedArgs {
  pos: string[];
  opts: Record<string, string>;
}

export class PveUsageError extends Error {}

const BOOL_VALUE = /^(0|1|true|false|yes|no|on|off)$/i;

export function parseArgs(args: string[], spec: { bool?: string[]; str?: string[] }): ParsedArgs {
  const bools = new Set(spec.bool ?? []);
  const strs = new Set(spec.str ?? []);
  const pos: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!/^--?[a-zA-Z]/.test(a)) {
      pos.push(a);
      continue;
    }
    let name = a.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    // PVE accepts both spellings of multi-word options.
    const alt = name.replace(/_/g, '-');
    if (!bools.has(name) && !strs.has(name) && (bools.has(alt) || strs.has(alt))) name = alt;
    if (bools.has(name)) {
      if (value === undefined && i + 1 < args.length && BOOL_VALUE.test(args[i + 1])) value = args[++i];
      opts[name] = value === undefined ? '1' : /^(1|true|yes|on)$/i.test(value) ? '1' : '0';
    } else if (strs.has(name)) {
      if (value === undefined) {
        if (i + 1 >= args.length) throw new PveUsageError(`Option ${name} requires an argument`);
        value = args[++i];
      }
      opts[name] = value;
    } else {
      throw new PveUsageError(`Unknown option: ${name}`);
    }
  }
  return { pos, opts };
}

export function isTrue(v: string | undefined): boolean {
  return v === '1';
}
