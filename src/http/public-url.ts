/**
 * The base URL people reach this server at, for links Firebreak hands out (status links,
 * calendar feeds): FIREBREAK_PUBLIC_URL when the operator set it (behind a proxy the
 * request's own host may be an internal name), else the host the request came to.
 */
import type { FastifyRequest } from 'fastify';

export function publicBaseUrl(request: FastifyRequest, env: NodeJS.ProcessEnv = process.env): string {
  return (env['FIREBREAK_PUBLIC_URL'] ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}
