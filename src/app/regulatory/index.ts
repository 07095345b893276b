export * from './regulatory-report-export.js';
