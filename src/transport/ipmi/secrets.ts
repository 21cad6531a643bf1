/**
 * BMC passwords from their SecretSource, never through argv: an environment variable, or a file
 * only its owner can read (mode 600 or stricter). ipmitool gets the password as
 * `IPMITOOL_PASSWORD` in its environment (`-E`) or reads the file itself (`-f FILE`).
 */
import { readFile, stat } from 'node:fs/promises';
import type { Bmc, SecretSource } from '../../model/fleet.js';
import { BmcError } from './errors.js';

export type Env = Record<string, string | undefined>;

/** Throws a one-line BmcError('secret') unless `file` is a regular file that only its owner can read. */
export async function checkSecretFile(file: string, machine: string, label: string): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BmcError('secret', machine, label, `BMC password file ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`}`);
  }
  if (!st.isFile()) throw new BmcError('secret', machine, label, `BMC password file ${file} is not a regular file`);
  const mode = st.mode & 0o777;
  if (mode & 0o077) {
    throw new BmcError('secret', machine, label, `BMC password file ${file} is readable by others (mode ${mode.toString(8)}): run chmod 600 ${file}`);
  }
}

function missing(machine: string, label: string): BmcError {
  return new BmcError('secret', machine, label, 'no BMC password configured (give bmc.password as {env: VAR} or {file: PATH} in the inventory)');
}

/** The password itself (for the lab driver, or to pass through the environment). */
export async function readBmcPassword(source: SecretSource | undefined, machine: string, label: string, env: Env = process.env): Promise<string> {
  if (!source) throw missing(machine, label);
  if ('env' in source) {
    const v = env[source.env];
    if (v === undefined || v === '') throw new BmcError('secret', machine, label, `BMC password variable ${source.env} is not set`);
    return v;
  }
  await checkSecretFile(source.file, machine, label);
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (e) {
    throw new BmcError('secret', machine, label, `BMC password file ${source.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const first = text.split(/\r?\n/)[0] ?? '';
  if (!first) throw new BmcError('secret', machine, label, `BMC password file ${source.file} is empty`);
  return first;
}

/** How to hand the password to ipmitool: extra argv (never the secret) and extra environment. */
export interface IpmitoolAuth {
  args: string[];
  env: Record<string, string>;
}

/** `-E` with IPMITOOL_PASSWORD for an env source; `-f FILE` for a mode-600 file. */
export async function ipmitoolAuth(bmc: Bmc, machine: string, label: string, env: Env = process.env): Promise<IpmitoolAuth> {
  const src = bmc.password;
  if (!src) throw missing(machine, label);
  if ('file' in src) {
    await checkSecretFile(src.file, machine, label);
    return { args: ['-f', src.file], env: {} };
  }
  const pw = await readBmcPassword(src, machine, label, env);
  return { args: ['-E'], env: { IPMITOOL_PASSWORD: pw } };
}
