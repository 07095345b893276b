/**
 * `GET /ack/<token>` shows the confirm page and changes nothing; `POST /ack` with the
 * token in the form body acknowledges as the link's person. The token is the credential
 * (no session, so no CSRF token): it must be in the body, so a cross-site form or a
 * scanner that only knows the URL cannot spend it. Unknown links answer 404, used or
 * expired ones 410, each a plain page; both routes share one per-address budget, so
 * guessing is slow as well as hopeless (256-bit tokens).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { FirebreakError } from '../../domain/errors.js';
import { htmlHeaders } from '../intake/public-report-routes.js';
import { ackConfirmPage, ackDonePage, ackRefusedPage } from './ack-pages.js';

export interface AckRoutesOptions {
  readonly app: FirebreakApp;
  /** Requests per address per minute over both routes (default 30). */
  readonly perMinute?: number;
}

function statusOf(error: FirebreakError): number {
  if (error.code === 'FB_ERR_ACK_LINK_UNKNOWN') return 404;
  if (error.code === 'FB_ERR_ACK_LINK_EXPIRED' || error.code === 'FB_ERR_ACK_LINK_USED') return 410;
  return error.kind === 'not_found' ? 404 : 409;
}

export async function ackRoutes(server: FastifyInstance, options: AckRoutesOptions): Promise<void> {
  const { app } = options;
  const limiter = server.rateLimit({ max: options.perMinute ?? 30, timeWindow: '1 minute' });
  const guard = { config: { access: 'public' as const, rateLimit: false as const }, preHandler: limiter, schema: { hide: true }, logLevel: 'warn' as const };
  const refuse = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof FirebreakError)) throw error;
    const status = statusOf(error);
    return htmlHeaders(reply.code(status)).send(ackRefusedPage(status, error.message));
  };

  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  server.get<{ Params: { token: string } }>('/ack/:token', guard, async (request, reply) => {
    try {
      const view = await app.paging.lookAtAckLink(request.params.token);
      return htmlHeaders(reply).send(ackConfirmPage(view, request.params.token, app.paging.pager.incidentUrl(view.incidentId)));
    } catch (error) {
      return refuse(reply, error);
    }
  });

  server.post<{ Body: Record<string, string | undefined> | undefined }>('/ack', guard, async (request, reply) => {
    const token = typeof request.body === 'object' && request.body ? request.body['token'] : undefined;
    if (!token) return htmlHeaders(reply.code(400)).send(ackRefusedPage(400, 'The form must carry the link\'s token (field "token"); open the link from your page again.'));
    try {
      const done = await app.paging.acknowledgeByLink(token);
      return htmlHeaders(reply).send(ackDonePage(done.incidentId, done.user, app.paging.pager.incidentUrl(done.incidentId)));
    } catch (error) {
      return refuse(reply, error);
    }
  });
}
