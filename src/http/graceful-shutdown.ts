/**
 * Stopping a server without dropping work: on SIGTERM or SIGINT the server stops
 * accepting connections (new requests on open ones get 503, so a load balancer moves on),
 * lets in-flight requests finish, then closes the store. A request (or stream) still open
 * after the grace period is cut off; a second signal stops at once.
 */
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** How long in-flight requests may take to finish (FIREBREAK_SHUTDOWN_TIMEOUT, ms). */
  readonly graceMs: number;
  /** Closes what the server used (the app and its store), after the last request. */
  readonly closeResources: () => Promise<void>;
  readonly exit?: (code: number) => void;
}

export function shutdownGraceMs(raw = process.env['FIREBREAK_SHUTDOWN_TIMEOUT']): number {
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`FIREBREAK_SHUTDOWN_TIMEOUT must be a number of milliseconds, not "${raw}"`);
  return ms;
}

/** Returns the shutdown function (also what the signal handlers call). */
export function gracefulShutdown(server: FastifyInstance, options: ShutdownOptions): (reason: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;
  return (reason: string) => {
    if (stopping) {
      server.log.warn({ reason }, 'second stop request: exiting now');
      exit(1);
      return stopping;
    }
    server.log.info({ reason, graceMs: options.graceMs }, 'shutting down: finishing in-flight requests');
    stopping = (async () => {
      const timer = setTimeout(() => {
        server.log.warn('grace period over: closing the connections still open');
        server.server.closeAllConnections();
      }, options.graceMs);
      timer.unref();
      // A keep-alive connection whose request finishes after close() began stays open
      // (Node closes only the connections idle at that moment): close those as they idle.
      const sweeper = setInterval(() => server.server.closeIdleConnections(), 100);
      sweeper.unref();
      try {
        await server.close();
      } finally {
        clearTimeout(timer);
        clearInterval(sweeper);
      }
      await options.closeResources();
      server.log.info('stopped');
      exit(0);
    })();
    return stopping;
  };
}

export function onStopSignals(stop: (reason: string) => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
}
