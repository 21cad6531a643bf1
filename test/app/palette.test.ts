import { describe, expect, it } from 'vitest';
import { buildPalette } from '../../src/app/palette.js';
import type { Fleet } from '../../src/model/fleet.js';

const fleet: Fleet = {
  sites: [{ name: 'paris' }],
  racks: [{ name: 'A', site: 'paris', height: 42 }],
  vms: [{ id: 100, name: 'web', type: 'qemu', node: 'pve1' }],
  machines: ['ella', 'elea', 'elma', 'emma', 'fey', 'pve1', 'nella'].map((name, i) => ({ name, site: 'paris', rack: 'A', u: i + 1, height: 1, roles: [], disks: [], services: [] })),
};

describe('palette search', () => {
  const p = buildPalette(fleet);
  it('puts the exact name first, then names starting with it, then names containing it', () => {
    expect(p.search('ella').map((i) => i.label).slice(0, 2)).toEqual(['ella', 'nella']);
    expect(p.search('el').map((i) => i.label).slice(0, 3)).toEqual(['ella', 'elea', 'elma']);
  });
  it('falls back to fuzzy matching for a typo', () => {
    expect(p.search('elal').map((i) => i.label)).toContain('ella');
  });
  it('finds VMs and views, and answers the same query twice with the same result', () => {
    expect(p.search('web')[0]).toMatchObject({ kind: 'vm', vmid: 100, node: 'pve1' });
    expect(p.search('racks')[0]).toMatchObject({ kind: 'view', view: 'racks' });
    expect(p.search('fe')).toBe(p.search('fe'));
  });
});
