/** Plan messages: composing, reviewing and sending templates; sitreps delivered to their audiences. */
export * from './message-service.js';
export * from './sitrep-delivery.js';
export * from './template-timeline.js';
