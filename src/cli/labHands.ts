/** `--lab-hands`: the lab's people perform a manual step's physical action through the lab's control socket. */
import { dirname, join } from 'node:path';
import type { Fleet } from '../model/fleet.js';
import { controlRequest } from '../lab/controlClient.js';
import { UserError } from './errors.js';

export function labHands(fleet: Fleet): (action: string) => Promise<string> {
  if (!fleet.lab || !fleet.source) throw new UserError('--lab-hands works only on the lab (its inventory sits beside the lab\'s control socket)');
  const socket = join(dirname(fleet.source), 'control.sock');
  return async (line) => {
    const [action, machine, ...args] = line.trim().split(/\s+/);
    const r = await controlRequest<unknown>(socket, 'hands', { action, machine, args });
    return typeof r === 'string' ? r : JSON.stringify(r);
  };
}
