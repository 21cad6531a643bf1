/**
 * Ansible inventories (INI or YAML) → inventory.yaml text. Groups become roles; ansible_host,
 * ansible_user, ansible_port (and the older ansible_ssh_* names), the private key file and a
 * ProxyJump in ansible_ssh_common_args become ssh:. Everything lands in site `default`, rack
 * `unplaced`, one U per machine in file order, for the user to place. Pure.
 */
import { Document, isMap, parse as parseYaml } from 'yaml';

export interface AnsibleGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

export interface AnsibleInventory {
  /** Host name → its own vars, in first-seen order. */
  hosts: Map<string, Record<string, unknown>>;
  groups: Map<string, AnsibleGroup>;
}

export class AnsibleParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_EXPANSION = 100_000;

/** `web[01:03].example.org` → web01…web03; `db-[a:c]`; `[1:10:2]`. Leading zeros keep their width. */
export function expandHostPattern(pattern: string): string[] {
  const m = /\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\]/.exec(pattern);
  if (!m) return [pattern];
  const [whole, from, to, stepText] = m;
  const step = stepText ? Number(stepText) : 1;
  if (step < 1) throw new Error(`bad range step in '${pattern}'`);
  const head = pattern.slice(0, m.index);
  const tail = pattern.slice(m.index + whole.length);
  const items: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const a = Number(from);
    const b = Number(to);
    if (b < a) throw new Error(`range [${from}:${to}] in '${pattern}' goes backwards`);
    const width = from.startsWith('0') ? from.length : 0;
    for (let i = a; i <= b && items.length <= MAX_EXPANSION; i += step) items.push(String(i).padStart(width, '0'));
  } else if (/^[a-z]$/i.test(from) && /^[a-z]$/i.test(to)) {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c += step) items.push(String.fromCharCode(c));
  } else {
    throw new Error(`range [${from}:${to}] in '${pattern}' must be numbers like [01:20] or letters like [a:f]`);
  }
  if (items.length > MAX_EXPANSION) throw new Error(`range in '${pattern}' is too large`);
  return items.flatMap((i) => expandHostPattern(head + i + tail));
}

/** `host:2222` (colon outside any [range]) → host and port var. */
function splitPort(pattern: string): { pattern: string; port?: number } {
  const m = /^(.*[^:]):(\d+)$/.exec(pattern);
  if (!m || m[1].lastIndexOf(']') < m[1].lastIndexOf('[') || /\[[^\]]*$/.test(m[1])) return { pattern };
  return { pattern: m[1], port: Number(m[2]) };
}

