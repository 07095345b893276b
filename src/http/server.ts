/**
 * The Firebreak HTTP server: the API under `/api` (documented at `/api/docs`, described
 * by `/api/openapi.json`) and the web app at `/`. Routes live in one folder per resource
 * under `src/http/`; this file only assembles them with the cross-cutting parts: problem
 * answers, who is calling, rate limits, idempotent retries and live updates.
 */
import { ackRoutes } from './paging/ack-routes.js';
import { escalationPolicyRoutes } from './paging/policy-routes.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { SECURITY_HEADERS } from './security-headers.js';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditLog } from '../app/auth/audit-log.js';
import { AuthService } from '../app/auth/auth-service.js';
import { randomSecret } from '../app/auth/secret-token.js';
import { UserDirectory } from '../app/auth/user-directory.js';
import type { FirebreakApp } from '../app/firebreak-app.js';
import { feedClockChanges, feedCommittedIncidents, InProcessLiveFeed, type LiveFeed } from '../app/live-feed.js';
import { FirebreakError } from '../domain/errors.js';
import { checkReadiness } from '../store/readiness.js';
import { authRoutes } from './auth/routes.js';
import { registerRequestAuth } from './auth/request-auth.js';
import { DEFAULT_RATE_LIMITS, type HttpContext, type OidcSettings, type RateLimits } from './http-context.js';
import { registerIdempotency } from './idempotency.js';
import { incidentRoutes } from './incidents/routes.js';
import { regulatoryDraftRoutes } from './incidents/regulatory-draft-routes.js';
import { ingestRoutes } from './intake/ingest-routes.js';
import { type PublicReportRoutesOptions, publicReportRoutes } from './intake/public-report-routes.js';
import { reporterThreadRoutes } from './intake/reporter-thread-routes.js';
import { planRoutes } from './plans/routes.js';
import { NO_OVERLOAD_PROTECTION, type OverloadSettings, overloadPlugin } from './overload.js';
import { installProblemHandlers, routeNotFound } from './problem.js';
import { problemResponses, TAGS } from './route-docs.js';
import { registerPublicAdvisoryRoutes } from './advisories/public-routes.js';
import { advisoryRoutes } from './advisories/routes.js';
import { cvssRoutes } from './advisories/cvss-routes.js';
import { vexRoutes } from './advisories/vex-routes.js';
import { streamRoutes } from './stream/routes.js';
import { StreamHub } from './stream/stream-hub.js';
import { deliveryRoutes } from './deliveries/routes.js';
import { messageRoutes } from './messages/routes.js';
import { tokenRoutes } from './tokens/routes.js';
import { calendarFeedRoutes, scheduleRoutes } from './schedules/routes.js';
import { registerStorableInputCheck } from './storable-input.js';
import { userRoutes } from './users/routes.js';
import { actionItemRoutes } from './action-items/routes.js';
import { drillRoutes } from './drills/routes.js';
import { evidenceRoutes } from './evidence/routes.js';
import { metricsApiRoutes, metricsRoutes } from './metrics/routes.js';
import { checkpointKeyRoute, recordRoutes } from './record/routes.js';
import { planUpkeepRoutes } from './plan-upkeep/routes.js';
import { reviewRoutes } from './reviews/routes.js';
import { searchRoutes } from './search/routes.js';

