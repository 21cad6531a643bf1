import type { LabModule } from '../../shell/types.js';

export const pve: LabModule = { commands: {} };
