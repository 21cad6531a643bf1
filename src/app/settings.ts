/** User settings through `conf`. Flags override settings; settings override these defaults. */
import Conf from 'conf';
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

export function settingsStore(): Conf<Settings> {
  store ??= new Conf<Settings>({ projectName: 'baie', projectSuffix: '', cwd: configDir(), defaults: DEFAULTS, schema: schema as never });
  return store;
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
  try {
    return { ...DEFAULTS, ...settingsStore().store };
  } catch (e) {
    throw new Error(`settings file ${settingsStore().path} is unreadable: ${(e as Error).message}`);
  }
}

export function operatorName(s: Settings = loadSettings()): string {
  return s.operator || process.env.BAIE_OPERATOR || process.env.USER || process.env.LOGNAME || 'root';
}
