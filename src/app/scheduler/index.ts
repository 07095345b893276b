/** The scheduler: durable clock rows, the reactor that keeps them current, the worker that fires them. */
export * from './clock-notices.js';
export * from './clock-schedule.js';
export * from './plan-clocks.js';
export * from './schedule-store.js';
export * from './scheduler.js';
