/** Where baie keeps its files. env-paths has no state dir, so XDG_STATE_HOME is computed here. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';

const paths = envPaths('baie', { suffix: '' });

export function stateDir(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'baie');
}

export function configDir(): string {
  return process.env.BAIE_CONFIG_DIR || paths.config;
}

export const journalsDir = (): string => join(stateDir(), 'runs');
export const recordingsDir = (): string => join(stateDir(), 'recordings');
export const defaultLabDir = (): string => join(stateDir(), 'lab');
