import type { LabModule } from '../shell/types.js';

export const basic: LabModule = { commands: {} };
