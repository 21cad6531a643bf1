/** Turn `-p k=v` strings into typed, validated values. Secrets come only from env or a mode-600 file. */
import { readFileSync, statSync } from 'node:fs';
import type { Fleet } from '../model/fleet.js';
import { hasRole } from '../model/fleet.js';
import { parseDuration } from '../model/duration.js';
import type { Runbook } from './schema.js';
import type { Value } from './template.js';

export interface ResolvedParams {
  values: Record<string, Value>;
  /** Names whose values must never be written anywhere. */
  secrets: Set<string>;
  problems: string[];
}

export function parseParamArgs(args: string[] | undefined): { given: Record<string, string>; problems: string[] } {
  const given: Record<string, string> = {};
  const problems: string[] = [];
  for (const a of args ?? []) {
    const i = a.indexOf('=');
    if (i <= 0) problems.push(`-p ${a}: expected NAME=VALUE`);
    else given[a.slice(0, i)] = a.slice(i + 1);
  }
  return { given, problems };
}

export function resolveParams(rb: Runbook, given: Record<string, string>, fleet: Fleet, env: NodeJS.ProcessEnv = process.env): ResolvedParams {
  const values: Record<string, Value> = {};
  const secrets = new Set<string>();
  const problems: string[] = [];
  const params = rb.params ?? {};
  for (const k of Object.keys(given)) if (!Object.hasOwn(params, k)) problems.push(`unknown parameter '${k}' (known: ${Object.keys(params).join(', ') || 'none'})`);
  for (const [name, p] of Object.entries(params)) {
    if (p.type === 'secret') {
      secrets.add(name);
      if (Object.hasOwn(given, name)) {
        problems.push(`parameter '${name}' is a secret: it comes from ${p.env ? `$${p.env}` : p.file}, never from the command line`);
        continue;
      }
      const v = readSecret(name, p.env, p.file, env);
      if (typeof v === 'string') values[name] = v;
      else if (p.required !== false) problems.push(v.problem);
      continue;
    }
    const raw = given[name] ?? (p.default !== undefined ? (Array.isArray(p.default) ? p.default.join(',') : String(p.default)) : undefined);
    if (raw === undefined) {
      if (p.required !== false) problems.push(`missing parameter '${name}' (${describeParam(p)})${p.doc ? `: ${p.doc.trim().split('\n')[0]}` : ''}`);
      continue;
    }
    switch (p.type) {
      case 'host':
      case 'hosts': {
        const names = p.type === 'host' ? [raw] : raw.split(',').map((s) => s.trim()).filter(Boolean);
        if (p.type === 'host' && raw.includes(',')) problems.push(`parameter '${name}' takes one machine, not '${raw}'`);
        for (const n of names) {
          const m = fleet.machines.find((x) => x.name === n);
          if (!m) problems.push(`parameter '${name}': unknown machine '${n}'`);
          else if (p.role && !hasRole(m, p.role)) problems.push(`parameter '${name}': ${n} does not have role '${p.role}' (its roles: ${m.roles.join(', ') || 'none'})`);
        }
        values[name] = p.type === 'host' ? raw : names;
        break;
      }
      case 'string':
        if (p.pattern && !new RegExp(p.pattern).test(raw)) problems.push(`parameter '${name}': '${raw}' does not match ${p.pattern}`);
        values[name] = raw;
        break;
      case 'int': {
        const n = Number(raw);
        if (!Number.isInteger(n)) problems.push(`parameter '${name}': '${raw}' is not a whole number`);
        else if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) problems.push(`parameter '${name}': ${n} is outside ${p.min ?? '-∞'}..${p.max ?? '∞'}`);
        values[name] = n;
        break;
      }
      case 'enum':
        if (!p.values.includes(raw)) problems.push(`parameter '${name}': '${raw}' is not one of: ${p.values.join(', ')}`);
        values[name] = raw;
        break;
      case 'duration':
        if (parseDuration(raw) === undefined) problems.push(`parameter '${name}': '${raw}' is not a duration like 30s, 15m, 1h`);
        values[name] = raw;
        break;
    }
  }
  for (const [k, v] of Object.entries(rb.vars ?? {})) values[k] = typeof v === 'number' ? v : v.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_m, n: string) => String(values[n] ?? ''));
  return { values, secrets, problems };
}

function describeParam(p: Runbook['params'] extends Record<string, infer P> | undefined ? P : never): string {
  switch (p.type) {
    case 'host':
      return `a machine${p.role && p.role !== 'any' ? ` with role ${p.role}` : ''}`;
    case 'hosts':
      return `machines, comma-separated${p.role && p.role !== 'any' ? `, role ${p.role}` : ''}`;
    case 'string':
      return p.pattern ? `text matching ${p.pattern}` : 'text';
    case 'int':
      return 'a whole number';
    case 'enum':
      return `one of ${p.values.join('|')}`;
    case 'duration':
      return 'a duration';
    case 'secret':
      return 'a secret';
  }
}

export function readSecret(name: string, envName: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): string | { problem: string } {
  if (envName && env[envName] !== undefined && env[envName] !== '') return env[envName]!;
  if (file) {
    try {
      const st = statSync(file);
      if ((st.mode & 0o077) !== 0) return { problem: `secret '${name}': ${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it` };
      return readFileSync(file, 'utf8').split('\n')[0];
    } catch (e) {
      return { problem: `secret '${name}': cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }
  return { problem: `secret '${name}': set $${envName ?? '?'}${file ? ` or create ${file} (mode 600)` : ''}` };
}
