/**
 * User settings, written through `conf` (validated against the schema below). Reading them is a
 * plain JSON read of conf's file, so no command pays for importing conf just to start.
 * Flags override settings; settings override these defaults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { configDir } from './paths.js';

export interface Settings {
  inventory: string;
  runbookDirs: string[];
  operator: string;
  readOnly: boolean;
  refreshSeconds: number;
  ascii: boolean;
}

export const DEFAULTS: Settings = {
  inventory: '',
  runbookDirs: [],
  operator: '',
  readOnly: false,
  refreshSeconds: 10,
  ascii: false,
};

export const SETTING_HELP: Record<keyof Settings, string> = {
  inventory: 'inventory YAML path (empty: the built-in lab)',
  runbookDirs: 'extra runbook directories, comma-separated',
  operator: 'your name in journals and locks (default: $USER)',
  readOnly: 'start read-only (true/false)',
  refreshSeconds: 'seconds between probe rounds',
  ascii: 'ASCII drawing only (true/false)',
};

const schema = {
  inventory: { type: 'string' },
  runbookDirs: { type: 'array', items: { type: 'string' } },
  operator: { type: 'string' },
  readOnly: { type: 'boolean' },
  refreshSeconds: { type: 'number', minimum: 1, maximum: 3600 },
  ascii: { type: 'boolean' },
} as const;

let store: Conf<Settings> | undefined;

export async function settingsStore(): Promise<Conf<Settings>> {
  const { default: ConfClass } = await import('conf');
  store ??= new ConfClass<Settings>({ projectName: 'baie', projectSuffix: '', cwd: configDir(), defaults: DEFAULTS, schema: schema as never });
  return store;
}

/** Where conf keeps the settings (its default file name in our config dir). */
export function settingsPath(): string {
  return join(configDir(), 'config.json');
}

export function isSettingKey(k: string): k is keyof Settings {
  return Object.hasOwn(DEFAULTS, k);
}

/** Parse a user-typed value for a setting key; throws Error with a one-line message. */
export function parseSettingValue(key: keyof Settings, raw: string): Settings[keyof Settings] {
  const def = DEFAULTS[key];
  if (typeof def === 'boolean') {
    if (!/^(true|false|yes|no|1|0|on|off)$/i.test(raw)) throw new Error(`${key} takes true or false, not '${raw}'`);
    return /^(true|yes|1|on)$/i.test(raw);
  }
  if (typeof def === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 1 || n > 3600) throw new Error(`${key} takes a number of seconds from 1 to 3600, not '${raw}'`);
    return n;
  }
  if (Array.isArray(def)) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  return raw;
}

export function loadSettings(): Settings {
  let text: string;
  try {
    text = readFileSync(settingsPath(), 'utf8');
  } catch {
    return { ...DEFAULTS };
  }
  try {
    const v = JSON.parse(text) as Partial<Settings>;
    const out = { ...DEFAULTS };
    for (const k of Object.keys(DEFAULTS) as (keyof Settings)[]) if (v[k] !== undefined && typeof v[k] === typeof DEFAULTS[k]) (out as Record<string, unknown>)[k] = v[k];
    return out;
  } catch (e) {
    throw new Error(`settings file ${settingsPath()} is unreadable: ${(e as Error).message.split('\n')[0]} (fix it or delete it)`);
  }
}

export function operatorName(s: Settings = loadSettings()): string {
  return s.operator || process.env.BAIE_OPERATOR || process.env.USER || process.env.LOGNAME || 'root';
}
