/**
 * Plan upkeep over HTTP: the stored versions of a plan and what changed between two,
 * reminders for plan review, tabletop and contact verification, and recording one done.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UPKEEP_KINDS } from '../../domain/plan/upkeep.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const planParams = z.object({ id: z.string().min(1).max(64) });
const diffQuery = z.object({ from: z.string().min(1).optional().describe('Default: the oldest stored version'), to: z.string().min(1).optional().describe('Default: the newest') });
const changeSchema = z.object({ path: z.string(), change: z.enum(['added', 'removed', 'changed', 'order']), before: z.unknown().optional(), after: z.unknown().optional() });
const reminderSchema = z.object({ planId: z.string(), kind: z.enum(UPKEEP_KINDS), label: z.string(), cadence: z.string(), lastDoneAt: z.string().nullable(), dueAt: z.string(), state: z.enum(['pending', 'overdue']) });
const recordBody = z.object({ kind: z.enum(UPKEEP_KINDS), note: z.string().trim().min(1).max(2000).optional(), doneAt: z.iso.datetime({ offset: true }).optional() });

export async function planUpkeepRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  r.get('/plans/:id/versions', {
    schema: { tags: [TAGS.upkeep], summary: 'The stored versions of a plan', params: planParams, response: { 200: z.object({ items: z.array(z.object({ version: z.string(), loadedAt: z.string(), contentHash: z.string() })) }), ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadPlans(p.user), 'read plans');
    return { items: await app.upkeep.versions(request.params.id) };
  });

  r.get('/plans/:id/diff', {
    schema: { tags: [TAGS.upkeep], summary: 'What changed between two stored versions of a plan, by path', params: planParams, querystring: diffQuery, response: { 200: z.object({ from: z.string(), to: z.string(), changes: z.array(changeSchema) }), ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadPlans(p.user), 'read plans');
    const versions = await app.upkeep.versions(request.params.id);
    const from = request.query.from ?? versions[0]!.version;
    const to = request.query.to ?? versions.at(-1)!.version;
    return { from, to, changes: await app.upkeep.diff(request.params.id, from, to) };
  });

  r.get('/plan-upkeep', {
    schema: { tags: [TAGS.upkeep], summary: 'When each plan review, tabletop and contact verification is next due', response: { 200: z.object({ items: z.array(reminderSchema) }), ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadPlans(p.user), 'read plans');
    return { items: await app.upkeep.reminders() };
  });

  r.post('/plans/:id/upkeep', {
    schema: { tags: [TAGS.upkeep], summary: 'Record a plan review, tabletop or contact verification as done', params: planParams, body: recordBody, response: { 201: z.object({ planId: z.string(), kind: z.enum(UPKEEP_KINDS), doneAt: z.string(), doneBy: z.string(), note: z.string().nullable() }), ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, (p) => policy.canRunExercises(p.user), 'record plan upkeep');
    reply.code(201);
    return app.upkeep.record(request.params.id, request.body.kind, principal.user.handle, request.body.note, request.body.doneAt);
  });
}
