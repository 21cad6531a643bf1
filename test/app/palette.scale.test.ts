import { describe, expect, it } from 'vitest';
import { buildPalette } from '../../src/app/palette.js';
import { liveGuests } from '../../src/app/fleetView.js';
import { genFleet, genProbes } from './bigFleet.js';

describe('palette on a big fleet (2,000 machines, 10,000 guests)', () => {
  const fleet = genFleet({ machines: 2000, hypervisors: 200 });
  const guests = liveGuests(fleet, genProbes(fleet, { perHv: 50 }));
  const p = buildPalette(fleet, guests);
  const labels = (q: string) => p.search(q, 8).map((i) => i.label);

  it('indexes every machine and guest', () => {
    expect(guests.length).toBeGreaterThan(9000);
    expect(p.size).toBeGreaterThanOrEqual(fleet.machines.length + guests.length);
  });

  it('finds names with a typo among ~12,000 items', () => {
    expect(labels('pve042')).toContain('pve0042'); // a zero missing
    expect(labels('vm-0o423')[0]).toBe('vm-00423'); // a letter for a digit
    const mysql = fleet.machines.find((m) => m.name.startsWith('mysql-03'))!.name;
    const web = fleet.machines.find((m) => m.name.startsWith('web-03'))!.name;
    expect(labels(mysql.replace('ys', 'sy'))[0]).toBe(mysql); // swapped letters
    expect(labels(`${web}x`)[0]).toBe(web); // an extra character
  });

  it('still puts names the operator typed exactly first, then prefixes', () => {
    expect(labels('pve0042')[0]).toBe('pve0042');
    // vm-04230…vm-04239 hold the text as typed: they come before vm-00423 (one zero more)
    expect(labels('vm-0423')).toEqual(['vm-04230', 'vm-04231', 'vm-04232', 'vm-04233', 'vm-04234', 'vm-04235', 'vm-04236', 'vm-04237']);
    expect(labels('vm-0042')).toEqual(['vm-00420', 'vm-00421', 'vm-00422', 'vm-00423', 'vm-00424', 'vm-00425', 'vm-00426', 'vm-00427']);
  });

  it('finds machines by place when no name matches', () => {
    const r = p.search('rouans/R002', 8);
    expect(r.length).toBe(8);
    for (const i of r) expect(i.detail).toContain('rouans/R002');
  });

  it('answers nothing for text far from every item', () => {
    expect(labels('qqqqzzzz')).toEqual([]);
  });
});
