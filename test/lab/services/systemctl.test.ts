import { describe, expect, it } from 'vitest';
import { makeWorld } from './fixture.js';
import { refuseStart, stopService } from '../../../src/lab/commands/services.js';

describe('systemctl is-active / is-enabled', () => {
  it('prints one state per unit and exits 0 only when all are active', async () => {
    const t = makeWorld();
    expect(await t.run('emma', ['systemctl', 'is-active', 'apache2'])).toEqual({ code: 0, out: 'active\n', err: '' });
    stopService(t.world, t.m('emma'), 'apache2');
    const r = await t.run('emma', ['systemctl', 'is-active', 'apache2.service', 'postfix', 'nosuch']);
    expect(r.out).toBe('inactive\nactive\ninactive\n');
    expect(r.code).toBe(3);
    expect(await t.run('emma', ['systemctl', 'is-active', '--quiet', 'postfix'])).toEqual({ code: 0, out: '', err: '' });
  });

  it('shows failed for a crashed unit, and is-enabled reads the enablement', async () => {
    const t = makeWorld();
    stopService(t.world, t.m('ella'), 'nginx', 'Main process exited, code=killed, status=9/KILL');
    expect((await t.run('ella', ['systemctl', 'is-active', 'nginx'])).out).toBe('failed\n');
    expect((await t.run('ella', ['systemctl', 'is-failed', 'nginx'])).code).toBe(0);
    expect(await t.run('ella', ['systemctl', 'is-enabled', 'nginx'])).toEqual({ code: 0, out: 'enabled\n', err: '' });
    const d = await t.run('ella', ['systemctl', 'disable', 'nginx']);
    expect(d.err).toBe('Removed "/etc/systemd/system/multi-user.target.wants/nginx.service".\n');
    expect(await t.run('ella', ['systemctl', 'is-enabled', 'nginx'])).toEqual({ code: 1, out: 'disabled\n', err: '' });
    const u = await t.run('ella', ['systemctl', 'is-enabled', 'nosuch']);
    expect(u).toEqual({ code: 1, out: '', err: 'Failed to get unit file state for nosuch.service: No such file or directory\n' });
  });
});

describe('systemctl status', () => {
  it('has the real layout for a running unit', async () => {
    const t = makeWorld();
    const r = await t.run('ella', ['systemctl', 'status', 'nginx']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('● nginx.service - A high performance web server and a reverse proxy server');
    expect(lines[1]).toBe('     Loaded: loaded (/lib/systemd/system/nginx.service; enabled; preset: enabled)');
    expect(lines[2]).toMatch(/^     Active: active \(running\) since \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; 2 days ago$/);
    expect(r.out).toMatch(/^   Main PID: \d+ \(nginx\)$/m);
    expect(r.out).toMatch(/^     CGroup: \/system\.slice\/nginx\.service$/m);
  });

  it('exits 3 for inactive or failed units with ○ / ×, 4 for unknown ones', async () => {
    const t = makeWorld();
    stopService(t.world, t.m('emma'), 'apache2');
    t.advance(5 * 60_000);
    const r = await t.run('emma', ['systemctl', 'status', 'apache2']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^○ apache2\.service - The Apache HTTP Server\n/);
    expect(r.out).toMatch(/Active: inactive \(dead\) since .* UTC; 5min ago\n/);
    stopService(t.world, t.m('emma'), 'postfix', 'Main process exited, code=killed, status=9/KILL');
    const f = await t.run('emma', ['systemctl', 'status', 'postfix']);
    expect(f.code).toBe(3);
    expect(f.out).toMatch(/^× postfix\.service/);
    expect(f.out).toMatch(/Active: failed \(Result: signal\) since .*; now\n/);
    const u = await t.run('emma', ['systemctl', 'status', 'nosuch']);
    expect(u).toEqual({ code: 4, out: '', err: 'Unit nosuch.service could not be found.\n' });
  });
});

describe('systemctl start/stop/restart', () => {
  it('starts and stops units; unknown units exit 5 with the real message', async () => {
    const t = makeWorld();
    expect((await t.run('emma', ['systemctl', 'stop', 'apache2'])).code).toBe(0);
    expect((await t.run('emma', ['systemctl', 'is-active', 'apache2'])).out).toBe('inactive\n');
    expect((await t.run('emma', ['systemctl', 'start', 'apache2'])).code).toBe(0);
    expect((await t.run('emma', ['systemctl', 'is-active', 'apache2'])).out).toBe('active\n');
    expect(await t.run('emma', ['systemctl', 'start', 'nosuch'])).toEqual({ code: 5, out: '', err: 'Failed to start nosuch.service: Unit nosuch.service not found.\n' });
    expect((await t.run('emma', ['systemctl', 'reload', 'apache2'])).code).toBe(0);
  });

  it('a unit whose start fails ends failed with the job message', async () => {
    const t = makeWorld();
    stopService(t.world, t.m('ella'), 'nginx');
    refuseStart(t.m('ella'), 'nginx', 'Control process exited, code=exited, status=1/FAILURE');
    const r = await t.run('ella', ['systemctl', 'restart', 'nginx']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Job for nginx\.service failed because the control process exited with error code\.\nSee "systemctl status nginx\.service" and "journalctl -xeu nginx\.service" for details\.\n$/);
    expect((await t.run('ella', ['systemctl', 'is-active', 'nginx'])).out).toBe('failed\n');
    const l = await t.run('ella', ['systemctl', '--failed']);
    expect(l.out).toMatch(/^● nginx\.service loaded failed failed A high performance web server/m);
    expect(l.out).toMatch(/^1 loaded units listed\.$/m);
  });

  it('mysql is an alias of mariadb, and starting it runs the server', async () => {
    const t = makeWorld();
    await t.run('elea', ['systemctl', 'stop', 'mysql']);
    expect(t.m('elea').mysql!.running).toBe(false);
    expect((await t.run('elea', ['systemctl', 'is-active', 'mariadb'])).out).toBe('inactive\n');
    await t.run('elea', ['systemctl', 'start', 'mariadb']);
    expect(t.m('elea').mysql!.running).toBe(true);
    expect((await t.run('elea', ['systemctl', 'status', 'mariadb'])).out).toMatch(/^● mariadb\.service - MariaDB 10\.11\.6 database server$/m);
  });
});
