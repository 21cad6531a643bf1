import { describe, expect, it } from 'vitest';
import { makeWorld, VIP } from './fixture.js';
import { extra } from '../../../src/lab/machine-extra.js';
import { vipHolder } from '../../../src/lab/commands/services.js';

describe('APC strip CLI', () => {
  it('olStatus all lists every outlet after E000: Success', async () => {
    const t = makeWorld();
    const r = await t.run('apc', ['olStatus', 'all']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 3)).toEqual(['E000: Success', ' 1: eva: On', ' 2: estelle: On']);
    expect(r.out).toContain(' 7: Outlet 7: Off\n');
    expect((await t.run('apc', ['olStatus', '3'])).out).toBe('E000: Success\n 3: emma: On\n');
  });

  it('olOff cuts the machine wired to the outlet; olOn gives AC back (BIOS policy always-on boots it)', async () => {
    const t = makeWorld();
    extra(t.m('emma')).acRestore = 'always-on';
    expect(await t.run('apc', ['olOff', 'emma'])).toEqual({ code: 0, out: 'E000: Success\n', err: '' });
    expect(t.m('emma').power).toBe('off');
    expect((await t.run('apc', ['olStatus', 'emma'])).out).toBe('E000: Success\n 3: emma: Off\n');
    expect((await t.run('apc', ['olOn', '3'])).code).toBe(0);
    expect(t.m('emma').power).toBe('on');
    expect(t.m('emma').boot).toBe('booting');
    t.advance(120_000);
    expect(t.m('emma').boot).toBe('up');
    expect((await t.run('emma', ['systemctl', 'is-active', 'apache2'])).out).toBe('active\n');
  });

  it('a BIOS set to stay off after AC loss stays off when the outlet comes back', async () => {
    const t = makeWorld();
    extra(t.m('elea')).acRestore = 'always-off';
    await t.run('apc', ['olOff', '5']);
    await t.run('apc', ['olOn', '5']);
    expect(t.m('elea').power).toBe('off');
  });

  it('cutting the master director moves the VIP to the backup', async () => {
    const t = makeWorld();
    await t.run('apc', ['olOff', '1']);
    t.advance(4000);
    expect(vipHolder(t.world, VIP)?.name).toBe('estelle');
  });

  it('olReboot switches off then on again; bad outlets are a parameter error', async () => {
    const t = makeWorld();
    extra(t.m('ella')).acRestore = 'always-on';
    const before = t.world.now();
    expect((await t.run('apc', ['olReboot', '4'])).out).toBe('E000: Success\n');
    expect(t.world.now() - before).toBeGreaterThanOrEqual(5000);
    expect(t.m('ella').power).toBe('on');
    expect(t.m('ella').boot).toBe('booting');
    expect(await t.run('apc', ['olOn', '42'])).toEqual({ code: 1, out: 'E102: Parameter Error\n', err: '' });
    expect((await t.run('apc', ['olOff'])).out).toBe('E102: Parameter Error\n');
  });

  it('only the strip has these commands', async () => {
    const t = makeWorld();
    expect(await t.run('eva', ['olStatus', 'all'])).toEqual({ code: 127, out: '', err: 'bash: olStatus: command not found\n' });
  });
});
