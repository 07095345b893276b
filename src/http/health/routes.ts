/**
 * Readiness for load balancers and orchestrators: `GET /api/ready` answers 200 when the
 * database is reachable and its migrations are current, 503 otherwise (and while the
 * server shuts down, Fastify answers 503 to every new request). `GET /api/health` is the
 * liveness check: the process is up, whatever the database does.
 */
import type { FastifyInstance } from 'fastify';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { checkReadiness } from '../../store/readiness.js';

export async function healthRoutes(server: FastifyInstance, options: { app: FirebreakApp }): Promise<void> {
  server.get('/api/ready', async (_request, reply) => {
    const readiness = await checkReadiness(options.app.store);
    reply.header('cache-control', 'no-store');
    if (readiness.ready) return { status: 'ready', database: readiness.database, migrations: readiness.migrations };
    server.log.warn({ reason: readiness.reason }, 'not ready');
    return reply.code(503).send({ status: 'not_ready', database: readiness.database, detail: readiness.reason });
  });
}
