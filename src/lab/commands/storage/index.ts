import type { LabModule } from '../../shell/types.js';

export const storage: LabModule = { commands: {} };
