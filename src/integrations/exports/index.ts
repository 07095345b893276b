export * from './csaf-export.js';
export * from './ghsa-export.js';
export * from './markdown-export.js';
export * from './openvex-export.js';
export * from './osv-export.js';
