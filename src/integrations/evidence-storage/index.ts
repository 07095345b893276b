export * from './evidence-storage.js';
export * from './fs-evidence-storage.js';
