export * from './database.js';
export * from './incident-store.js';
export * from './plan-store.js';
export * from './store.js';
export * from './advisory-store.js';
