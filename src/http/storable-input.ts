/**
 * Text no back end can keep is refused before any route runs: a NUL character or an
 * unpaired UTF-16 surrogate anywhere in a path parameter, query value or JSON body is a
 * 400 naming the field (see `store/storable-text.ts`). No stored id, name or token can
 * hold such text, and PostgreSQL fails any query that binds it, so without this check
 * `GET /api/v1/incidents/a%00b`, a user, token, action item, review or upkeep record with
 * a NUL in a field, or a login with one, were 500s on PostgreSQL (found by the fuzzer).
 * Raw bodies (ingest payloads) are left to their parsers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertStorableText } from '../store/storable-text.js';

export function registerStorableInputCheck(server: FastifyInstance): void {
  server.addHook('preValidation', async (request: FastifyRequest) => {
    assertStorableText(request.params, '');
    assertStorableText(request.query, '');
    const body = request.body;
    if (typeof body === 'string') assertStorableText(body, '(body)');
    else if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) assertStorableText(body, '');
  });
}
