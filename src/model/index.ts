export * from './fleet.js';
export * from './health.js';
export * from './duration.js';
