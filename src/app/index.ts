export * from './firebreak-app.js';
export * from './incident-service.js';
export * from './plan-catalog.js';
export * from './template-renderer.js';
export * from './time-source.js';
export * from './incident-view.js';
export * from './advisory-service.js';
