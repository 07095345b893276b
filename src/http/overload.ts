/**
 * Overload protection: when the process has more work than it can finish in time, new
 * requests are answered `503` problem+json with `Retry-After` at once, before sign-in or
 * any database work, instead of joining a queue whose answers would come too late. Three
 * signals, each off at 0:
 *
 * - requests in flight (`maxInFlight`): counted from arrival until the response is done or
 *   the connection is gone; the request that would exceed the limit is refused.
 * - event-loop delay (`maxEventLoopDelayMs`, measured by `@fastify/under-pressure` as the
 *   mean delay over the last sample interval): the process is too busy to answer anyone.
 * - waiting time (`maxWaitMs`): a request that waited this long between arrival and the
 *   start of its handler is refused then; its client has probably given up.
 *
 * And work for clients that have gone is dropped: a request whose connection closed
 * before its handler starts is answered into the void without running the handler.
 *
 * Never refused and never counted: liveness (`/api/health`), readiness (`/api/ready`),
 * Prometheus (`/metrics`) and the live event streams (long-lived by design; they hold no
 * request slot). A refused request has changed nothing: it is refused before its body is
 * read, or, for the waiting time and gone clients, before its handler runs. Ingest sources
 * get the same 503 and Retry-After; Alertmanager retries on 5xx by itself, GitHub does not
 * redeliver webhooks automatically (redeliver from the webhook's Recent Deliveries).
 */
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { problemOf, sendProblem } from './problem.js';

export interface OverloadSettings {
  /** Most requests handled at once; 0: no limit (FIREBREAK_MAX_IN_FLIGHT). */
  readonly maxInFlight: number;
  /** Mean event-loop delay in ms above which requests are refused; 0: off (FIREBREAK_MAX_EVENT_LOOP_DELAY_MS). */
  readonly maxEventLoopDelayMs: number;
  /** Longest wait in ms from arrival to the start of the handler; 0: off (FIREBREAK_MAX_WAIT_MS). */
  readonly maxWaitMs: number;
  /** Seconds sent in Retry-After (FIREBREAK_OVERLOAD_RETRY_AFTER). */
  readonly retryAfterSeconds: number;
  /** How often the event-loop delay is sampled (ms); tests make it short. */
  readonly sampleIntervalMs?: number;
}

/** What `firebreak serve` runs with when the environment says nothing. */
export const DEFAULT_OVERLOAD: OverloadSettings = { maxInFlight: 64, maxEventLoopDelayMs: 1000, maxWaitMs: 10_000, retryAfterSeconds: 2 };

/** No protection at all (the default of `buildServer` for embedding and tests). */
export const NO_OVERLOAD_PROTECTION: OverloadSettings = { maxInFlight: 0, maxEventLoopDelayMs: 0, maxWaitMs: 0, retryAfterSeconds: 2 };

export const SHED_REASONS = ['in_flight', 'event_loop_delay', 'waited_too_long'] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

export interface OverloadFigures {
  readonly inFlight: number;
  /** Requests refused with 503, by reason, since the process started. */
  readonly shed: Readonly<Record<ShedReason, number>>;
  /** Requests dropped because their client had closed the connection before the handler started. */
  readonly clientGone: number;
  /** Mean event-loop delay over the last sample interval (ms), as the limit sees it. */
  readonly eventLoopDelayMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    overload: { readonly settings: OverloadSettings; figures(): OverloadFigures };
  }
}

const NEVER_SHED = new Set(['/api/health', '/api/ready', '/metrics']);

/** Routes that are never refused nor counted: health, readiness, metrics and event streams. */
export function isExempt(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && (NEVER_SHED.has(routeUrl) || (routeUrl.startsWith('/api/') && routeUrl.endsWith('/stream')));
}

const DETAIL: Record<ShedReason, (settings: OverloadSettings) => string> = {
  in_flight: (s) => `the server is overloaded: ${s.maxInFlight} requests are already in progress; retry after ${s.retryAfterSeconds} s`,
  event_loop_delay: (s) => `the server is overloaded: its event loop is more than ${s.maxEventLoopDelayMs} ms behind; retry after ${s.retryAfterSeconds} s`,
  waited_too_long: (s) => `the server is overloaded: this request waited more than ${s.maxWaitMs} ms to start and was not run; retry after ${s.retryAfterSeconds} s`,
};

