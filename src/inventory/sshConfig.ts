/**
 * ~/.ssh/config through the `ssh-config` package: which settings apply to a host name, split
 * into those a specific `Host` pattern gives (an alias) and the catch-all ones (`Host *`).
 * `Include` lines are expanded here because the package leaves them alone.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshConfigHit {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  /** ProxyJump split on commas; [] for `ProxyJump none`; undefined when unset. */
  jump?: string[];
  knownHosts: string[];
}

export interface SshConfigLookup {
  /** Settings from patterns matching this name but not every name (the alias's own block). */
  specific: SshConfigHit;
  /** Settings every host gets (`Host *`). */
  generic: SshConfigHit;
  /** True when a specific block matched: the name is an alias. */
  isAlias: boolean;
}

export interface SshConfigFile {
  path: string;
  lookup(name: string): SshConfigLookup;
}

export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

/** OpenSSH percent tokens we can know: %d home, %h host, %r remote user, %u local user, %%. */
function tokens(p: string, home: string, host: string, user: string | undefined): string {
  return p.replace(/%([dhru%])/g, (m, t: string) =>
    t === 'd' ? home : t === 'h' ? host : t === 'r' ? (user ?? m) : t === 'u' ? (process.env.USER ?? m) : '%',
  );
}

function globFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const re = new RegExp('^' + base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  try {
    return readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Config text with `Include` lines replaced by the files they name (depth-bounded). */
function readWithIncludes(path: string, home: string, depth = 0): string {
  let text: string;
  try {
    if (!statSync(path).isFile()) return '';
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  if (depth >= 8) return text;
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s*include\s*[= ]\s*(.+?)\s*$/i.exec(line);
      if (!m) return line;
      return m[1]
        .split(/\s+/)
        .map((p) => p.replace(/^"(.*)"$/, '$1'))
        .flatMap((p) => {
          const abs = expandHome(p, home);
          return globFiles(isAbsolute(abs) ? abs : join(home, '.ssh', abs));
        })
        .map((f) => readWithIncludes(f, home, depth + 1))
        .join('\n');
    })
    .join('\n');
}

const NOBODY = 'baie-no-such-host.invalid';

function hit(c: Record<string, string | string[]>, home: string, host: string): SshConfigHit {
  const one = (k: string) => (Array.isArray(c[k]) ? (c[k] as string[])[0] : (c[k] as string | undefined));
  const many = (k: string) => (c[k] === undefined ? [] : Array.isArray(c[k]) ? (c[k] as string[]) : (c[k] as string).split(/\s+/));
  const user = one('user');
  const hostName = one('hostname');
  const portText = one('port');
  const jumpText = one('proxyjump');
  return {
    hostName: hostName ? tokens(hostName, home, host, user) : undefined,
    user,
    port: portText && /^\d+$/.test(portText) ? Number(portText) : undefined,
    identityFiles: many('identityfile').map((f) => expandHome(tokens(f, home, host, user), home)),
    jump: jumpText === undefined ? undefined : jumpText.toLowerCase() === 'none' ? [] : jumpText.split(',').map((s) => s.trim()).filter(Boolean),
    knownHosts: many('userknownhostsfile').map((f) => expandHome(tokens(f, home, host, user), home)),
  };
}

/** Settings in `a` that `b` does not give the same way. */
function minus(a: SshConfigHit, b: SshConfigHit): SshConfigHit {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return {
    hostName: same(a.hostName, b.hostName) ? undefined : a.hostName,
    user: same(a.user, b.user) ? undefined : a.user,
    port: same(a.port, b.port) ? undefined : a.port,
    identityFiles: a.identityFiles.filter((f) => !b.identityFiles.includes(f)),
    jump: same(a.jump, b.jump) ? undefined : a.jump,
    knownHosts: a.knownHosts.filter((f) => !b.knownHosts.includes(f)),
  };
}

export function loadSshConfig(path: string, home: string): SshConfigFile {
  const config = SSHConfig.parse(readWithIncludes(path, home));
  const compute = (name: string) => {
    try {
      return config.compute(name, { ignoreCase: true, matchExec: false });
    } catch {
      return {};
    }
  };
  const genericRaw = compute(NOBODY);
  return {
    path,
    lookup(name: string): SshConfigLookup {
      const generic = hit(genericRaw, home, name);
      const all = hit(compute(name), home, name);
      const specific = minus(all, generic);
      const isAlias =
        specific.hostName !== undefined || specific.user !== undefined || specific.port !== undefined || specific.jump !== undefined || specific.identityFiles.length > 0;
      return { specific, generic, isAlias };
    },
  };
}
