/**
 * `GET /metrics`: operational gauges for Prometheus. Figures only (counts by severity and
 * clock kind), no titles or names, so it can be scraped without a session; restrict it at
 * the network (or reverse proxy) like any metrics endpoint.
 */
import type { FastifyInstance } from 'fastify';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { prometheusText } from './prometheus-text.js';

export async function metricsRoutes(server: FastifyInstance, options: { app: FirebreakApp }): Promise<void> {
  server.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return prometheusText(await options.app.metrics.operational());
  });
}
