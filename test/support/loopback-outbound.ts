/**
 * The tests' receivers (webhooks, SMTP, chat) listen on loopback, which the outbound guard
 * refuses by default. Every app or server the shared harness builds allows loopback, and
 * only loopback, explicitly: createTestApp passes a guard with this list, serve-process and
 * the CLI runner set FIREBREAK_OUTBOUND_ALLOW, and the vitest configs set it for anything
 * else that builds an app from the environment. The guard's own tests build guards without it.
 */
export const LOOPBACK_OUTBOUND_ALLOW = '127.0.0.0/8,::1,localhost';
