import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustKey } from '../../src/app/hostKeys.js';

describe('trusting a reinstalled machine\'s new key', () => {
  it('replaces only that host:port\'s entries, in the file that held them', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kh-'));
    const lab = join(d, 'known_hosts');
    const user = join(d, 'user_known_hosts');
    const old = Buffer.from('0000000b7373682d6564323535313900000020' + 'aa'.repeat(32), 'hex');
    const fresh = Buffer.from('0000000b7373682d6564323535313900000020' + 'bb'.repeat(32), 'hex');
    writeFileSync(lab, `[127.0.0.1]:2213 ssh-ed25519 ${old.toString('base64')}\n[127.0.0.1]:2214 ssh-ed25519 ${old.toString('base64')}\n`);
    writeFileSync(user, 'other.example ssh-ed25519 AAAA\n');
    const changed = await trustKey([lab, user], '127.0.0.1', 2213, fresh);
    expect(changed).toEqual([lab]);
    const text = readFileSync(lab, 'utf8');
    expect(text).toContain(`[127.0.0.1]:2213 ssh-ed25519 ${fresh.toString('base64')}`);
    expect(text).toContain(`[127.0.0.1]:2214 ssh-ed25519 ${old.toString('base64')}`);
    expect(text).not.toContain(`[127.0.0.1]:2213 ssh-ed25519 ${old.toString('base64')}`);
    expect(readFileSync(user, 'utf8')).toBe('other.example ssh-ed25519 AAAA\n');
  });
});
