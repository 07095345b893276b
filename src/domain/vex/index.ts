export * from './vex-statement.js';
