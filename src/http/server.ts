/**
 * The Firebreak HTTP server: API under `/api`, the web app at `/`. Routes live in one
 * folder per resource under `src/http/`; this file only assembles them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { FirebreakApp } from '../app/firebreak-app.js';
import { ingestRoutes } from './intake/ingest-routes.js';
import { type PublicReportRoutesOptions, publicReportRoutes } from './intake/public-report-routes.js';

export interface ServerOptions {
  readonly app: FirebreakApp;
  /** Pino logger settings; `false` silences request logs (tests). */
  readonly logger?: boolean | { level: string };
  /** Settings of the public report routes (plan, rate limits, environment). */
  readonly publicReports?: Omit<PublicReportRoutesOptions, 'app'>;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: 1_048_576,
    // Never log secrets: auth headers and cookies are redacted from request logs.
    disableRequestLogging: false,
  });

  server.get('/api/health', async () => ({ status: 'ok' }));
  await server.register(ingestRoutes, { app: options.app });
  await server.register(publicReportRoutes, { app: options.app, ...options.publicReports });

  server.get('/', async (_request, reply) => {
    const plans = options.app.plans.list();
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Firebreak</title></head>
<body><main><h1>Firebreak</h1><p>The incident room is being built. The server is up and runs these plans:</p>
<ul>${plans.map((p) => `<li>${escapeHtml(p.name)} (${escapeHtml(p.id)} ${escapeHtml(p.version)})</li>`).join('')}</ul>
<p>Use the <code>firebreak</code> CLI meanwhile.</p></main></body></html>`;
  });

  return server;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
