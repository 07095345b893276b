/** Rules for messages that leave Firebreak: placeholders that block a send, times for people. */
export * from './message-time.js';
export * from './placeholder.js';
