/**
 * On-call schedules over HTTP: list them with who is on call now, read one with its
 * shifts and gaps over a span (`?from=&days=`), create, replace and delete, add and
 * remove overrides, read the history of changes. Responders and admins edit; everyone
 * signed in except reporters reads. Each person's private calendar feed of their own
 * shifts is made and revoked here too; the feed itself is `GET /calendar/<token>.ics`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { onCallAt } from '../../domain/paging/on-call-schedule.js';
import { OverrideInputSchema, ScheduleDefinitionSchema } from '../../domain/paging/schedule-input.js';
import type { ScheduleRecord } from '../../app/paging/index.js';
import { MAX_SHIFT_SPAN_DAYS } from '../../app/paging/index.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { loose, problemResponses, TAGS } from '../route-docs.js';

const params = z.object({ id: z.string().min(1).max(64) });
const overrideParams = params.extend({ overrideId: z.string().min(1).max(64) });
const spanQuery = z
  .object({
    from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-08T00:00:00Z' }).optional(),
    days: z.coerce.number().int().min(1).max(MAX_SHIFT_SPAN_DAYS).default(14),
  })
  .strict();
const looseObject = z.object({}).passthrough();

function present(record: ScheduleRecord, now: Date) {
  return loose({ ...record.schedule, version: record.version, updatedAt: record.updatedAt, updatedBy: record.updatedBy, onCallNow: onCallAt(record.schedule, now) ?? null });
}

export async function scheduleRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const tags = [TAGS.schedules];
  const read = (request: Parameters<typeof authorize>[1]) => authorize(context, request, (p) => policy.canReadSchedules(p.user), 'read on-call schedules');
  const edit = (request: Parameters<typeof authorize>[1]) => authorize(context, request, (p) => policy.canEditSchedules(p.user), 'change on-call schedules');

  r.get('/schedules', { schema: { tags, summary: 'Every on-call schedule, with who is on call now', response: { 200: z.object({ schedules: z.array(looseObject) }), ...problemResponses } } }, async (request) => {
    await read(request);
    const now = app.time.now();
    return { schedules: (await app.schedules.list()).map((s) => present(s, now)) };
  });

  r.post('/schedules', { schema: { tags, summary: 'Create an on-call schedule', body: ScheduleDefinitionSchema, response: { 201: looseObject, ...problemResponses } } }, async (request, reply) => {
    const principal = await edit(request);
    const record = await app.schedules.create(request.body, principal.user.handle);
    reply.code(201);
    return present(record, app.time.now());
  });

  r.get('/schedules/:id', {
    schema: { tags, summary: 'A schedule, who is on call, and its shifts and gaps from `from` (default now) for `days` days', params, querystring: spanQuery, response: { 200: looseObject, ...problemResponses } },
  }, async (request) => {
    await read(request);
    const record = await app.schedules.get(request.params.id);
    const from = request.query.from ? new Date(request.query.from) : app.time.now();
    const to = new Date(from.getTime() + request.query.days * 86_400_000);
    const span = await app.schedules.shifts(record.schedule.id, from, to);
    return loose({ ...present(record, app.time.now()), from: from.toISOString(), to: to.toISOString(), onCallAtFrom: onCallAt(record.schedule, from) ?? null, ...span });
  });

  r.put('/schedules/:id', { schema: { tags, summary: 'Replace a schedule’s rotation layers (overrides are kept)', params, body: ScheduleDefinitionSchema.omit({ id: true }), response: { 200: looseObject, ...problemResponses } } }, async (request) => {
    const principal = await edit(request);
    return present(await app.schedules.replace(request.params.id, request.body, principal.user.handle), app.time.now());
  });

  r.delete('/schedules/:id', { schema: { tags, summary: 'Delete a schedule (refused while an escalation policy pages it)', params, response: { 204: z.null(), ...problemResponses } } }, async (request, reply) => {
    const principal = await edit(request);
    await app.schedules.remove(request.params.id, principal.user.handle);
    reply.code(204);
    return null;
  });

  r.post('/schedules/:id/overrides', {
    schema: { tags, summary: 'Put someone on call for an interval ("I take Tuesday")', params, body: OverrideInputSchema, response: { 201: looseObject, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await edit(request);
    const override = await app.schedules.addOverride(request.params.id, request.body, principal.user.handle);
    reply.code(201);
    return loose({ ...override });
  });

  r.delete('/schedules/:id/overrides/:overrideId', { schema: { tags, summary: 'Remove an override', params: overrideParams, response: { 204: z.null(), ...problemResponses } } }, async (request, reply) => {
    const principal = await edit(request);
    await app.schedules.removeOverride(request.params.id, request.params.overrideId, principal.user.handle);
    reply.code(204);
    return null;
  });

  r.get('/schedules/:id/history', { schema: { tags, summary: 'Every change to a schedule: who, when, what', params, response: { 200: z.object({ changes: z.array(looseObject) }), ...problemResponses } } }, async (request) => {
    await read(request);
    return { changes: (await app.schedules.history(request.params.id)).map((c) => loose({ ...c })) };
  });
}
