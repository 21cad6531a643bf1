#!/usr/bin/env -S npx zx
/**
 * Fan-out: one round over N real OpenSSH targets on 127.0.1.x, baie against the usual tools.
 *   npx zx scripts/bench/fanout.mjs [--sizes 50,200] [--repeat 3] [--no-sequential] [--out FILE]
 * Needs: sshd/ssh (openssh-server), and for the peers pssh, clustershell, ansible (apt); a missing
 * peer is skipped with a line. Build first: npx tsc -p tsconfig.json (baie runs from dist/).
 *
 * Each tool runs one command per target: peers `uptime`; baie its base probe (per machine
 * `grep -Hs '' /proc/loadavg /proc/uptime /proc/mdstat; ip -br addr` with markers), which is what a
 * refresh costs. Cold = a fresh process opening fresh connections; warm = the connections are
 * already open (baie's pool and its persistent probe shells in one process, as in the console;
 * Ansible's ControlPersist masters).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSshFleet, sshdAvailable, pidsMentioning } from './lib/sshfleet.mjs';
import { writeAnsibleInventory, writeBaieInventory, writeHostList } from './lib/inventory.mjs';
import { have, timed } from './lib/run.mjs';
import { emit, machineLine, median, ratio, secs, table, verdict } from './lib/report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = opt('sizes', '50,200').split(',').map(Number);
const repeat = Math.max(1, Math.min(10, Number(opt('repeat', '3'))));
const sequential = !args.includes('--no-sequential');

if (!sshdAvailable()) {
  emit('fanout: skipped: /usr/sbin/sshd or ssh/ssh-keygen missing (apt-get install -y openssh-server openssh-client)');
  process.exit(0);
}
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  emit('fanout: dist/cli/main.js missing: build first with `npx tsc -p tsconfig.json`');
  process.exit(2);
}

const peers = {
  'parallel-ssh': have('parallel-ssh'),
  clush: have('clush'),
  ansible: have('ansible'),
};
const skipped = Object.entries(peers).filter(([, ok]) => !ok).map(([n]) => n);

const max = Math.max(...sizes);
const fleet = await startSshFleet(max);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await fleet.stop();
};
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => stop().then(() => process.exit(130)));

const countMatches = (text, re) => (text.match(re) ?? []).length;

async function baieCold(inv) {
  const r = await timed(process.execPath, [join(root, 'dist/cli/main.js'), 'probe', '--inventory', inv, '--json'], { cwd: root, timeoutMs: 120_000 });
  let ok = 0;
  try {
    ok = JSON.parse(r.stdout).filter((p) => p.reachable).length;
  } catch {}
  return { ms: r.ms, ok, note: r.code > 1 ? r.stderr.trim().split('\n')[0] : '' };
}

async function baieWarm(inv) {
  const r = await timed(process.execPath, [join(root, 'scripts/bench/lib/warm-probe.mjs'), inv, String(repeat), '64'], { cwd: root, timeoutMs: 300_000 });
  try {
    const j = JSON.parse(r.stdout);
    return { first: j.first, warm: median(j.rounds), warmAll: j.rounds, ok: Math.min(...j.ok.slice(1)), okFirst: j.ok[0], uptime: j.uptime, trueCmd: j.true, shellTrue: j.shellTrue, shells: j.shells, note: j.errors.join('; ') };
  } catch {
    return { first: NaN, warm: NaN, warmAll: [], ok: 0, okFirst: 0, note: r.stderr.trim().split('\n')[0] };
  }
}

async function pssh(hostsFile) {
  const r = await timed('parallel-ssh', ['-h', hostsFile, '-p', '200', '-t', '60', '-x', `-F ${fleet.sshConfig}`, 'uptime'], { timeoutMs: 120_000 });
  return { ms: r.ms, ok: countMatches(r.stdout, /\[SUCCESS\]/g) };
}

async function clush(hosts) {
  const nodes = hosts.map((h) => h.host).join(',');
  const r = await timed('clush', ['-f', '200', '-t', '30', '-o', `-F ${fleet.sshConfig}`, '-w', nodes, 'uptime'], { timeoutMs: 120_000 });
  return { ms: r.ms, ok: countMatches(r.stdout, /load average/g) };
}

function ansibleEnv(cpDir) {
  mkdirSync(cpDir, { recursive: true });
  return {
    ANSIBLE_SSH_ARGS: `-F ${fleet.sshConfig} -C -o ControlMaster=auto -o ControlPersist=300s`,
    ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir,
    ANSIBLE_LOCAL_TEMP: join(cpDir, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_TIMEOUT: '60',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
}

async function ansible(invFile, cpDir) {
  const r = await timed('ansible', ['all', '-i', invFile, '-m', 'raw', '-a', 'uptime', '-f', '200'], { env: ansibleEnv(cpDir), timeoutMs: 180_000 });
  return { ms: r.ms, ok: countMatches(r.stdout, /\| CHANGED \| rc=0/g) };
}

async function seqSsh(hosts) {
  const script = `for h in ${hosts.map((h) => h.host).join(' ')}; do ssh -F ${fleet.sshConfig} "$h" uptime; done`;
  const r = await timed('bash', ['-c', script], { timeoutMs: 600_000 });
  return { ms: r.ms, ok: countMatches(r.stdout, /load average/g) };
}

/** Run fn `repeat` times, keep the median time and the worst success count. */
async function rounds(fn, times = repeat) {
  const rs = [];
  for (let i = 0; i < times; i++) rs.push(await fn(i));
  return { ms: median(rs.map((r) => r.ms)), all: rs.map((r) => r.ms), ok: Math.min(...rs.map((r) => r.ok)), note: rs.find((r) => r.note)?.note };
}

