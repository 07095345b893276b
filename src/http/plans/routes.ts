/** The loaded response plans: a summary list and each full plan. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const planSummary = z.object({ id: z.string(), version: z.string(), name: z.string(), description: z.string(), severities: z.array(z.object({ id: z.string(), name: z.string() })) });
const planSchema = z
  .looseObject({ id: z.string(), version: z.string(), name: z.string(), description: z.string() })
  .describe('The full plan: the Plan type of src/domain/plan/plan-schema.ts (JSON Schema in plans/plan.schema.json).')
  .meta({ id: 'Plan' });
const planParams = z.object({ id: z.string().min(1).max(100) });

export async function planRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  r.get('/plans', {
    schema: { tags: [TAGS.plans], summary: 'The loaded plans', response: { 200: z.object({ items: z.array(planSummary) }), ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadPlans(p.user), 'read plans');
    return { items: app.plans.list().map((p) => ({ id: p.id, version: p.version, name: p.name, description: p.description, severities: p.severities.map((sv) => ({ id: sv.id, name: sv.name })) })) };
  });

  r.get('/plans/:id', {
    schema: { tags: [TAGS.plans], summary: 'One plan, in full', params: planParams, response: { 200: planSchema, ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadPlans(p.user), 'read plans');
    return (await app.plans.get(request.params.id)) as unknown as z.input<typeof planSchema>;
  });
}
