/**
 * `GET /metrics`: operational gauges for Prometheus. Figures only (counts by severity and
 * clock kind), no titles or names, so it can be scraped without a session; restrict it at
 * the network (or reverse proxy) like any metrics endpoint.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { loose, problemResponses, TAGS } from '../route-docs.js';
import { overloadPrometheusText, prometheusText, recordPrometheusText } from './prometheus-text.js';

export async function metricsRoutes(server: FastifyInstance, options: { app: FirebreakApp }): Promise<void> {
  server.get('/metrics', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return prometheusText(await options.app.metrics.operational()) + overloadPrometheusText(server.overload.figures()) + recordPrometheusText(options.app.record.lastSelfCheck);
  });
}

const metricsQuery = z.object({
  from: z.string().optional().describe('Reported on or after: YYYY-MM-DD or ISO 8601'),
  to: z.string().optional().describe('Reported before: YYYY-MM-DD or ISO 8601'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** `GET /api/v1/metrics`: response metrics over the incidents the caller may see (drills excluded). */
export async function metricsApiRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  r.get('/metrics', {
    schema: { tags: [TAGS.metrics], summary: 'Response metrics for a period, overall and per severity, category and plan (JSON or CSV)', querystring: metricsQuery, response: { 200: z.looseObject({ from: z.string().nullable(), to: z.string().nullable() }).describe('See the MetricsReport fields in domain/metrics/incident-metrics.ts'), ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, (p) => policy.canReadAcrossIncidents(p.user), 'read metrics');
    const period = { ...(request.query.from ? { from: request.query.from } : {}), ...(request.query.to ? { to: request.query.to } : {}) };
    const visible = (state: Parameters<typeof policy.canSeeIncident>[1]) => policy.canSeeIncident(principal.user, state);
    if (request.query.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="firebreak-metrics.csv"');
      // Text is sent as is; the typed reply only knows the JSON shape.
      return reply.send((await context.app.metrics.csv(period, visible)) as never);
    }
    return loose(await context.app.metrics.report(period, visible));
  });
}
