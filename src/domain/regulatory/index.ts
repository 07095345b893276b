export * from './library.js';
export * from './regulatory-filing.js';
export * from './regulatory-stage.js';
