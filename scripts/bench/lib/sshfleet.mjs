/**
 * N real OpenSSH sshd targets on 127.0.1.x (16 listen addresses per sshd, the limit), one port,
 * one host key, a client key, known_hosts and an ssh_config for the peers, a clean HOME per address
 * (root's ~/.bashrc runs pyenv on these machines, which times out 200-way fan-outs).
 * Everything lives in one temporary directory; stop() ends only processes started here.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

const SSHD = '/usr/sbin/sshd';

export function sshdAvailable() {
  return existsSync(SSHD) && spawnSync('which', ['ssh', 'ssh-keygen']).status === 0;
}

async function freePort(host) {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.on('error', fail);
    s.listen(0, host, () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
  });
}

function canConnect(host, port) {
  return new Promise((ok) => {
    const s = net.connect({ host, port });
    const done = (v) => (s.destroy(), ok(v));
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** pid → ppid for every process, read from /proc. */
function processTable() {
  const t = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      t.set(Number(d), ppid);
    } catch {}
  }
  return t;
}

export function descendants(roots) {
  const t = processTable();
  const out = new Set();
  let frontier = [...roots];
  for (let depth = 0; depth < 10 && frontier.length; depth++) {
    const next = [];
    for (const [pid, ppid] of t) if (frontier.includes(ppid) && !out.has(pid)) (out.add(pid), next.push(pid));
    frontier = next;
  }
  return [...out];
}

/** Processes whose command line mentions `needle` (our unique temp dir): ssh control masters left by peers. */
export function pidsMentioning(needle) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) out.push(Number(d));
    } catch {}
  }
  return out;
}

function kill(pids, sig = 'SIGTERM') {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {}
  }
}

export async function startSshFleet(n, opts = {}) {
  if (n < 1 || n > 250) throw new Error('1..250 targets on 127.0.1.x');
  const dir = mkdtempSync(join(tmpdir(), 'baie-bench-ssh-'));
  const key = join(dir, 'id_ed25519');
  const hostKey = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench-client', '-f', key]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench-host', '-f', hostKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(key + '.pub'));
  const hostPub = readFileSync(hostKey + '.pub', 'utf8').trim().split(' ').slice(0, 2).join(' ');
  mkdirSync('/run/sshd', { recursive: true });
  const port = opts.port ?? (await freePort('127.0.1.1'));
  const hosts = Array.from({ length: n }, (_, i) => ({ name: `h${String(i + 1).padStart(3, '0')}`, host: `127.0.1.${i + 1}`, port }));
  writeFileSync(join(dir, 'known_hosts'), hosts.map((h) => `[${h.host}]:${port} ${hostPub}`).join('\n') + '\n');
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      'Host 127.0.1.*',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${key}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  ConnectTimeout 30',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const groups = [];
  for (let i = 0; i < hosts.length; i += 16) groups.push(hosts.slice(i, i + 16));
  const children = [];
  try {
    groups.forEach((g, gi) => {
      const conf = join(dir, `sshd-${gi}.conf`);
      const pidFile = join(dir, `sshd-${gi}.pid`);
      const lines = [
        `Port ${port}`,
        ...g.map((h) => `ListenAddress ${h.host}`),
        `HostKey ${hostKey}`,
        `PidFile ${pidFile}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'UsePAM no',
        'StrictModes no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'MaxStartups 1000',
        'MaxSessions 64',
        'UseDNS no',
        'LogLevel ERROR',
      ];
      for (const h of g) {
        const home = join(dir, 'homes', h.name);
        mkdirSync(home, { recursive: true });
        lines.push(`Match LocalAddress ${h.host}`, `  SetEnv HOME=${home}`);
      }
      writeFileSync(conf, lines.join('\n') + '\n');
      // -D: stays our child, so we reap it and know its pid without racing the PidFile
      const child = spawn(SSHD, ['-D', '-f', conf, '-E', join(dir, `sshd-${gi}.log`)], { stdio: 'ignore' });
      child.on('error', () => undefined);
      children.push(child);
    });
    // bounded wait until every address accepts connections
    const deadline = Date.now() + 15_000;
    for (const h of hosts) {
      while (!(await canConnect(h.host, port))) {
        if (Date.now() > deadline) throw new Error(`sshd on ${h.host}:${port} did not come up (see ${dir}/sshd-*.log)`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    await stopAll(children, dir);
    throw e;
  }
  let stopped = false;
  return {
    dir,
    port,
    hosts,
    key,
    knownHosts: join(dir, 'known_hosts'),
    sshConfig: join(dir, 'ssh_config'),
    listenerPids: () => children.map((c) => c.pid),
    async stop({ keep = false } = {}) {
      if (stopped) return;
      stopped = true;
      await stopAll(children, dir);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopAll(children, dir) {
  // clients left behind by peers (ssh ControlPersist masters) first, named by our temp dir
  kill(pidsMentioning(dir));
  const listeners = children.filter((c) => c.exitCode === null && c.signalCode === null);
  const sessions = descendants(listeners.map((c) => c.pid));
  const exited = Promise.all(listeners.map((c) => new Promise((ok) => c.once('exit', ok))));
  kill(listeners.map((c) => c.pid));
  kill(sessions);
  const timer = new Promise((ok) => setTimeout(ok, 3000, 'timeout'));
  if ((await Promise.race([exited, timer])) === 'timeout') kill(listeners.map((c) => c.pid), 'SIGKILL');
  for (let i = 0; i < 20; i++) {
    const alive = sessions.filter((p) => {
      try {
        return !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    });
    if (!alive.length) return;
    if (i === 15) kill(alive, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
}
