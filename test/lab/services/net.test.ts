import { describe, expect, it } from 'vitest';
import { makeWorld, VIP } from './fixture.js';
import { stopService, vipHolder } from '../../../src/lab/commands/services.js';
import { powerOff } from '../../../src/lab/power.js';

describe('ip', () => {
  it('ip -br addr lists lo and the links with their addresses', async () => {
    const t = makeWorld();
    const r = await t.run('eva', ['ip', '-br', 'addr']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('lo               UNKNOWN        127.0.0.1/8 ::1/128 ');
    expect(lines[1]).toMatch(/^eno1             UP             192\.0\.2\.11\/24 192\.0\.2\.100\/32 fe80::[0-9a-f:]+\/64 $/);
  });

  it('ip addr show dev X has the long iproute2 format', async () => {
    const t = makeWorld();
    const r = await t.run('eva', ['ip', 'addr', 'show', 'dev', 'eno1']);
    expect(r.out).toMatch(/^2: eno1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    link\/ether 0c:c4:7a:12:34:56 brd ff:ff:ff:ff:ff:ff\n/);
    expect(r.out).toContain('    inet 192.0.2.11/24 brd 192.0.2.255 scope global eno1\n       valid_lft forever preferred_lft forever\n');
    expect(r.out).toContain('    inet 192.0.2.100/32 scope global eno1\n');
    expect(await t.run('eva', ['ip', 'addr', 'show', 'dev', 'eth9'])).toEqual({ code: 1, out: '', err: 'Cannot find device "eth9"\n' });
  });

  it('ip addr add/del moves a service address; duplicates and missing ones fail like RTNETLINK', async () => {
    const t = makeWorld();
    expect((await t.run('emma', ['ip', 'addr', 'add', '192.0.2.80/24', 'dev', 'eno1'])).code).toBe(0);
    expect((await t.run('emma', ['ip', '-br', 'a'])).out).toMatch(/eno1 +UP +192\.0\.2\.21\/24 192\.0\.2\.80\/24 /);
    expect((await t.run('emma', ['ip', 'addr', 'show', 'eno1'])).out).toContain('inet 192.0.2.80/24 scope global secondary eno1');
    expect(await t.run('emma', ['ip', 'addr', 'add', '192.0.2.80/24', 'dev', 'eno1'])).toEqual({ code: 2, out: '', err: 'RTNETLINK answers: File exists\n' });
    expect((await t.run('ella', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://192.0.2.80/'])).out).toBe('200');
    expect((await t.run('emma', ['ip', 'addr', 'del', '192.0.2.80/24', 'dev', 'eno1'])).code).toBe(0);
    expect(await t.run('emma', ['ip', 'addr', 'del', '192.0.2.80/24', 'dev', 'eno1'])).toEqual({ code: 2, out: '', err: 'RTNETLINK answers: Cannot assign requested address\n' });
  });

  it('ip link set down takes the link down; ip route shows the default route', async () => {
    const t = makeWorld();
    expect((await t.run('emma', ['ip', 'route'])).out).toBe('default via 192.0.2.1 dev eno1 onlink \n192.0.2.0/24 dev eno1 proto kernel scope link src 192.0.2.21 \n');
    await t.run('emma', ['ip', 'link', 'set', 'eno1', 'down']);
    expect((await t.run('emma', ['ip', '-br', 'link'])).out).toMatch(/^eno1 +DOWN +[0-9a-f:]{17} <BROADCAST,MULTICAST> $/m);
    expect((await t.run('eva', ['ping', '-c', '1', '192.0.2.21'])).code).toBe(1);
  });
});

describe('ipvsadm and keepalived', () => {
  it('ipvsadm -Ln prints the LVS table of the active director', async () => {
    const t = makeWorld();
    const r = await t.run('eva', ['ipvsadm', '-Ln']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  192.0.2.100:80 wrr',
        '  -> 192.0.2.21:80                Route   1      0          0         ',
        '  -> 192.0.2.22:80                Route   1      0          0         ',
        '',
      ].join('\n'),
    );
  });

  it('stopping keepalived on the master empties its table and hands the VIP to the backup', async () => {
    const t = makeWorld();
    expect(vipHolder(t.world, VIP)?.name).toBe('eva');
    expect((await t.run('eva', ['systemctl', 'stop', 'keepalived'])).code).toBe(0);
    expect((await t.run('eva', ['ipvsadm', '-Ln'])).out.trimEnd().split('\n')).toHaveLength(3);
    expect((await t.run('eva', ['ip', '-br', 'addr', 'show', 'eno1'])).out).not.toContain(VIP);
    expect(vipHolder(t.world, VIP)?.name).toBe('estelle');
    expect((await t.run('estelle', ['ip', '-br', 'addr'])).out).toContain(`${VIP}/32`);
    // Starting it again: eva has the higher priority and preempts.
    await t.run('eva', ['systemctl', 'start', 'keepalived']);
    expect(vipHolder(t.world, VIP)?.name).toBe('eva');
    expect((await t.run('estelle', ['ip', '-br', 'addr'])).out).not.toContain(VIP);
    expect((await t.run('eva', ['ipvsadm', '-Ln'])).out).toContain('TCP  192.0.2.100:80 wrr');
  });

  it('a dead master is replaced after 3 advert intervals', async () => {
    const t = makeWorld();
    powerOff(t.world, t.m('eva'));
    t.advance(1000);
    expect(vipHolder(t.world, VIP)).toBeUndefined();
    const r = await t.run('elea', ['curl', '-sS', '-m', '2', `http://${VIP}/`]);
    expect(r.code).toBe(7);
    t.advance(3000);
    expect(vipHolder(t.world, VIP)?.name).toBe('estelle');
    expect((await t.run('elea', ['curl', '-sf', `http://${VIP}/`])).code).toBe(0);
  });

  it('starting keepalived with no master takes the VIP at once; a running MASTER keeps it', async () => {
    const t = makeWorld();
    await t.run('estelle', ['systemctl', 'stop', 'keepalived']);
    await t.run('eva', ['systemctl', 'stop', 'keepalived']);
    expect(vipHolder(t.world, VIP)).toBeUndefined();
    await t.run('estelle', ['systemctl', 'start', 'keepalived']);
    expect(vipHolder(t.world, VIP)?.name).toBe('estelle');
    await t.run('eva', ['systemctl', 'restart', 'keepalived']);
    expect(vipHolder(t.world, VIP)?.name).toBe('eva');
  });

  it('without keepalived.conf the IPVS table first seen stands in for the config', async () => {
    const t = makeWorld({ conf: false });
    await t.run('eva', ['systemctl', 'stop', 'keepalived']);
    expect(vipHolder(t.world, VIP)?.name).toBe('estelle');
    expect((await t.run('estelle', ['ipvsadm', '-Ln'])).out).toContain('  -> 192.0.2.22:80                Route   1');
    await t.run('eva', ['systemctl', 'start', 'keepalived']);
    expect(vipHolder(t.world, VIP)?.name).toBe('eva');
  });

  it('the checkers drop a real server whose web server stopped and restore it', async () => {
    const t = makeWorld();
    await t.run('ella', ['systemctl', 'stop', 'nginx']);
    t.advance(1000);
    const r = await t.run('eva', ['ipvsadm', '-Ln']);
    expect(r.out).toContain('192.0.2.21:80');
    expect(r.out).not.toContain('192.0.2.22:80');
    await t.run('ella', ['systemctl', 'start', 'nginx']);
    t.advance(1000);
    expect((await t.run('eva', ['ipvsadm', '-Ln'])).out).toContain('192.0.2.22:80');
  });
});

describe('curl and ping against service addresses', () => {
  it('the VIP answers 200 while a real server serves', async () => {
    const t = makeWorld();
    const r = await t.run('elea', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${VIP}/`]);
    expect(r).toEqual({ code: 0, out: '200', err: '' });
    const body = await t.run('elea', ['curl', '-sf', `http://${VIP}/`]);
    expect(body.code).toBe(0);
    expect(body.out).toMatch(/<html>/);
  });

  it('no real server up: connection refused, exit 7 (silent with -s, 000 code)', async () => {
    const t = makeWorld();
    stopService(t.world, t.m('emma'), 'apache2');
    stopService(t.world, t.m('ella'), 'nginx');
    const s = await t.run('eva', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${VIP}/`]);
    expect(s).toEqual({ code: 7, out: '000', err: '' });
    const e = await t.run('eva', ['curl', `http://${VIP}/`]);
    expect(e.code).toBe(7);
    expect(e.err).toBe(`curl: (7) Failed to connect to ${VIP} port 80 after 0 ms: Couldn't connect to server\n`);
  });

  it('both directors down: nobody holds the VIP (7); a hung holder times out (28) after -m', async () => {
    const t = makeWorld();
    await t.run('estelle', ['systemctl', 'stop', 'keepalived']);
    await t.run('eva', ['systemctl', 'stop', 'keepalived']);
    expect((await t.run('elea', ['curl', '-sS', `http://${VIP}/`])).code).toBe(7);
    await t.run('eva', ['systemctl', 'start', 'keepalived']);
    t.m('eva').boot = 'hung';
    const before = t.world.now();
    const r = await t.run('elea', ['curl', '-sS', '-m', '5', `http://${VIP}/`]);
    expect(r.code).toBe(28);
    expect(r.err).toMatch(/^curl: \(28\) Connection timed out after 500\d milliseconds\n$/);
    expect(t.world.now() - before).toBeGreaterThanOrEqual(5000);
    expect((await t.run('emma', ['curl', '-sS', 'http://nosuch.example/'])).err).toBe('curl: (6) Could not resolve host: nosuch.example\n');
  });

  it('ping answers while a live machine holds the address', async () => {
    const t = makeWorld();
    const ok = await t.run('emma', ['ping', '-c', '3', VIP]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^PING 192\.0\.2\.100 \(192\.0\.2\.100\) 56\(84\) bytes of data\.\n64 bytes from 192\.0\.2\.100: icmp_seq=1 ttl=64 time=[\d.]+ ms\n/);
    expect(ok.out).toMatch(/\n--- 192\.0\.2\.100 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2000ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
    powerOff(t.world, t.m('elea'));
    const dead = await t.run('emma', ['ping', '-c', '2', '192.0.2.31']);
    expect(dead.code).toBe(1);
    expect(dead.out).toContain('2 packets transmitted, 0 received, 100% packet loss');
  });
});
