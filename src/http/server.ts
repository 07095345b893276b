/**
 * The Firebreak HTTP server: API under `/api`, the web app at `/`. Routes live in one
 * folder per resource under `src/http/`; this file only assembles them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { FirebreakApp } from '../app/firebreak-app.js';
import { registerWebApp } from './web-app.js';

export interface ServerOptions {
  readonly app: FirebreakApp;
  /** Pino logger settings; `false` silences request logs (tests). */
  readonly logger?: boolean | { level: string };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: 1_048_576,
    // Never log secrets: auth headers and cookies are redacted from request logs.
    disableRequestLogging: false,
  });

  server.get('/api/health', async () => ({ status: 'ok' }));

  await registerWebApp(server);

  return server;
}
