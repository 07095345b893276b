/**
 * Server-Sent Events: `/stream` (every incident the reader may see, for the dashboard)
 * and `/incidents/{id}/stream` (one incident). Messages: `event: incident` with the new
 * events, `event: clocks` when deadlines change state; a heartbeat comment keeps proxies
 * from closing the connection. The client refetches what it shows on each message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { visibleIncident } from '../access.js';
import { principalOf } from '../auth/request-auth.js';
import type { HttpContext } from '../http-context.js';
import { incidentParams } from '../incidents/schema.js';
import { problemResponses, TAGS } from '../route-docs.js';
import type { StreamHub } from './stream-hub.js';

const eventStream = z.string().describe('text/event-stream: `event: incident` / `event: clocks` messages with JSON data, and heartbeat comments.');

export async function streamRoutes(server: FastifyInstance, context: HttpContext, hub: StreamHub): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();

  function open(request: FastifyRequest, reply: FastifyReply, incidentId: string | null) {
    const principal = principalOf(request);
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n: connected\n\n');
    hub.add({ principal, credential: request.credential!, ip: request.ip, incidentId, response });
  }

  r.get('/stream', {
    config: { liveStream: true },
    schema: { tags: [TAGS.stream], summary: 'Live updates for every incident you may see', produces: ['text/event-stream'], response: { 200: eventStream, ...problemResponses } },
  }, async (request, reply) => {
    open(request, reply, null);
  });

  r.get('/incidents/:id/stream', {
    config: { liveStream: true },
    schema: { tags: [TAGS.stream], summary: 'Live updates for one incident', params: incidentParams, produces: ['text/event-stream'], response: { 200: eventStream, ...problemResponses } },
  }, async (request, reply) => {
    const { state } = await visibleIncident(context, request, request.params.id);
    open(request, reply, state.id);
  });
}