const arrivedAt = Symbol('arrivedAt');
type Timed = FastifyRequest & { [arrivedAt]?: number };

async function overloadProtection(server: FastifyInstance, settings: OverloadSettings): Promise<void> {
  let inFlight = 0;
  let clientGone = 0;
  const shed: Record<ShedReason, number> = { in_flight: 0, event_loop_delay: 0, waited_too_long: 0 };

  // Refusing must cost next to nothing: the answers are serialized once, and the log gets
  // one warning per 10 s with the totals rather than a line per refused request.
  const answers = Object.fromEntries(SHED_REASONS.map((reason) => [reason, JSON.stringify(problemOf(503, 'FB_ERR_HTTP_OVERLOADED', DETAIL[reason](settings)))])) as Record<ShedReason, string>;
  let warnedAt = Number.NEGATIVE_INFINITY;
  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: ShedReason) => {
    shed[reason] += 1;
    request.log.debug({ reason }, 'request shed: server overloaded');
    if (performance.now() - warnedAt >= 10_000) {
      warnedAt = performance.now();
      server.log.warn({ shed: { ...shed }, inFlight }, 'server overloaded: refusing requests with 503 (totals since start; next warning in 10 s at the earliest)');
    }
    return reply.code(503).header('retry-after', String(settings.retryAfterSeconds)).type('application/problem+json; charset=utf-8').send(answers[reason]);
  };

  await server.register(underPressure, {
    maxEventLoopDelay: settings.maxEventLoopDelayMs,
    sampleInterval: settings.sampleIntervalMs ?? 1000,
    retryAfter: settings.retryAfterSeconds,
    // Called only when the event loop is over the limit; exempt routes go on as usual.
    pressureHandler: (request, reply) => {
      if (isExempt(request.routeOptions.url)) return;
      refuse(request, reply, 'event_loop_delay');
    },
  });

  server.decorate('overload', {
    settings,
    figures: (): OverloadFigures => ({ inFlight, shed: { ...shed }, clientGone, eventLoopDelayMs: Math.round(server.memoryUsage().eventLoopDelay * 100) / 100 }),
  });

  // Both hooks run on every request and never wait for anything, so they are written with
  // `done` rather than async: an async hook costs a promise and a microtask per request.
  // A hook that answers the request itself does not call `done`.
  server.addHook('onRequest', (request: Timed, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (reply.sent || isExempt(request.routeOptions.url)) return done();
    if (settings.maxInFlight > 0 && inFlight >= settings.maxInFlight) return void refuse(request, reply, 'in_flight');
    inFlight += 1;
    request[arrivedAt] = performance.now();
    // 'close' comes once per response: when it is done, or when the connection went first.
    // One shared listener, added with `on`: `once` wraps it anew for every request.
    reply.raw.on('close', leave);
    done();
  });
  function leave() {
    inFlight -= 1;
  }

  // The last step before each route's handler, after sign-in, rate limits and idempotency.
  function beforeHandler(request: Timed, reply: FastifyReply, done: HookHandlerDoneFunction) {
    if (reply.raw.destroyed) {
      clientGone += 1;
      request.log.info('client closed the connection before the handler started: not run');
      // Still answered through the usual path, so the idempotency record is released.
      return void sendProblem(reply, problemOf(503, 'FB_ERR_HTTP_OVERLOADED', 'the client closed the connection before this request was handled; it was not run'));
    }
    const arrived = request[arrivedAt];
    if (settings.maxWaitMs > 0 && arrived !== undefined && performance.now() - arrived > settings.maxWaitMs) return void refuse(request, reply, 'waited_too_long');
    done();
  }
  server.addHook('onRoute', (route: RouteOptions) => {
    if (isExempt(route.url)) return;
    route.preHandler = [...[route.preHandler ?? []].flat(), beforeHandler];
  });
}

/** Registered first in `buildServer`, so its hooks run before sign-in and every route. */
export const overloadPlugin = fp(overloadProtection, { name: 'firebreak-overload', fastify: '5.x' });
