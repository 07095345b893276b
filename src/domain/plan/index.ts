export * from './plan-parse.js';
export * from './plan-rules.js';
export * from './plan-schema.js';
export * from './plan-json-schema.js';
