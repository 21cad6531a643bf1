import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMdstat } from '../../src/probe/parsers/mdstat.js';
import { parseMdadmDetail } from '../../src/probe/parsers/mdadmDetail.js';
import { parseSmartJson, parseSmartText } from '../../src/probe/parsers/smart.js';
import { parseZpoolStatus } from '../../src/probe/parsers/zpool.js';
import { parseHaStatus, parsePctList, parsePveshResources, parseQmList, parseVirshList } from '../../src/probe/parsers/proxmox.js';
import { parseIpBrAddr, parseIpvsadm } from '../../src/probe/parsers/network.js';
import { parseIsActive, parseLoadavg, parseReplicaStatus } from '../../src/probe/parsers/system.js';
import { parsePowerStatus, parseSelElist, parseSensors } from '../../src/transport/ipmi/parse.js';

const fx = (n: string) => readFileSync(join(import.meta.dirname, 'fixtures', n), 'utf8');

describe('mdstat', () => {
  it('reads a degraded array with a failed member', () => {
    const [md1, md0] = parseMdstat(fx('mdstat-degraded.txt'));
    expect(md1).toMatchObject({ name: 'md1', level: 'raid1', raidDisks: 2, activeDisks: 1, map: 'U_', degraded: true, blocks: 3897063424 });
    expect(md1.members).toEqual([{ dev: 'sdb3', slot: 1, flags: ['F'] }, { dev: 'sda3', slot: 0, flags: [] }]);
    expect(md0.degraded).toBe(false);
  });
  it('reads recovery progress, spares and delayed resync', () => {
    const [md0, md2] = parseMdstat(fx('mdstat-recovery.txt'));
    expect(md0.recovery).toEqual({ kind: 'recovery', percent: 21.4, finishMin: 31.7, speedKps: 201234 });
    expect(md2.members.find((m) => m.dev === 'sde1')?.flags).toEqual(['S']);
    expect(md2.pending).toBe('DELAYED');
    expect(md2.degraded).toBe(false);
  });
});

describe('mdadm --detail', () => {
  it('reads state, rebuild status and the member table', () => {
    const d = parseMdadmDetail(fx('mdadm-detail.txt'));
    expect(d.device).toBe('/dev/md0');
    expect(d.state).toBe('clean, degraded, recovering');
    expect(d.rebuildPercent).toBe(21);
    expect(d.spareDevices).toBe(1);
    expect(d.members[1]).toMatchObject({ state: 'spare rebuilding', device: '/dev/sdb2', raidDevice: '1' });
  });
  it('reads removed and faulty rows', () => {
    const d = parseMdadmDetail(fx('mdadm-detail-removed.txt'));
    expect(d.members.map((m) => m.state)).toEqual(['active sync', 'removed', 'faulty']);
    expect(d.members[1].device).toBeUndefined();
    expect(d.failedDevices).toBe(1);
  });
});

describe('smartctl', () => {
  it('reads FAILED! health and attributes from text', () => {
    const s = parseSmartText('sdb', fx('smart-failed.txt'));
    expect(s.passed).toBe(false);
    expect(s.attrs.find((a) => a.id === 5)).toMatchObject({ raw: 1832, whenFailed: 'FAILING_NOW' });
    expect(s.attrs.find((a) => a.id === 197)?.raw).toBe(24);
    expect(s.temperatureC).toBe(37);
  });
  it('reads -j JSON', () => {
    const s = parseSmartJson('sda', fx('smart-ok.json'));
    expect(s).toMatchObject({ dev: 'sda', passed: true, serial: 'S62BNJ0R123456A', temperatureC: 31 });
    expect(s.attrs.find((a) => a.id === 199)?.raw).toBe(3);
  });
  it('reads NVMe/SAS health', () => {
    expect(parseSmartText('nvme0', 'SMART Health Status: OK\n').passed).toBe(true);
  });
});

describe('zpool status', () => {
  it('reads a degraded pool with resilver progress and the device tree', () => {
    const [p] = parseZpoolStatus(fx('zpool-resilver.txt'));
    expect(p).toMatchObject({ name: 'rpool', state: 'DEGRADED', resilver: { percent: 4.95, toGo: '00:19:12' }, errors: 'No known data errors' });
    const unavail = p.devices.find((d) => d.state === 'UNAVAIL')!;
    expect(unavail.name).toContain('V1GK9XYZ');
    expect(unavail.depth).toBe(3);
    expect(p.devices[0]).toMatchObject({ name: 'rpool', depth: 0 });
  });
});

