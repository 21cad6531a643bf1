import type { LabModule } from '../shell/types.js';

export const mysql: LabModule = { commands: {} };
