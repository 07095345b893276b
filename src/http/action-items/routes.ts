/**
 * Action items over HTTP: per incident (list, add, update status with a reason for
 * deferral) and the overdue ones across every incident the caller may see (dashboard).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FirebreakError } from '../../domain/errors.js';
import { ActionItemInputSchema, ActionItemPatchSchema } from '../../domain/review/action-item.js';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const incidentParams = z.object({ id: z.string().min(1).max(64) });
const actionParams = incidentParams.extend({ actionId: z.string().min(1).max(64) });
const actionItemSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    title: z.string(),
    owner: z.string().nullable(),
    dueDate: z.string().nullable(),
    priority: z.string(),
    trackerUrl: z.string().nullable(),
    status: z.string(),
    statusReason: z.string().nullable(),
    planId: z.string().nullable(),
    planVersion: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'ActionItem' });
const overdueSchema = z.object({ items: z.array(actionItemSchema.extend({ incidentTitle: z.string(), drill: z.boolean() })) });

export async function actionItemRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  async function allowed(request: FastifyRequest, id: string, write: boolean) {
    const { principal, state } = await visibleIncident(context, request, id);
    const ok = write ? policy.canWorkAfter(principal.user, state) : policy.canReadAfter(principal.user, state);
    if (!ok) await authorize(context, request, () => false, write ? 'change action items' : 'read action items');
    return { principal, state };
  }

  r.get('/incidents/:id/action-items', {
    schema: { tags: [TAGS.actions], summary: "An incident's action items", params: incidentParams, response: { 200: z.object({ items: z.array(actionItemSchema) }), ...problemResponses } },
  }, async (request) => {
    const { state } = await allowed(request, request.params.id, false);
    return { items: await app.actions.list(state.id) };
  });

  r.post('/incidents/:id/action-items', {
    schema: { tags: [TAGS.actions], summary: 'Add an action item', params: incidentParams, body: ActionItemInputSchema, response: { 201: actionItemSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { principal, state } = await allowed(request, request.params.id, true);
    const item = await app.actions.add(state.id, request.body, principal.user.handle);
    reply.code(201);
    return item;
  });

  r.patch('/incidents/:id/action-items/:actionId', {
    schema: { tags: [TAGS.actions], summary: 'Update an action item (deferring needs a reason)', params: actionParams, body: ActionItemPatchSchema, response: { 200: actionItemSchema, ...problemResponses } },
  }, async (request) => {
    const { principal, state } = await allowed(request, request.params.id, true);
    const item = await app.actions.get(request.params.actionId).catch(() => undefined);
    if (!item || item.incidentId !== state.id) throw new FirebreakError('FB_ERR_ACTION_NOT_FOUND', `no action item ${request.params.actionId} in ${state.id}`);
    return app.actions.update(item.id, request.body, principal.user.handle);
  });

  r.get('/action-items/overdue', {
    schema: { tags: [TAGS.actions], summary: 'Open action items past their due date, across the incidents you may see', response: { 200: overdueSchema, ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, (p) => policy.canReadAcrossIncidents(p.user), 'list action items across incidents');
    const items = [];
    for (const item of await app.actions.overdue()) {
      if (policy.canSeeIncident(principal.user, await app.incidents.get(item.incidentId))) items.push(item);
    }
    return { items };
  });
}