describe('proxmox', () => {
  it('reads guests and nodes from pvesh JSON', () => {
    const r = parsePveshResources(fx('pvesh-resources.json'));
    expect(r.guests.map((g) => `${g.type}/${g.vmid}/${g.node}/${g.status}`)).toEqual(['qemu/100/pve1/running', 'qemu/101/pve2/stopped', 'lxc/200/pve2/running']);
    expect(r.guests[0].hastate).toBe('started');
    expect(r.nodes).toEqual([expect.objectContaining({ node: 'pve1', status: 'online', maxmem: 68719476736 })]);
  });
  it('reads pct list with an empty Lock column', () => {
    const r = parsePctList(fx('pct-list.txt'), 'pve2');
    expect(r).toEqual([
      expect.objectContaining({ vmid: 200, status: 'running', name: 'dns', lock: undefined }),
      expect.objectContaining({ vmid: 201, status: 'stopped', name: 'ci-runner', lock: 'backup' }),
    ]);
  });
  it('reads qm list and virsh list', () => {
    expect(parseQmList(fx('qm-list.txt'), 'pve1').map((g) => [g.vmid, g.name, g.status])).toEqual([[100, 'web', 'running'], [102, 'cloud', 'stopped']]);
    expect(parseVirshList(fx('virsh-list.txt'), 'kvm1').map((g) => [g.name, g.status])).toEqual([['test', 'running'], ['x', 'shut off']]);
  });
  it('reads ha-manager status', () => {
    const h = parseHaStatus(fx('ha-status.txt'));
    expect(h.quorum).toBe(true);
    expect(h.master).toEqual({ node: 'pve1', state: 'active' });
    expect(h.lrms).toEqual([{ node: 'pve1', state: 'active' }, { node: 'pve2', state: 'idle' }]);
    expect(h.services).toContainEqual({ sid: 'vm:100', node: 'pve1', state: 'started' });
  });
});

describe('network', () => {
  it('reads ip -br addr with a VIP and an empty DOWN interface', () => {
    const r = parseIpBrAddr(fx('ip-br-addr.txt'));
    expect(r.find((i) => i.name === 'eno1')?.addrs).toContain('192.0.2.100/32');
    expect(r.find((i) => i.name === 'eno2')).toEqual({ name: 'eno2', state: 'DOWN', addrs: [] });
    expect(r.find((i) => i.name === 'vmbr0')?.state).toBe('UP');
  });
  it('reads ipvsadm -Ln', () => {
    const r = parseIpvsadm(fx('ipvsadm.txt'));
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({ proto: 'TCP', vip: '192.0.2.100', port: 80, scheduler: 'wrr' });
    expect(r[0].reals.map((x) => x.addr)).toEqual(['192.0.2.21', '192.0.2.22']);
    expect(r[0].reals[0]).toMatchObject({ forward: 'Route', weight: 1, active: 3, inactive: 12 });
  });
});

describe('system and mysql', () => {
  it('reads loadavg and is-active', () => {
    expect(parseLoadavg('0.08 0.03 0.01 1/123 4567\n')).toEqual([0.08, 0.03, 0.01]);
    expect(parseIsActive(['apache2', 'postfix', 'nope'], 'active\nfailed\ninactive\n')).toEqual([
      { name: 'apache2', state: 'active' }, { name: 'postfix', state: 'failed' }, { name: 'nope', state: 'inactive' },
    ]);
  });
  it('reads MariaDB SHOW SLAVE STATUS', () => {
    expect(parseReplicaStatus(fx('slave-status-mariadb.txt'))).toMatchObject({ ioRunning: 'Yes', sqlRunning: 'Yes', secondsBehind: 340, masterHost: '192.0.2.31', gtidIoPos: '0-1-1234', lastIoError: undefined });
  });
  it('reads MySQL 8.4 SHOW REPLICA STATUS with NULL lag', () => {
    const r = parseReplicaStatus(fx('replica-status-mysql84.txt'))!;
    expect(r.ioRunning).toBe('Connecting');
    expect(r.secondsBehind).toBeNull();
    expect(r.lastIoError).toMatch(/error reconnecting/);
  });
  it('says null for a server that is not a replica', () => {
    expect(parseReplicaStatus('')).toBeNull();
  });
});

describe('ipmitool', () => {
  it('reads power, SEL and sensors', () => {
    expect(parsePowerStatus('Chassis Power is off\n')).toBe('off');
    const sel = parseSelElist(fx('sel-elist.txt'));
    expect(sel).toHaveLength(3);
    expect(sel[1]).toMatchObject({ sensor: 'Power Supply PSU2', event: 'Failure detected', direction: 'Asserted' });
    expect(sel[2].id).toBe(10);
    const s = parseSensors(fx('sensor.txt'));
    expect(s[0]).toEqual({ name: 'CPU Temp', value: 45, unit: 'degrees C', status: 'ok' });
    expect(s[2].value).toBeNull();
  });
});
