#!/usr/bin/env node
// console-recovery: choose the branch from what the console showed. Runs locally (a `script` step); it reads
// the run's values from $BAIE_VALUES and prints `key: value` lines the step captures. It contacts no machine.
//   matched = panic (the console showed a kernel panic) → power cycle:      cycle_on: HOST, fix_on: (empty)
//   link = DOWN or LOWERLAYERDOWN (`ip -br link`)      → fix from console: fix_on: HOST, cycle_on: (empty)
//   link = UP                                          → refuse: this runbook cannot help (exit 3)
// A step whose `on:` renders empty has no target and is skipped: that is how the other branch is left out.
const v = JSON.parse(process.env.BAIE_VALUES ?? '{}');
const host = String(v.host ?? '');
const matched = String(v.matched ?? '');
const link = String(v.link ?? '');
if (!host) {
  console.error('no host in BAIE_VALUES');
  process.exit(2);
}
if (matched === 'panic') {
  console.log(`The console of ${host} shows a kernel panic: power cycle it.`);
  console.log(`cycle_on: ${host}`);
  console.log('fix_on: ');
} else if (link === 'DOWN' || link === 'LOWERLAYERDOWN') {
  console.log(`${host} answers on its console but its network link is down: bring it up from the console.`);
  console.log('cycle_on: ');
  console.log(`fix_on: ${host}`);
} else {
  console.error(`refusing: ${host} answers on its console and its link is ${link || 'not reported'}: neither a panic nor a downed link; look at sshd and the firewall from the console`);
  process.exit(3);
}
