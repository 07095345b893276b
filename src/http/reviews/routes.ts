/**
 * The post-incident review over HTTP: read it (pre-filled from the log), edit it, complete
 * it (recorded on the log; meets the retrospective clock), and download the report
 * rendered with the plan's template as Markdown or PDF.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReviewPatchSchema } from '../../domain/review/review-document.js';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { loose, problemResponses, TAGS } from '../route-docs.js';

const incidentParams = z.object({ id: z.string().min(1).max(64) });
const reportQuery = z.object({ format: z.enum(['md', 'pdf']).default('md') });
const reviewSchema = z.looseObject({ incidentId: z.string(), completedAt: z.string().nullable(), draft: z.boolean(), afterStatus: z.string() }).meta({ id: 'Review' });

export async function reviewRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  async function allowed(request: FastifyRequest, id: string, write: boolean) {
    const { principal, state } = await visibleIncident(context, request, id);
    const ok = write ? policy.canWorkAfter(principal.user, state) : policy.canReadAfter(principal.user, state);
    if (!ok) await authorize(context, request, () => false, write ? 'edit the post-incident review' : 'read the post-incident review');
    return { principal, state };
  }

  r.get('/incidents/:id/review', {
    schema: { tags: [TAGS.review], summary: 'The review: due date, key events, response times, document, action items', params: incidentParams, response: { 200: reviewSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await allowed(request, request.params.id, false);
    return loose(await app.reviews.show(state.id));
  });

  r.patch('/incidents/:id/review', {
    schema: { tags: [TAGS.review], summary: 'Edit the review document (lists replace; absent keys stay)', params: incidentParams, body: ReviewPatchSchema, response: { 200: reviewSchema, ...problemResponses } },
  }, async (request) => {
    const { principal, state } = await allowed(request, request.params.id, true);
    return loose(await app.reviews.set(state.id, request.body, principal.user.handle));
  });

  r.post('/incidents/:id/review/complete', {
    schema: { tags: [TAGS.review], summary: 'Complete the review (recorded on the log)', params: incidentParams, response: { 200: reviewSchema, ...problemResponses } },
  }, async (request) => {
    const { principal, state } = await allowed(request, request.params.id, true);
    return loose(await app.reviews.complete(state.id, principal.user.handle));
  });

  r.get('/incidents/:id/report', {
    schema: { tags: [TAGS.review], summary: "The post-incident report from the plan's template, as Markdown or PDF", params: incidentParams, querystring: reportQuery, response: { ...problemResponses } },
  }, async (request, reply) => {
    const { state } = await allowed(request, request.params.id, false);
    if (request.query.format === 'pdf') {
      const pdf = await app.reviews.renderPdf(state.id);
      reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${state.id}-post-incident-report.pdf"`);
      // A buffer is sent as is; the typed reply only knows the documented problem shape.
      return reply.send(pdf as never);
    }
    reply.header('content-type', 'text/markdown; charset=utf-8');
    return reply.send((await app.reviews.renderMarkdown(state.id)) as never);
  });
}
