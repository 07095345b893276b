/**
 * The outbound guard: every outbound HTTP request and SMTP connection (deliveries, chat,
 * witnesses) goes through `OutboundGuard` — `guardedPost` for HTTP, `guard.connect` for a
 * raw TCP socket, `guard.lookup` for any other node:net/http client.
 */
export * from './guarded-http.js';
export * from './outbound-guard.js';
