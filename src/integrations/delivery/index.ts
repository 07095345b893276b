/** Outbound delivery: senders per channel kind, the outbox with retries, contact points. */
export * from './channel-senders.js';
export * from './contact-points.js';
export * from './delivery-service.js';
export * from './message-payloads.js';
export * from './retry-policy.js';
export * from './webhook-signature.js';
