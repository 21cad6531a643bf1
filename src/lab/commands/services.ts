import type { LabModule } from '../shell/types.js';

export const services: LabModule = { commands: {} };
