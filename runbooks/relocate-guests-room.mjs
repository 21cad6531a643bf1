// Step `room` of relocate-guests: does the survivor have the memory and storage for the guests?
// Reads the run's values (captured JSON of the survivor's status and the cluster's guests).
const v = JSON.parse(process.env.BAIE_VALUES ?? '{}');
const GiB = 1024 ** 3;
const fmt = (b) => `${(b / GiB).toFixed(1)} GiB`;
let status, resources;
try {
  status = JSON.parse(v.node_status);
  resources = JSON.parse(v.resources);
} catch {
  console.error('room: the captured pvesh output is not JSON; check the steps before');
  process.exit(2);
}
const ids = [v.first, v.second, v.third].map(Number).filter((n) => n > 0);
const guests = ids.map((id) => resources.find((r) => r.vmid === id) ?? { vmid: id, name: '?', maxmem: 0, maxdisk: 0, maxcpu: 0 });
const row = new RegExp(`^${String(v.storage).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\S+\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, 'm').exec(v.storage_table ?? '');
const freeMem = status.memory.total - status.memory.used;
const needMem = guests.reduce((s, g) => s + (g.maxmem ?? 0), 0);
const needDisk = guests.reduce((s, g) => s + (g.maxdisk ?? 0), 0);
const freeDisk = row ? Number(row[4]) * 1024 : 0;
const cpus = status.cpuinfo?.cpus ?? 0;
for (const g of guests) console.log(`guest ${g.vmid} ${g.name}: ${g.maxcpu} cores, ${fmt(g.maxmem)} memory, ${fmt(g.maxdisk)} disk`);
console.log(`memory: need ${fmt(needMem)}, free ${fmt(freeMem)} on ${v.survivor}`);
console.log(`storage ${v.storage}: need up to ${fmt(needDisk)} (thin: usually less), available ${row ? fmt(freeDisk) : 'unknown'}${row && row[1] !== 'active' ? ` (${row[1]})` : ''}`);
console.log(`cpu: ${guests.reduce((s, g) => s + (g.maxcpu ?? 0), 0)} more cores on ${cpus} threads (overcommit is allowed)`);
const problems = [];
if (needMem > freeMem) problems.push(`not enough memory on ${v.survivor}: need ${fmt(needMem)}, free ${fmt(freeMem)}`);
if (!row) problems.push(`storage ${v.storage} not found in pvesm status on ${v.survivor}`);
else if (row[1] !== 'active') problems.push(`storage ${v.storage} is ${row[1]} on ${v.survivor}`);
else if (needDisk > freeDisk) problems.push(`not enough room on ${v.storage}: need up to ${fmt(needDisk)}, available ${fmt(freeDisk)}`);
if (problems.length) {
  console.log(`no room: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`room: ok`);
