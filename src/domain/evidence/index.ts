export * from './custody.js';
export * from './evidence-input.js';