/** Split `a=1 b="two words" c='x'` respecting quotes. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g;
  for (const m of line.matchAll(re)) out.push(m[0]);
  return out;
}

function unquote(v: string): string {
  if (/^"(.*)"$/s.test(v)) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^'(.*)'$/s.test(v)) return v.slice(1, -1);
  return v;
}

function scalar(v: string): unknown {
  const u = unquote(v);
  if (u === v && /^-?\d+$/.test(v)) return Number(v);
  return u;
}

function group(inv: AnsibleInventory, name: string): AnsibleGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {} };
    inv.groups.set(name, g);
  }
  return g;
}

function addHost(inv: AnsibleInventory, groupName: string, pattern: string, vars: Record<string, unknown>): void {
  const { pattern: p, port } = splitPort(pattern);
  for (const h of expandHostPattern(p)) {
    const own = inv.hosts.get(h) ?? {};
    Object.assign(own, vars, port !== undefined ? { ansible_port: port } : {});
    inv.hosts.set(h, own);
    const g = group(inv, groupName);
    if (!g.hosts.includes(h)) g.hosts.push(h);
  }
}

export function parseAnsibleIni(text: string): AnsibleInventory {
  const inv: AnsibleInventory = { hosts: new Map(), groups: new Map() };
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const head = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (line.startsWith('[') && !head && !/^\[[^\]]*\]\S/.test(line)) {
      throw new AnsibleParseError(i + 1, `bad section header '${line}' (expected [group], [group:vars] or [group:children])`);
    }
    if (head) {
      section = head[1].trim();
      kind = (head[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      group(inv, section);
      return;
    }
    try {
      if (kind === 'children') {
        const child = line.split(/\s+/)[0];
        group(inv, child);
        const g = group(inv, section);
        if (!g.children.includes(child)) g.children.push(child);
      } else if (kind === 'vars') {
        const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
        if (!m) throw new Error(`expected key=value in [${section}:vars], got '${line}'`);
        group(inv, section).vars[m[1]] = scalar(m[2].trim());
      } else {
        const [pattern, ...rest] = tokens(line.replace(/\s+#.*$/, ''));
        const vars: Record<string, unknown> = {};
        for (const t of rest) {
          const eq = t.indexOf('=');
          if (eq <= 0) throw new Error(`expected key=value after host '${pattern}', got '${t}'`);
          vars[t.slice(0, eq)] = scalar(t.slice(eq + 1));
        }
        addHost(inv, section, pattern, vars);
      }
    } catch (e) {
      if (e instanceof AnsibleParseError) throw e;
      throw new AnsibleParseError(i + 1, (e as Error).message);
    }
  });
  return inv;
}

export function parseAnsibleYaml(text: string): AnsibleInventory {
  const inv: AnsibleInventory = { hosts: new Map(), groups: new Map() };
  const data = parseYaml(text) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new AnsibleParseError(1, 'expected a mapping of groups, like all: {children: {web: {hosts: {web1: null}}}}');
  const walk = (name: string, body: unknown, depth: number): void => {
    if (depth > 32) throw new AnsibleParseError(1, `groups nest too deep at '${name}'`);
    const g = group(inv, name);
    if (body === null || body === undefined) return;
    if (typeof body !== 'object' || Array.isArray(body)) throw new AnsibleParseError(1, `group '${name}' must be a mapping with hosts:, children: or vars:`);
    const b = body as { hosts?: unknown; children?: unknown; vars?: unknown };
    for (const [h, vars] of Object.entries((b.hosts as Record<string, unknown> | null) ?? {})) {
      try {
        addHost(inv, name, h, vars && typeof vars === 'object' ? (vars as Record<string, unknown>) : {});
      } catch (e) {
        throw new AnsibleParseError(1, (e as Error).message);
      }
    }
    if (b.vars && typeof b.vars === 'object') Object.assign(g.vars, b.vars);
    for (const [child, cbody] of Object.entries((b.children as Record<string, unknown> | null) ?? {})) {
      if (!g.children.includes(child)) g.children.push(child);
      walk(child, cbody, depth + 1);
    }
  };
  for (const [name, body] of Object.entries(data)) walk(name, body, 0);
  return inv;
}

/** INI unless the text is clearly a YAML mapping (or the file name says .yml/.yaml). */
export function parseAnsibleInventory(text: string, fileName = ''): AnsibleInventory {
  if (/\.ya?ml$/i.test(fileName)) return parseAnsibleYaml(text);
  const first = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith('#') && !l.startsWith(';'));
  if (first && !first.startsWith('[') && /^[^=\s]+:\s*(#.*)?$/.test(first)) {
    try {
      if (isMap(new Document(parseYaml(text)).contents)) return parseAnsibleYaml(text);
    } catch {
      // not YAML: fall through to INI
    }
  }
  return parseAnsibleIni(text);
}

