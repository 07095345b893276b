/**
 * Contacts, channel endpoints and the message record over HTTP: who is reached how, where
 * the plan's channels deliver on this server, every delivery with its status and
 * attempts, retrying a dead-lettered one, and the dashboard's figures (dead letters on
 * top). The same functions and `DeliveryService` back the CLI's `contacts`, `channels`
 * and `deliveries` commands. Secrets are write-only: no response carries one.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../integrations/delivery/channel-senders.js';
import { addContactPoint, listChannelEndpoints, listContactPoints, removeContactPoints, setChannelEndpoint } from '../../integrations/delivery/contact-points.js';
import { unreachablePlans } from '../../app/paging/paging-service.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const DELIVERY_STATUSES = ['review', 'queued', 'sent', 'failed', 'dead', 'rejected'] as const;
const handle = z.string().trim().min(1).max(128).describe('User handle');
const channelKind = z.enum(CHANNEL_KINDS);
const secret = z.string().min(16).max(512).optional().describe('HMAC signing secret for generic webhooks (write-only)');

const contactSchema = z.object({ user: z.string(), kind: channelKind, target: z.string(), signed: z.boolean() });
const channelSchema = z.object({ channel: z.string(), kind: channelKind, target: z.string(), signed: z.boolean(), updatedAt: z.string() });
export const deliverySchema = z.object({
  id: z.string(),
  incidentId: z.string().nullable(),
  clock: z.string().nullable(),
  template: z.string().nullable(),
  channel: channelKind,
  recipient: z.string(),
  target: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
const statusList = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(DELIVERY_STATUSES)).min(1))
  .describe(`Comma-separated statuses: ${DELIVERY_STATUSES.join(', ')}`);
const deliveriesQuery = z.object({
  status: statusList.optional(),
  incident: z.string().trim().min(1).max(64).optional().describe('Only messages about this incident'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export async function deliveryRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const admin = (request: Parameters<typeof authorize>[1], what: string) => authorize(context, request, (p) => policy.canManageDelivery(p.user), what);

  r.get('/dashboard', {
    schema: {
      tags: [TAGS.dashboard],
      summary: 'Figures for the dashboard: messages that ran out of retries (dead letters) and the outbox by status',
      response: {
        200: z.object({
          deliveries: z.object({ deadLetters: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
          /** Plans whose escalation would page nobody right now, with what to configure. */
          unreachablePlans: z.array(z.object({ planId: z.string(), planName: z.string(), severities: z.array(z.string()), problems: z.array(z.string()) })),
        }),
        ...problemResponses,
      },
    },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadAcrossIncidents(p.user), 'read the dashboard');
    const byStatus = await app.deliveries.countByStatus();
    return { deliveries: { deadLetters: byStatus.dead ?? 0, byStatus }, unreachablePlans: unreachablePlans(await app.paging.reachability()) };
  });

  r.get('/deliveries', {
    schema: { tags: [TAGS.delivery], summary: 'The message record, newest first: status, attempts, last error', querystring: deliveriesQuery, response: { 200: z.object({ items: z.array(deliverySchema), deadLetters: z.number().int() }), ...problemResponses } },
  }, async (request) => {
    await admin(request, 'read the message record');
    const { status, incident, limit } = request.query;
    const items = await app.deliveries.list({ ...(status ? { status } : {}), ...(incident ? { incidentId: incident.toUpperCase() } : {}), limit });
    return { items, deadLetters: await app.deliveries.deadLetterCount() };
  });

  r.post('/deliveries/:id/retry', {
    schema: { tags: [TAGS.delivery], summary: 'Send a dead-lettered message again (a fresh round of attempts)', params: z.object({ id: z.string().min(1).max(64) }), body: z.object({}).strict().optional(), response: { 200: deliverySchema, ...problemResponses } },
  }, async (request) => {
    await admin(request, 'retry a message');
    const record = await app.deliveries.retryDead(request.params.id);
    app.scheduler.poke();
    return record;
  });

  r.get('/contacts', {
    schema: { tags: [TAGS.delivery], summary: "People's contact points (secrets never shown)", querystring: z.object({ user: handle.optional() }), response: { 200: z.object({ items: z.array(contactSchema) }), ...problemResponses } },
  }, async (request) => {
    await admin(request, 'read contact points');
    return { items: await listContactPoints(app.store.db, request.query.user) };
  });

  r.post('/contacts', {
    schema: { tags: [TAGS.delivery], summary: 'Add a contact point (e-mail address, webhook, Slack or Teams URL) for a user', body: z.object({ user: handle, kind: channelKind, target: z.string().trim().min(1).max(2048), secret }).strict(), response: { 201: contactSchema, ...problemResponses } },
  }, async (request, reply) => {
    await admin(request, 'manage contact points');
    const { user, kind, target, secret: key } = request.body;
    const added = await addContactPoint(app.store.db, { user, kind, target, ...(key ? { secret: key } : {}) }, app.time.now(), app.deliveries.outbound);
    reply.code(201);
    return added;
  });

  r.delete('/contacts/:user', {
    schema: { tags: [TAGS.delivery], summary: "Remove a user's contact point (all of them without kind/target)", params: z.object({ user: handle }), querystring: z.object({ kind: channelKind.optional(), target: z.string().min(1).max(2048).optional() }), response: { 200: z.object({ removed: z.number().int() }), ...problemResponses } },
  }, async (request) => {
    await admin(request, 'manage contact points');
    return { removed: await removeContactPoints(app.store.db, request.params.user, request.query.kind, request.query.target) };
  });

  r.get('/channels', {
    schema: { tags: [TAGS.delivery], summary: "Where the plans' channels deliver on this server (secrets never shown)", response: { 200: z.object({ items: z.array(channelSchema) }), ...problemResponses } },
  }, async (request) => {
    await admin(request, 'read channel endpoints');
    return { items: await listChannelEndpoints(app.store.db) };
  });

  r.put('/channels/:id', {
    schema: { tags: [TAGS.delivery], summary: "Set where a plan channel delivers (its endpoint and signing secret)", params: z.object({ id: z.string().trim().min(1).max(64) }), body: z.object({ kind: channelKind, target: z.string().trim().min(1).max(2048), secret }).strict(), response: { 200: channelSchema, ...problemResponses } },
  }, async (request) => {
    await admin(request, 'set channel endpoints');
    const { kind, target, secret: key } = request.body;
    await setChannelEndpoint(app.store.db, { channel: request.params.id, kind, target, ...(key ? { secret: key } : {}) }, app.time.now(), app.deliveries.outbound);
    const saved = (await listChannelEndpoints(app.store.db)).find((c) => c.channel === request.params.id)!;
    return saved;
  });
}
