/** A machine's `ssh:` (string, alias or mapping) + defaults + ~/.ssh/config → SshEndpoint. */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { SshEndpoint } from '../model/fleet.js';
import { HOST_HINT, isValidHost, parseSshTarget } from './addresses.js';
import type { RawInventory, RawSsh } from './schema.js';
import { SSH_FORMS } from './schema.js';
import { expandHome, type SshConfigFile } from './sshConfig.js';

export interface EndpointEnv {
  /** Directory of the inventory file: relative paths start here. */
  dir: string;
  home: string;
  sshConfig: SshConfigFile;
  defaults: NonNullable<RawInventory['defaults']> | undefined;
  machineNames: ReadonlySet<string>;
}

/** A problem about the endpoint: `field` is the path under the machine's `ssh` (empty: the value itself). */
export interface EndpointIssue {
  field: (string | number)[];
  message: string;
}

const list = (v: string | string[] | null | undefined): string[] | undefined => (v == null ? undefined : Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter(Boolean));

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'root';
  }
}

const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);

/**
 * Resolve `value` (the machine's ssh:, or its name when ssh: is absent and the name is an alias).
 * Returns undefined with issues when it cannot be dialled as written.
 */
export function resolveEndpoint(value: string | RawSsh, env: EndpointEnv, issues: EndpointIssue[]): SshEndpoint | undefined {
  const path = (p: string) => resolve(env.dir, expandHome(p, env.home));
  let target: { user?: string; host: string; port?: number };
  let identity: string | undefined;
  let jump: string[] | undefined;
  let knownHosts: string[] = [];
  if (typeof value === 'string') {
    const t = parseSshTarget(value);
    if ('error' in t) {
      issues.push({ field: [], message: `ssh '${value}' ${t.error}${t.form ? ` (expected ${SSH_FORMS})` : ''}` });
      return undefined;
    }
    target = t;
  } else {
    target = { host: value.host, user: value.user ?? undefined, port: value.port ?? undefined };
    identity = value.identity_file ?? undefined;
    jump = list(value.jump);
    knownHosts = (list(value.known_hosts) ?? []).map(path);
  }
  const hostField = typeof value === 'string' ? [] : ['host'];
  const found = env.sshConfig.lookup(target.host);
  const { specific, generic } = found;
  const hostName = specific.hostName ?? target.host;
  if (!isValidHost(hostName)) {
    issues.push({
      field: hostField,
      message: found.isAlias
        ? `ssh alias '${target.host}' has HostName '${hostName}' in ${env.sshConfig.path}, which is not ${HOST_HINT}`
        : `ssh host '${target.host}' is neither ${HOST_HINT} nor a Host alias in ${env.sshConfig.path}`,
    });
    return undefined;
  }
  const d = env.defaults?.ssh;
  const identityFiles = [
    ...(identity ? [path(identity)] : []),
    ...specific.identityFiles,
    ...(d?.identity_file ? [path(d.identity_file)] : []),
    ...(env.defaults?.identity_file ? [path(env.defaults.identity_file)] : []),
    ...generic.identityFiles,
  ];
  const jumps = jump ?? specific.jump ?? list(d?.jump) ?? generic.jump ?? [];
  const resolvedJumps: string[] = [];
  for (const j of jumps) {
    if (env.machineNames.has(j)) {
      resolvedJumps.push(j);
      continue;
    }
    const t = parseSshTarget(j);
    if ('error' in t) {
      issues.push({ field: typeof value === 'string' ? [] : ['jump'], message: `jump host '${j}' ${t.error}${t.form ? ' (expected a machine name, an ~/.ssh/config alias or user@host:port)' : ''}` });
      continue;
    }
    const via = env.sshConfig.lookup(t.host);
    const h = via.specific.hostName ?? t.host;
    if (!isValidHost(h)) {
      issues.push({ field: typeof value === 'string' ? [] : ['jump'], message: `jump host '${j}' is neither a machine in this inventory, ${HOST_HINT}, nor a Host alias in ${env.sshConfig.path}` });
      continue;
    }
    if (!via.isAlias) {
      resolvedJumps.push(j);
      continue;
    }
    const u = t.user ?? via.specific.user ?? via.generic.user;
    const p = t.port ?? via.specific.port ?? via.generic.port ?? 22;
    resolvedJumps.push(`${u ? `${u}@` : ''}${bracket(h)}:${p}`);
  }
  return {
    host: hostName,
    port: target.port ?? specific.port ?? d?.port ?? generic.port ?? 22,
    user: target.user ?? specific.user ?? d?.user ?? generic.user ?? localUser(),
    ...(found.isAlias ? { alias: target.host } : {}),
    identityFiles: [...new Set(identityFiles)],
    jump: resolvedJumps,
    knownHosts: [...new Set([...knownHosts, ...(list(env.defaults?.known_hosts) ?? []).map(path), ...specific.knownHosts, ...generic.knownHosts])],
  };
}
