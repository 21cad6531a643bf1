/**
 * Device nodes a lab machine has under /dev, for `test -b` / `test -c`: its present disks and their partitions,
 * its md arrays, the usual character devices, and /dev/ipmi0 when it has a BMC (the kernel's ipmi_si/ipmi_devintf
 * create it on such hardware).
 */
import { resolveBlock } from './commands/storage/devices.js';
import type { LabMachine } from './state.js';

export function isBlockDevice(m: LabMachine, path: string): boolean {
  if (!path.startsWith('/dev/')) return false;
  const name = path.slice('/dev/'.length);
  if (/^md\/?\d+$/.test(name)) return m.md.some((a) => a.name === name.replace('/', ''));
  return resolveBlock(m, path) !== undefined;
}

const CHAR = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/console', '/dev/ttyS0', '/dev/ptmx']);

export function isCharDevice(m: LabMachine, path: string): boolean {
  if (path === '/dev/ipmi0') return m.bmc !== undefined;
  return CHAR.has(path);
}
