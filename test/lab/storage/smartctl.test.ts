import { describe, expect, it } from 'vitest';
import { lab, mdMachine } from './fixture.js';
import { failDisk } from '../../../src/lab/commands/storage/index.js';

describe('smartctl', () => {
  it('-H on a healthy disk: PASSED, exit 0, real banner', async () => {
    const m = mdMachine();
    const r = await lab(m).run(m, 'smartctl -H /dev/sda');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^smartctl 7\.\d \d{4}-\d\d-\d\d r\d+ \[x86_64-linux-[\w.-]+\] \(local build\)\nCopyright \(C\) 2002-\d\d, Bruce Allen, Christian Franke, www\.smartmontools\.org\n\n/);
    expect(r.out).toContain('=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n');
  });

  it('a failing disk: FAILED!, the failing attribute, and bit 3 (and 4) of the exit status', async () => {
    const m = mdMachine();
    const l = lab(m);
    failDisk(l.world, m, 'sdb');
    const h = await l.run(m, 'smartctl -H /dev/sdb');
    expect(h.out).toMatch(/^SMART overall-health self-assessment test result: FAILED!$/m);
    expect(h.out).toMatch(/^Failed Attributes:\nID# ATTRIBUTE_NAME +FLAG +VALUE WORST THRESH TYPE +UPDATED +WHEN_FAILED RAW_VALUE\n {2}5 Reallocated_Sector_Ct +0x0033 +\d{3} +\d{3} +010 +Pre-fail +Always +FAILING_NOW \d+$/m);
    expect(h.code & 8).toBe(8);
    const a = await l.run(m, 'smartctl -A /dev/sdb');
    expect(a.out).toMatch(/^197 Current_Pending_Sector {2}0x0012 {3}100 {3}100 {3}000 {4}Old_age {3}Always {7}- {7}[1-9]\d*$/m);
    expect(a.out).toMatch(/^ {2}9 Power_On_Hours {10}0x0032 {3}\d{3} {3}\d{3} {3}000 {4}Old_age {3}Always {7}- {7}21907$/m);
    expect(a.code & 16).toBe(16);
    expect(a.code & 8).toBe(0);
  });

  it('-i prints the identity; -j gives JSON with smart_status and the attribute table', async () => {
    const m = mdMachine();
    const l = lab(m);
    const i = await l.run(m, 'smartctl -i /dev/sda');
    expect(i.out).toMatch(/^Device Model: {5}SAMSUNG MZ7LH480HAHQ-00005$/m);
    expect(i.out).toMatch(/^Serial Number: {4}S45PNA0M500123$/m);
    expect(i.out).toMatch(/^User Capacity: {4}480,103,981,056 bytes \[480 GB\]$/m);
    failDisk(l.world, m, 'sdb');
    const j = await l.run(m, 'smartctl -j -a /dev/sdb');
    const doc = JSON.parse(j.out) as {
      smart_status: { passed: boolean }; serial_number: string; smartctl: { exit_status: number };
      ata_smart_attributes: { table: { id: number; name: string; raw: { value: number } }[] };
    };
    expect(doc.smart_status.passed).toBe(false);
    expect(doc.serial_number).toBe('S45PNA0M500456');
    expect(doc.smartctl.exit_status).toBe(j.code);
    const realloc = doc.ata_smart_attributes.table.find((t) => t.id === 5)!;
    expect(realloc.name).toBe('Reallocated_Sector_Ct');
    expect(realloc.raw.value).toBeGreaterThan(0);
    expect(j.code & 8).toBe(8);
  });

  it('a pulled disk gives the open error and exit 2', async () => {
    const m = mdMachine();
    const l = lab(m);
    m.disks[1]!.gone = true;
    const r = await l.run(m, 'smartctl -a /dev/sdb');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/\nSmartctl open device: \/dev\/sdb failed: No such device\n$/);
    const j = await l.run(m, 'smartctl -j -H /dev/sdb');
    expect(JSON.parse(j.out).smartctl.messages[0].string).toBe('Smartctl open device: /dev/sdb failed: No such device');
    const none = await l.run(m, 'smartctl -H');
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/ERROR: smartctl requires a device name as the final command-line argument\./);
  });
});
