import type { LabModule } from '../shell/types.js';

export const net: LabModule = { commands: {} };