/** Groups containing `host`, directly first (file order), then their parents; never all/ungrouped. */
function groupsOf(inv: AnsibleInventory, host: string): string[] {
  const direct = [...inv.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  const out = [...direct];
  for (let i = 0; i < out.length && i < 1000; i++) {
    for (const g of inv.groups.values()) if (g.children.includes(out[i]) && !out.includes(g.name)) out.push(g.name);
  }
  return out.filter((g) => g !== 'all' && g !== 'ungrouped');
}

/** Depth below `all` (all = 0), for Ansible's variable precedence. */
function depthOf(inv: AnsibleInventory, name: string, seen = new Set<string>()): number {
  if (name === 'all' || seen.has(name)) return 0;
  seen.add(name);
  const parents = [...inv.groups.values()].filter((g) => g.children.includes(name));
  return 1 + Math.max(0, ...parents.map((p) => depthOf(inv, p.name, seen)));
}

/** all vars < parent group vars < child group vars < host vars. */
export function hostVars(inv: AnsibleInventory, host: string): Record<string, unknown> {
  const groups = groupsOf(inv, host)
    .map((g) => ({ g, d: depthOf(inv, g) }))
    .sort((a, b) => a.d - b.d || a.g.localeCompare(b.g));
  const out: Record<string, unknown> = { ...(inv.groups.get('all')?.vars ?? {}) };
  for (const { g } of groups) Object.assign(out, inv.groups.get(g)?.vars ?? {});
  return Object.assign(out, inv.hosts.get(host) ?? {});
}

const usable = (v: unknown): v is string | number => (typeof v === 'string' && v !== '' && !v.includes('{{')) || typeof v === 'number';

export function ansibleToInventoryYaml(inv: AnsibleInventory, source: string): string {
  const names = [...inv.hosts.keys()];
  const perRack = 100;
  const rackNames = names.length <= perRack ? ['unplaced'] : Array.from({ length: Math.ceil(names.length / perRack) }, (_, i) => `unplaced${i + 1}`);
  const racks: Record<string, { height: number }> = {};
  rackNames.forEach((r, i) => {
    const count = Math.min(perRack, names.length - i * perRack);
    racks[r] = { height: Math.max(42, count) };
  });
  const machines: Record<string, unknown> = {};
  names.forEach((name, i) => {
    const v = hostVars(inv, name);
    const host = v.ansible_host ?? v.ansible_ssh_host;
    const user = v.ansible_user ?? v.ansible_ssh_user ?? v.remote_user;
    const port = v.ansible_port ?? v.ansible_ssh_port;
    const key = v.ansible_ssh_private_key_file ?? v.ansible_private_key_file;
    const common = `${typeof v.ansible_ssh_common_args === 'string' ? v.ansible_ssh_common_args : ''} ${typeof v.ansible_ssh_extra_args === 'string' ? v.ansible_ssh_extra_args : ''}`;
    const jump = /(?:-J\s*|ProxyJump[= ])\s*([^\s'"]+)/.exec(common)?.[1];
    const ssh: Record<string, unknown> = { host: usable(host) ? String(host) : name };
    if (usable(port) && /^\d+$/.test(String(port))) ssh.port = Number(port);
    if (usable(user)) ssh.user = String(user);
    if (usable(key)) ssh.identity_file = String(key);
    if (jump) ssh.jump = jump.split(',');
    const roles = groupsOf(inv, name);
    machines[name] = { site: 'default', rack: rackNames[Math.floor(i / perRack)], u: (i % perRack) + 1, roles, ssh };
  });
  const doc = new Document({ sites: { default: { description: `imported from ${source}`, racks } }, machines });
  const ms = doc.get('machines', true);
  if (isMap(ms)) {
    for (const pair of ms.items) {
      const m = pair.value;
      if (!isMap(m)) continue;
      for (const k of ['roles', 'ssh']) {
        const n = m.get(k, true) as { flow?: boolean } | undefined;
        if (n) n.flow = true;
      }
    }
  }
  const header = [
    `# Imported from the Ansible inventory ${source} by \`baie inventory import-ansible\`.`,
    '# Every machine was put in site `default`, rack `unplaced`, 1U each, in file order.',
    '# TODO: fill in the real sites, racks (height in U), each machine\'s u and height,',
    '# then run `baie check --inventory THIS_FILE`.',
  ].join('\n');
  return `${header}\n${doc.toString({ lineWidth: 0 })}`;
}
