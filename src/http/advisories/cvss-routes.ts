/**
 * The CVSS calculator behind the web editor's vector builder: a vector in, its version,
 * scores, severity and metrics out, scored by `ae-cvss-calculator` through
 * `domain/advisory/cvss.ts`. A bad vector is a 400 naming the metric at fault.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { scoreCvss, vectorMetrics } from '../../domain/advisory/cvss.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import * as s from './schema.js';

export async function cvssRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  r.post('/cvss/score', {
    schema: { tags: [TAGS.advisories], summary: 'Score a CVSS 3.1 or 4.0 vector', body: s.cvssBody, response: { 200: s.cvssResultSchema, ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canScoreCvss(p.user), 'score CVSS vectors');
    const score = scoreCvss(request.body.vector, 'vector');
    return { version: score.version, vector: score.vector, baseScore: score.baseScore, overallScore: score.overallScore, severity: score.severity, metrics: vectorMetrics(score) };
  });
}
