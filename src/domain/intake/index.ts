export * from './alert.js';
export * from './fingerprint.js';
export * from './reporter-status.js';
export * from './routing.js';