export interface ServerOptions {
  readonly app: FirebreakApp;
  /** Pino settings; `false` silences logs (tests). */
  readonly logger?: boolean | { level: string };
  /** Trust X-Forwarded-* from a reverse proxy (then the session cookie is Secure behind TLS). */
  readonly trustProxy?: boolean | string;
  readonly oidc?: OidcSettings | null;
  readonly limits?: Partial<RateLimits>;
  readonly heartbeatMs?: number;
  /** Signs the short-lived SSO cookie; random per process when not given. */
  readonly cookieSecret?: string;
  /** First administrator from the environment (FIREBREAK_ADMIN_EMAIL/PASSWORD). */
  readonly admin?: { readonly email?: string; readonly password?: string };
  /** The built web app; default `web/dist` of this package, served when it exists. */
  readonly webDist?: string | null;
  readonly live?: LiveFeed;
  /** Settings of the public report routes (plan, rate limits, environment). */
  readonly publicReports?: Omit<PublicReportRoutesOptions, 'app'>;
  /** Load shedding (`firebreak serve` reads it from the environment); off when not given. */
  readonly overload?: OverloadSettings;
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for the contract and authorization tests. */
    routeTable: RouteEntry[];
    firebreak: HttpContext;
    streamHub: StreamHub;
  }
}

/**
 * `web/dist` of this package, found from wherever this module ends up: `src/http/` (tsx),
 * `dist/http/` (tsc) or a chunk of the CLI bundle (`dist/bundle/chunks/`), so the nearest
 * directory with a package.json is the package root.
 */
function defaultWebDist(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web', 'dist');
    dir = dirname(dir);
  }
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

const DEFAULT_WEB_DIST = defaultWebDist();

