import { describe, expect, it } from 'vitest';
import { plainRacksFrame } from '../../src/ui/plainFrame.js';
import { fleet, harness, tick } from './harness.js';

describe('the first frame painted before Ink loads', () => {
  it('lays the racks out as the racks view does, every machine not probed yet', async () => {
    const f = fleet();
    const plain = plainRacksFrame(f, 100, 24, { lab: true }).split('\r\n');
    expect(plain.length).toBeLessThanOrEqual(24);
    const h = harness({ f, lab: true });
    await tick();
    const ink = (h.frame() ?? '').split('\n');
    h.unmount();
    // the rack columns are the same lines, character for character
    const racks = (lines: string[]) => lines.filter((l) => /^\s*\d+ |\/ [AB] \(/.test(l)).map((l) => l.trimEnd());
    expect(racks(plain)).toEqual(racks(ink));
    expect(plain[0]).toContain('[LAB]');
  });
  it('is ASCII in ASCII mode', () => {
    // eslint-disable-next-line no-control-regex
    expect(plainRacksFrame(fleet(), 100, 24, { ascii: true })).not.toMatch(/[^\x00-\x7f]/);
  });
});
