/** Every lab command module, merged. Each module owns its own file. */
import type { LabCommand, DynamicFile, LabModule } from '../shell/types.js';
import type { LabWorld } from '../world.js';
import { basic } from './basic.js';
import { storage } from './storage/index.js';
import { pve } from './pve/index.js';
import { services } from './services.js';
import { net } from './net.js';
import { mysql } from './mysql.js';
import { apc } from './apc.js';
import { powerCmds } from './power.js';

export const MODULES: LabModule[] = [basic, storage, pve, services, net, mysql, apc, powerCmds];

export const COMMANDS: Record<string, LabCommand> = Object.assign({}, ...MODULES.map((m) => m.commands));
export const DYNAMIC_FILES: Record<string, DynamicFile> = Object.assign({}, ...MODULES.map((m) => m.files ?? {}));

export function installTickers(world: LabWorld): void {
  for (const m of MODULES) for (const t of m.tickers ?? []) world.tickers.push(t);
}