/** Never logged: credentials in headers, passwords and secrets in bodies. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.setupToken',
];

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { app } = options;
  const logger = options.logger ?? { level: 'info' };
  const server = Fastify({
    logger: logger === false ? false : { ...(logger === true ? {} : logger), redact: { paths: LOG_REDACT, censor: '[redacted]' } },
    bodyLimit: 1_048_576,
    trustProxy: options.trustProxy ?? false,
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  const routeTable: RouteEntry[] = [];
  server.decorate('routeTable', routeTable);
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });

  const live = options.live ?? new InProcessLiveFeed();
  const stopFeedingEvents = feedCommittedIncidents(app.incidents, live);
  const stopFeedingClocks = feedClockChanges(app.scheduler, live);
  const stopFeeding = () => {
    stopFeedingEvents();
    stopFeedingClocks();
  };
  const users = new UserDirectory(app.store.db, app.time);
  const audit = new AuditLog(app.store.db, app.time, server.log.child({ component: 'audit' }));
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
  const auth = new AuthService(app.store.db, app.time, users, audit, {
    loginFailureBudget: { failures: limits.loginFailuresPerAddress, windowMs: limits.loginFailureWindowMinutes * 60_000 },
  });
  const context: HttpContext = {
    app,
    auth,
    live,
    oidc: options.oidc ?? null,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    limits,
  };
  server.decorate('firebreak', context);
  server.addHook('onClose', async () => {
    stopFeeding();
    if (!options.live) await live.close();
  });

  const webDist = options.webDist === undefined ? DEFAULT_WEB_DIST : options.webDist;
  const hasWeb = webDist !== null && existsSync(`${webDist}/index.html`);
  installProblemHandlers(server, (request: FastifyRequest, reply: FastifyReply) => {
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api')) return reply.sendFile('index.html');
    return routeNotFound(request, reply);
  });

  // First, so an overloaded server refuses before sign-in or any database work.
  await server.register(overloadPlugin, options.overload ?? NO_OVERLOAD_PROTECTION);
  await server.register(fastifyHelmet, SECURITY_HEADERS);
  await server.register(fastifyCookie, { secret: options.cookieSecret ?? randomSecret(32) });
  registerRequestAuth(server, context);
  await server.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    max: context.limits.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.principal ? `user|${request.principal.user.id}` : `ip|${request.ip}`),
    // A live stream is one long request that delivers many updates; it is not counted, so a
    // responder with the incident room open (and reconnecting) never spends their budget.
    allowList: (request) => request.routeOptions.config.liveStream === true,
    errorResponseBuilder: (_request, limit) => new FirebreakError('FB_ERR_HTTP_RATE_LIMITED', `too many requests: at most ${limit.max} per ${Math.round(limit.ttl / 1000) || 60} s; retry in ${limit.after}`),
  });
  registerIdempotency(server, app.store.db, app.time);
  registerStorableInputCheck(server);

  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Firebreak API', version: 'v1', description: 'Runs a security incident response plan as software. Errors are RFC 9457 problem+json; see docs/api-contract.md.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fb_session', description: 'Browser session; changes also need the X-CSRF-Token header.' },
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (POST /api/v1/tokens).' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // staticCSP: the docs page gets a CSP of its own that allows only its own files.
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const r = server.withTypeProvider<ZodTypeProvider>();
  r.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => server.swagger());
  r.get('/api/health', {
    config: { access: 'public' },
    schema: { tags: [TAGS.health], summary: 'The process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));
  r.get('/api/ready', {
    config: { access: 'public' },
    schema: {
      tags: [TAGS.health],
      summary: 'The database answers and its schema is current',
      security: [],
      response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']), migrations: z.literal('current') }), ...problemResponses },
    },
  }, async () => {
    const readiness = await checkReadiness(app.store);
    if (!readiness.ready) throw new FirebreakError('FB_ERR_STORE_NOT_READY', `not ready: ${readiness.reason}`);
    return { status: 'ready' as const, database: app.store.dialect, migrations: 'current' as const };
  });

  for (const routes of [authRoutes, tokenRoutes, userRoutes, planRoutes, incidentRoutes, regulatoryDraftRoutes, evidenceRoutes, reviewRoutes, actionItemRoutes, metricsApiRoutes, searchRoutes, drillRoutes, planUpkeepRoutes, advisoryRoutes, cvssRoutes, vexRoutes, reporterThreadRoutes, deliveryRoutes, escalationPolicyRoutes, scheduleRoutes, messageRoutes, recordRoutes]) {
    await server.register((child) => routes(child, context), { prefix: '/api/v1' });
  }
  const hub = new StreamHub(context);
  server.decorate('streamHub', hub);
  server.addHook('preClose', async () => hub.close());
  await server.register((child) => streamRoutes(child, context, hub), { prefix: '/api/v1' });
  await server.register(ingestRoutes, { app });
  await server.register(publicReportRoutes, { app, ...options.publicReports });
  await server.register(ackRoutes, { app });
  // Links in pages point at this server when FIREBREAK_PUBLIC_URL does not say otherwise.
  server.addHook('onListen', async () => {
    const address = server.addresses().find((a) => typeof a !== 'string');
    if (address) app.paging.pager.setOwnAddress(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
  });
  await registerPublicAdvisoryRoutes(server, { advisories: app.advisories, time: app.time, publicUrl: process.env['FIREBREAK_PUBLIC_URL'] });
  await server.register(metricsRoutes, { app });
  await server.register(checkpointKeyRoute, { context });
  await server.register((child) => calendarFeedRoutes(child, context));

  if (hasWeb) {
    await server.register(fastifyStatic, { root: webDist!, wildcard: false });
  } else {
    server.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
      const plans = app.plans.list();
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Firebreak</title></head>
<body><main><h1>Firebreak</h1><p>The incident room is being built. The server is up and runs these plans:</p>
<ul>${plans.map((p) => `<li>${escapeHtml(p.name)} (${escapeHtml(p.id)} ${escapeHtml(p.version)})</li>`).join('')}</ul>
<p>The API is documented at <a href="/api/docs">/api/docs</a>. Use the <code>firebreak</code> CLI meanwhile.</p></main></body></html>`;
    });
  }

  const boot = await auth.bootstrap(options.admin ?? {});
  if (boot.created) server.log.info({ user: boot.created.email }, 'created the first administrator from FIREBREAK_ADMIN_EMAIL');
  if (boot.setupSecret) {
    // Deliberately logged, once: whoever reads the server log may create the first admin.
    server.log.warn(`no users yet: open /setup?token=${boot.setupSecret} on this server to create the first administrator (POST /api/v1/auth/setup with "setupToken")`);
  }
  return server;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
