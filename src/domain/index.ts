/** The pure core: plans, incidents, clocks and the hash chain. No I/O lives here. */
export * from './chain/index.js';
export * from './clocks/index.js';
export * from './errors.js';
export * from './incident/index.js';
export * from './plan/index.js';
export * from './time/calendar.js';
export * from './time/duration.js';
