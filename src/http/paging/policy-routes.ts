/**
 * Escalation policies over HTTP: list, show, create or replace (PUT, the id in the path),
 * remove. Validated by the domain's schema (errors name the field); read by whoever may
 * read schedules, changed by whoever may change them (src/http/policy.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { loose, problemResponses, TAGS } from '../route-docs.js';

const params = z.object({ id: z.string().min(1).max(64) });
const looseObject = z.object({}).passthrough();

export async function escalationPolicyRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const tags = [TAGS.policies];
  const read = (request: Parameters<typeof authorize>[1]) => authorize(context, request, (p) => policy.canReadSchedules(p.user), 'read escalation policies');
  const edit = (request: Parameters<typeof authorize>[1]) => authorize(context, request, (p) => policy.canEditEscalationPolicies(p.user), 'change escalation policies');

  r.get('/policies', { schema: { tags, summary: 'Every escalation policy', response: { 200: z.object({ policies: z.array(looseObject) }), ...problemResponses } } }, async (request) => {
    await read(request);
    return { policies: (await app.paging.listPolicies()).map((p) => loose({ ...p })) };
  });

  r.get('/policies/:id', { schema: { tags, summary: 'One escalation policy', params, response: { 200: looseObject, ...problemResponses } } }, async (request) => {
    await read(request);
    return loose({ ...(await app.paging.getPolicy(request.params.id)) });
  });

  r.put('/policies/:id', {
    schema: { tags, summary: 'Create or replace an escalation policy: levels of schedules, users and roles, each with a wait; repeat', params, body: looseObject, response: { 200: looseObject, ...problemResponses } },
  }, async (request) => {
    const principal = await edit(request);
    return loose({ ...(await app.paging.savePolicy({ ...request.body, id: request.params.id }, principal.user.handle)) });
  });

  r.delete('/policies/:id', { schema: { tags, summary: 'Remove an escalation policy', params, response: { 204: z.null(), ...problemResponses } } }, async (request, reply) => {
    await edit(request);
    await app.paging.removePolicy(request.params.id);
    return reply.code(204).send(null);
  });
}
