export * from './drill-report.js';
export * from './drill-scenario.js';
