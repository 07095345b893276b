/**
 * Path parameters and query values with a NUL character are refused before any route
 * runs: no stored id, name or token can contain one (see `store/storable-text.ts`), and
 * PostgreSQL fails any query that compares against it, so without this check
 * `GET /api/v1/incidents/a%00b` was a 500 on PostgreSQL and a 404 on SQLite. Now it is a
 * 400 naming the parameter on both.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldError } from '../domain/errors.js';

function firstWithNul(values: unknown): string | undefined {
  if (!values || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((t) => typeof t === 'string' && t.includes('\u0000'))) return name;
  }
  return undefined;
}

export function registerUrlTextCheck(server: FastifyInstance): void {
  server.addHook('preValidation', async (request: FastifyRequest) => {
    const param = firstWithNul(request.params);
    if (param !== undefined) throw fieldError('FB_ERR_INPUT_INVALID', param, 'contains a NUL character (%00), which no name or id can hold');
    const query = firstWithNul(request.query);
    if (query !== undefined) throw fieldError('FB_ERR_INPUT_INVALID', query, 'contains a NUL character (%00), which no value can hold');
  });
}
