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
import { OverrideInputSchema, ScheduleDefinitionSchema } from '../../domain/paging/schedule-input.js';
import type { ScheduleRecord } from '../../app/paging/index.js';
import { MAX_SHIFT_SPAN_DAYS, presentSchedule, scheduleDetail } from '../../app/paging/index.js';
import { FirebreakError } from '../../domain/errors.js';
import { shiftCalendar } from '../../integrations/calendar/shift-calendar.js';
import { authorize } from '../access.js';
import { publicBaseUrl } from '../public-url.js';
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

const present = (record: ScheduleRecord, now: Date) => loose(presentSchedule(record, now));

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
    const now = app.time.now();
    return loose(await scheduleDetail(app.schedules, request.params.id, now, request.query.from ? new Date(request.query.from) : now, request.query.days));
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

  r.post('/me/calendar-feed', {
    schema: { tags, summary: 'A new private link to your on-call shifts as an iCalendar feed (an older link stops working)', response: { 201: z.object({ url: z.string() }), ...problemResponses } },
  }, async (request, reply) => {
    const principal = await read(request);
    const token = await app.schedules.issueFeed(principal.user.handle);
    reply.code(201);
    return { url: `${publicBaseUrl(request)}/calendar/${token}.ics` };
  });

  r.delete('/me/calendar-feed', { schema: { tags, summary: 'Stop your calendar feed link working', response: { 204: z.null(), ...problemResponses } } }, async (request, reply) => {
    const principal = await read(request);
    if (!(await app.schedules.revokeFeed(principal.user.handle))) throw new FirebreakError('FB_ERR_SCHEDULE_FEED_NOT_FOUND', 'you have no calendar feed link');
    reply.code(204);
    return null;
  });

  r.get('/schedules/:id/history', { schema: { tags, summary: 'Every change to a schedule: who, when, what', params, response: { 200: z.object({ changes: z.array(looseObject) }), ...problemResponses } } }, async (request) => {
    await read(request);
    return { changes: (await app.schedules.history(request.params.id)).map((c) => loose({ ...c })) };
  });
}

/** How far back and ahead a calendar feed reaches. */
const FEED_PAST_DAYS = 7;
const FEED_AHEAD_DAYS = MAX_SHIFT_SPAN_DAYS - FEED_PAST_DAYS;

/**
 * `GET /calendar/<token>.ics`: the token is the credential, so the route is public; an
 * unknown or revoked token gets the same bare 404 as a path that never existed, and the
 * request is logged only at warn level so the token does not reach the access log.
 */
export async function calendarFeedRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const { app } = context;
  server.get<{ Params: { file: string } }>('/calendar/:file', { logLevel: 'warn', schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    const token = request.params.file.endsWith('.ics') ? request.params.file.slice(0, -4) : '';
    const owner = await app.schedules.feedOwner(token);
    if (!owner) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const now = app.time.now().getTime();
    const shifts = await app.schedules.shiftsOf(owner, new Date(now - FEED_PAST_DAYS * 86_400_000), new Date(now + FEED_AHEAD_DAYS * 86_400_000));
    const base = publicBaseUrl(request);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .send(shiftCalendar(owner, shifts, { schedule: (id) => `${base}/schedules/${encodeURIComponent(id)}` }));
  });
}
