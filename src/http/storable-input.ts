/**
 * Text no back end can keep is refused before any route runs: a NUL character or an
 * unpaired UTF-16 surrogate anywhere in a path parameter, query value or JSON body is a
 * 400 naming the field (see `store/storable-text.ts`). No stored id, name or token can
 * hold such text, and PostgreSQL fails any query that binds it, so without this check
 * `GET /api/v1/incidents/a%00b`, a user, token, action item, review or upkeep record with
 * a NUL in a field, or a login with one, were 500s on PostgreSQL (found by the fuzzer).
 * Raw bodies (ingest payloads, uploaded evidence streams) are left to their routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { fieldError } from '../domain/errors.js';
import { assertStorableText } from '../store/storable-text.js';

/** Parsed JSON or form data: arrays and plain objects, never a Buffer or a stream. */
function isParsedData(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deeper than any body a route accepts; deeper ones would overflow the validators' stack. */
const MAX_BODY_DEPTH = 100;

/** Nesting depth of parsed data, walked without recursion so no depth can overflow it. */
function exceedsDepth(root: object, limit: number): boolean {
  const pending: [unknown, number][] = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}

export function registerStorableInputCheck(server: FastifyInstance): void {
  // Synchronous work on every request: written with `done`, so it costs no promise.
  server.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    try {
      assertStorableInput(request);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
}

function assertStorableInput(request: FastifyRequest): void {
  assertStorableText(request.params, '');
  assertStorableText(request.query, '');
  const body = request.body;
  if (isParsedData(body) && exceedsDepth(body, MAX_BODY_DEPTH)) throw fieldError('FB_ERR_INPUT_INVALID', '(body)', `is nested more than ${MAX_BODY_DEPTH} levels deep`);
  try {
    if (typeof body === 'string') assertStorableText(body, '(body)');
    else if (isParsedData(body)) assertStorableText(body, '');
  } catch (error) {
    // Thousands of nested arrays or objects overflow the walk; no schema accepts them.
    if (error instanceof RangeError) throw fieldError('FB_ERR_INPUT_INVALID', '(body)', 'is nested too deeply');
    throw error;
  }
}
