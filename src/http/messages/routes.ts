/**
 * Plan messages and the delivery record of one incident over HTTP: compose (preview,
 * nothing stored), send (or queue for review), approve, reject, list, and the incident's
 * deliveries with status, attempts and last error. Each reads validate → authorize →
 * command → present; the policy module decides who may do what.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ComposeInput } from '../../app/messages/message-service.js';
import { FirebreakError } from '../../domain/errors.js';
import { authorize, visibleIncident } from '../access.js';
import { deliverySchema } from '../deliveries/routes.js';
import { incidentParams } from '../incidents/schema.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import { type ComposeBody, composeBody, composedSchema, messageParams, messageSchema, rejectBody } from './schema.js';

function composeInput(body: ComposeBody): ComposeInput {
  return {
    template: body.template,
    ...(body.audience !== undefined ? { audience: body.audience } : {}),
    ...(body.subject !== undefined ? { subject: body.subject } : {}),
    ...(body.body !== undefined ? { body: body.body } : {}),
    ...(body.variables !== undefined ? { variables: body.variables } : {}),
  };
}

export async function messageRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  /** The incident for a caller who may send its messages (404 if unseen, 403 if not allowed). */
  const forSending = async (request: FastifyRequest, id: string) => {
    const { state } = await visibleIncident(context, request, id);
    return authorize(context, request, (p) => policy.canSendMessages(p.user, state), "send this incident's messages").then((principal) => ({ principal, state }));
  };
  const forReading = async (request: FastifyRequest, id: string) => {
    const { state } = await visibleIncident(context, request, id);
    await authorize(context, request, (p) => policy.canReadMessages(p.user, state), "read this incident's messages");
    return state;
  };
  /** A message of an incident the caller may see (else "no message"), for a reviewer. */
  const forReview = async (request: FastifyRequest, messageId: string) => {
    let incidentId: string;
    try {
      incidentId = (await app.messages.get(messageId)).incidentId;
    } catch (error) {
      if (error instanceof FirebreakError) throw new FirebreakError('FB_ERR_MESSAGE_NOT_FOUND', `no message ${messageId}`);
      throw error;
    }
    try {
      return await forSending(request, incidentId);
    } catch (error) {
      if (error instanceof FirebreakError && error.code === 'FB_ERR_INCIDENT_NOT_FOUND') throw new FirebreakError('FB_ERR_MESSAGE_NOT_FOUND', `no message ${messageId}`);
      throw error;
    }
  };

  r.get('/incidents/:id/messages', {
    schema: { tags: [TAGS.messages], summary: "The incident's composed messages, newest first, with their review state", params: incidentParams, response: { 200: z.object({ items: z.array(messageSchema) }), ...problemResponses } },
  }, async (request) => {
    const state = await forReading(request, request.params.id);
    return { items: await app.messages.list(state.id) };
  });

  r.post('/incidents/:id/messages/preview', {
    schema: { tags: [TAGS.messages], summary: 'A message as it would be sent: rendered, times in the plan zone, with what still blocks it (nothing stored)', params: incidentParams, body: composeBody, response: { 200: composedSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await forSending(request, request.params.id);
    return app.messages.compose(state.id, composeInput(request.body));
  });

  r.post('/incidents/:id/messages', {
    schema: { tags: [TAGS.messages], summary: 'Send a message from a plan template to an audience, or queue it for review; refused while a placeholder remains', params: incidentParams, body: composeBody, response: { 201: messageSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { principal, state } = await forSending(request, request.params.id);
    const message = await app.messages.send(state.id, composeInput(request.body), principal.user.handle);
    app.scheduler.poke();
    reply.code(201);
    return message;
  });

  r.post('/messages/:messageId/approve', {
    schema: { tags: [TAGS.messages], summary: 'Approve a message in review (not its author; an external disclosure needs two people)', params: messageParams, body: z.object({}).strict().optional(), response: { 200: messageSchema, ...problemResponses } },
  }, async (request) => {
    const { principal } = await forReview(request, request.params.messageId);
    const message = await app.messages.approve(request.params.messageId, principal.user.handle);
    app.scheduler.poke();
    return message;
  });

  r.post('/messages/:messageId/reject', {
    schema: { tags: [TAGS.messages], summary: 'Reject a message in review, with the reason', params: messageParams, body: rejectBody, response: { 200: messageSchema, ...problemResponses } },
  }, async (request) => {
    const { principal } = await forReview(request, request.params.messageId);
    return app.messages.reject(request.params.messageId, principal.user.handle, request.body.reason);
  });

  r.get('/incidents/:id/deliveries', {
    schema: { tags: [TAGS.messages], summary: "The incident's delivery record, newest first: status, attempts, last error", params: incidentParams, response: { 200: z.object({ items: z.array(deliverySchema) }), ...problemResponses } },
  }, async (request) => {
    const state = await forReading(request, request.params.id);
    return { items: await app.deliveries.list({ incidentId: state.id }) };
  });
}
