/**
 * The team's side of a public report's message thread, for signed-in users:
 * `GET /api/v1/incidents/{id}/reporter-thread` reads it and
 * `POST /api/v1/incidents/{id}/reporter-thread/messages` replies to the reporter (who
 * reads it through their private status link; the reply is also noted on the incident).
 * Need-to-know as for the incident itself: an incident the caller may not see is 404.
 * The answer holds the messages and whether the reporter is anonymous, never the
 * reporter's contact details.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MessageSchema } from '../../app/public-report-service.js';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const REPLY_BODY_LIMIT = 32 * 1024;

const params = z.object({ id: z.string().describe('Incident id, e.g. INC-2026-0001') });
const threadSchema = z.object({
  incidentId: z.string(),
  anonymous: z.boolean().describe('The reporter asked to stay anonymous; no contact details are kept'),
  messages: z.array(
    z.object({
      from: z.enum(['reporter', 'team']),
      by: z.string().nullable().describe('The team member who wrote it; null for the reporter'),
      text: z.string(),
      at: z.string(),
    }),
  ),
});

/** The team-facing thread: the service's read model, copied into the response shape. */
async function teamThread(context: HttpContext, incidentId: string): Promise<z.infer<typeof threadSchema>> {
  const thread = await context.app.reports.thread(incidentId);
  return { incidentId: thread.incidentId, anonymous: thread.anonymous, messages: thread.messages.map((m) => ({ from: m.from, by: m.by, text: m.text, at: m.at })) };
}

export async function reporterThreadRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const reports = context.app.reports;

  async function readable(request: FastifyRequest, id: string) {
    const { principal, state } = await visibleIncident(context, request, id);
    if (!policy.canReadAfter(principal.user, state)) await authorize(context, request, () => false, "read the reporter's message thread");
    return { principal, state };
  }

  r.get('/incidents/:id/reporter-thread', {
    schema: {
      tags: [TAGS.incidents],
      summary: "The public reporter's message thread (no contact details)",
      description: 'Only for incidents that came from the public report form; others answer 404.',
      params,
      response: { 200: threadSchema, ...problemResponses },
    },
  }, async (request, reply) => {
    const { state } = await readable(request, request.params.id);
    return reply.header('cache-control', 'no-store').send(await teamThread(context, state.id));
  });

  r.post('/incidents/:id/reporter-thread/messages', {
    bodyLimit: REPLY_BODY_LIMIT,
    schema: {
      tags: [TAGS.incidents],
      summary: 'Reply to the public reporter; they read it through their private status link',
      description: 'Recorded in the thread and as a note on the incident. Responders and admins who may see the incident.',
      params,
      body: MessageSchema,
      response: { 201: threadSchema, ...problemResponses },
    },
  }, async (request, reply) => {
    const { principal, state } = await visibleIncident(context, request, request.params.id);
    if (!policy.canWorkAfter(principal.user, state)) await authorize(context, request, () => false, 'reply to the reporter');
    await reports.teamReply(state.id, request.body, principal.user.handle);
    return reply.code(201).header('cache-control', 'no-store').send(await teamThread(context, state.id));
  });
}
