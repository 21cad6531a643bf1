import { afterEach, describe, expect, it } from 'vitest';
import { harness, tick } from './harness.js';
import { Session } from '../../src/app/session.js';
import type { Reach } from '../../src/app/reach.js';
import type { Fleet } from '../../src/model/fleet.js';

let h: ReturnType<typeof harness> | undefined;
afterEach(() => h?.unmount());

describe('questions the console asks', () => {
  it('shows an unknown host key with its fingerprint and takes a one-key answer', async () => {
    h = harness();
    h.store.dispatch({ type: 'ask', ask: { id: 7, title: 'Unknown host key for ella', lines: ['127.0.0.1:2207 presents ssh-ed25519 SHA256:abc'], choices: [{ key: 'a', label: 'accept and save', value: 'accept' }, { key: 'r', label: 'refuse', value: 'refuse' }] } });
    await tick();
    expect(h.frame()).toContain('SHA256:abc');
    await h.type('s'); // not a choice: nothing happens, and no shell opens behind the question
    expect(h.calls).toEqual([]);
    await h.type('r');
    expect(h.calls).toEqual(['ask:7:refuse']);
  });

  it('masks a typed passphrase', async () => {
    h = harness();
    h.store.dispatch({ type: 'ask', ask: { id: 3, title: 'Key passphrase', lines: ['for ~/.ssh/id_ed25519'], secret: true, typed: '' } });
    await tick();
    await h.type('h', 'u', 'n', 't', 'e', 'r', '2');
    expect(h.frame()).toContain('*******');
    expect(h.frame()).not.toContain('hunter2');
    await h.type('\r');
    expect(h.calls).toEqual(['ask:3:hunter2']);
  });

  it('queues questions in the session and resolves each with its answer', async () => {
    const fleet: Fleet = { sites: [], racks: [], machines: [], vms: [] };
    const s = new Session({ fleet, reach: {} as Reach, refreshMs: 10_000, onQuit: () => undefined });
    const q = { machine: 'ella', host: '127.0.0.1', port: 2207, keyType: 'ssh-ed25519', fingerprint: 'SHA256:xyz' };
    const first = s.askHostKey(q);
    const second = s.askHostKey({ ...q, machine: 'emma' });
    await tick();
    expect(s.store.getState().ask?.title).toBe('Unknown host key for ella');
    s.answerAsk(s.store.getState().ask!.id, 'accept-once');
    expect(await first).toBe('accept-once');
    await tick();
    expect(s.store.getState().ask?.title).toBe('Unknown host key for emma');
    s.answerAsk(s.store.getState().ask!.id, undefined);
    expect(await second).toBe('refuse');
  });
});