const report = [`## Fan-out: one round over N sshd targets on loopback`, '', machineLine(), ''];
report.push(`Targets: ${max} OpenSSH ${'sshd'} listeners on 127.0.1.1–${max} (${Math.ceil(max / 16)} sshd processes, MaxStartups 1000, clean HOME per address). Median of ${repeat} runs unless noted; ok = targets that answered.`);
if (skipped.length) report.push('', ...skipped.map((p) => `- ${p}: skipped (not installed: apt-get install -y ${p === 'parallel-ssh' ? 'pssh' : p === 'clush' ? 'clustershell' : p})`));
const goals = [];

try {
  for (const n of sizes) {
    const hosts = fleet.hosts.slice(0, n);
    const inv = writeBaieInventory(join(fleet.dir, `inventory-${n}.yaml`), hosts);
    const ansInv = writeAnsibleInventory(join(fleet.dir, `ansible-${n}.ini`), hosts);
    const hostsFile = writeHostList(join(fleet.dir, `hosts-${n}.txt`), hosts);
    process.stderr.write(`fanout: ${n} targets…\n`);
    const res = {};
    // interleave the cold tools so a noisy moment does not land on one of them only
    const cold = { 'baie probe (cold process)': [], 'parallel-ssh -p 200': [], 'clush -f 200': [] };
    for (let i = 0; i < repeat; i++) {
      cold['baie probe (cold process)'].push(await baieCold(inv));
      if (peers['parallel-ssh']) cold['parallel-ssh -p 200'].push(await pssh(hostsFile));
      if (peers.clush) cold['clush -f 200'].push(await clush(hosts));
    }
    for (const [k, rs] of Object.entries(cold)) if (rs.length) res[k] = { ms: median(rs.map((r) => r.ms)), all: rs.map((r) => r.ms), ok: Math.min(...rs.map((r) => r.ok)), note: rs.find((r) => r.note)?.note };
    if (peers.ansible) {
      // cold: fresh ControlPath dir (no masters); warm: the next run on the masters the previous one left
      const coldRs = [];
      const warmRs = [];
      for (let i = 0; i < repeat; i++) {
        const cp = join(fleet.dir, `cp-${n}-${i}`);
        coldRs.push(await ansible(ansInv, cp));
        warmRs.push(await ansible(ansInv, cp));
        for (const p of pidsMentioning(cp)) {
          try {
            process.kill(p, 'SIGTERM');
          } catch {}
        }
      }
      res['ansible -m raw -f 200 (cold)'] = { ms: median(coldRs.map((r) => r.ms)), all: coldRs.map((r) => r.ms), ok: Math.min(...coldRs.map((r) => r.ok)) };
      res['ansible -m raw -f 200 (warm, ControlPersist)'] = { ms: median(warmRs.map((r) => r.ms)), all: warmRs.map((r) => r.ms), ok: Math.min(...warmRs.map((r) => r.ok)), warm: true };
    }
    if (sequential) res['ssh, sequential loop (1 run)'] = await rounds(() => seqSsh(hosts), 1);
    const w = await baieWarm(inv);
    res['baie first round in one process (opens the pool)'] = { ms: w.first, ok: w.okFirst, note: w.note, info: true };
    res['baie pooled round (warm, probeFleet on open pool)'] = { ms: w.warm, all: w.warmAll, ok: w.ok, warm: true, note: w.note };
    if (w.uptime) res['(diagnostic) same open pool, bare `uptime` per target'] = { ms: median(w.uptime), all: w.uptime, ok: n, warm: true, info: true };
    if (w.trueCmd) res['(diagnostic) same open pool, bare `true` per target'] = { ms: median(w.trueCmd), all: w.trueCmd, ok: n, warm: true, info: true };
    if (w.shellTrue) res['(diagnostic) same persistent shells, bare `true` per target'] = { ms: median(w.shellTrue), all: w.shellTrue, ok: n, warm: true, info: true };

    const peerCold = Object.entries(res).filter(([k, r]) => !k.startsWith('baie') && !r.warm && !k.startsWith('ssh, sequential'));
    const fastest = peerCold.length ? peerCold.reduce((a, b) => (b[1].ms < a[1].ms ? b : a)) : undefined;
    const rows = [['tool', 'seconds', 'ok', `vs fastest cold peer (${fastest ? fastest[0].split(' ')[0] : '-'})`, 'runs (s)']];
    for (const [k, r] of Object.entries(res)) {
      rows.push([k, secs(r.ms), `${r.ok}/${n}`, fastest ? ratio(r.ms, fastest[1].ms) : '-', (r.all ?? [r.ms]).map((x) => secs(x)).join(' ')]);
    }
    report.push('', `### ${n} targets`, '', table(rows));
    for (const [k, r] of Object.entries(res)) if (r.note) report.push(`- ${k}: ${r.note}`);
    if (w.shells) report.push(`- baie persistent shells in the warm process: ${w.shells.opened} opened, ${w.shells.rounds} rounds answered by them, ${w.shells.plain} plain execs (busy shell or fallback).`);

    if (n === Math.max(...sizes)) {
      const bc = res['baie probe (cold process)'];
      const bw = res['baie pooled round (warm, probeFleet on open pool)'];
      const ac = res['ansible -m raw -f 200 (cold)'];
      const aw = res['ansible -m raw -f 200 (warm, ControlPersist)'];
      const allCold = Object.entries(res).filter(([k, r]) => !r.warm && !r.info).map(([, r]) => r.ms);
      const minCold = Math.min(...allCold);
      if (fastest) goals.push([`cold ${n}: within 10% of the fastest peer (${fastest[0]})`, `${secs(bc.ms)} s vs ${secs(fastest[1].ms)} s = ${ratio(bc.ms, fastest[1].ms)}`, verdict(bc.ms <= 1.1 * fastest[1].ms)]);
      if (ac) goals.push([`cold ${n}: ahead of Ansible`, `${secs(bc.ms)} s vs ${secs(ac.ms)} s`, verdict(bc.ms < ac.ms)]);
      if (aw) goals.push([`warm ${n}: ≥ 5× faster than Ansible warm`, `${secs(bw.ms)} s vs ${secs(aw.ms)} s = ${(aw.ms / bw.ms).toFixed(1)}× faster`, verdict(aw.ms / bw.ms >= 5)]);
      goals.push([`warm ${n}: ≥ 10× faster than any cold round`, `${secs(bw.ms)} s vs fastest cold ${secs(minCold)} s = ${(minCold / bw.ms).toFixed(1)}× faster`, verdict(minCold / bw.ms >= 10)]);
    }
  }
} finally {
  await stop();
}

if (goals.length) report.push('', '### Goals', '', table([['goal', 'measured', 'verdict'], ...goals]));
emit(report.join('\n'));
