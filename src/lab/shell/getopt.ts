/** GNU-style option parsing for lab commands: clustered short flags, values, `--`, long names. */

export interface ParsedOpts {
  /** Flags seen (by their short letter, or the long name when it has none). */
  flags: Set<string>;
  /** Values of options that take one, in order (`-e a -e b`). */
  values: Map<string, string[]>;
  operands: string[];
}

export interface OptSpec {
  /** Short flags without a value: `'qvciEFon'`. */
  flags?: string;
  /** Short options that take a value: `'en'`. */
  withValue?: string;
  /** Long name → short letter (or its own name); a trailing `=` means it takes a value. */
  long?: Record<string, string>;
}

/**
 * Parse `args` (argv without the command name). Options may follow operands, like GNU tools.
 * Returns a message in the GNU form (`invalid option -- 'x'`) when an option is unknown.
 */
export function getopt(args: string[], spec: OptSpec): ParsedOpts | { error: string } {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const shortFlags = spec.flags ?? '';
  const shortValues = spec.withValue ?? '';
  const addValue = (k: string, v: string): void => {
    values.set(k, [...(values.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const longs = spec.long ?? {};
      const key = Object.hasOwn(longs, name + '=') ? name + '=' : Object.hasOwn(longs, name) ? name : undefined;
      if (key === undefined) return { error: `unrecognized option '${a}'` };
      const target = longs[key];
      if (key.endsWith('=')) {
        let v: string | undefined = eq < 0 ? args[++i] : a.slice(eq + 1);
        if (v === undefined) return { error: `option '--${name}' requires an argument` };
        addValue(target, v);
      } else {
        if (eq >= 0) return { error: `option '--${name}' doesn't allow an argument` };
        flags.add(target);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (shortValues.includes(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return { error: `option requires an argument -- '${c}'` };
          addValue(c, v);
          break;
        }
        if (!shortFlags.includes(c)) return { error: `invalid option -- '${c}'` };
        flags.add(c);
      }
      continue;
    }
    operands.push(a);
  }
  return { flags, values, operands };
}
