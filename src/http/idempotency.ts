/**
 * `Idempotency-Key` on POST: the first response to a key is kept (per user and path) and
 * a retry with the same key and body gets that response again, marked
 * `Idempotent-Replayed: true`, without running the command twice. The same key with a
 * different body is refused (422); a retry while the first is still running gets 409.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Kysely } from 'kysely';
import type { TimeSource } from '../app/time-source.js';
import { canonicalDigest } from '../domain/chain/canonical-json.js';
import { FirebreakError } from '../domain/errors.js';
import type { Database } from '../store/database.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string; route: string } | null;
  }
}

/** A first request that never finished (client gone, process killed) stops blocking retries after this. */
const PENDING_EXPIRY_MS = 60_000;
const KEPT_HEADERS = ['etag', 'content-type', 'location'] as const;

export function registerIdempotency(server: FastifyInstance, db: Kysely<Database>, time: TimeSource): void {
  server.decorateRequest('idempotency', null);

  // Both hooks run on every request and do nothing for most: written with `done`, so a
  // request without an Idempotency-Key pays no promise and microtask for them.
  server.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.principal) return done();
    claimKey(request, reply, request.principal.user.id, key).then((answered) => {
      if (!answered) done();
    }, done);
  });

  /** Records the key as in progress, or replays the first answer (true: the request is answered). */
  async function claimKey(request: FastifyRequest, reply: FastifyReply, userId: string, key: string): Promise<boolean> {
    const route = `${request.method} ${request.url.split('?')[0]}`;
    const requestHash = canonicalDigest(request.body ?? null);
    const found = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).where('route', '=', route).executeTakeFirst();
    if (found) {
      if (found.request_hash !== requestHash) {
        throw new FirebreakError('FB_ERR_IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request body; use a new key', [
          { path: 'Idempotency-Key', message: 'already used for a different request' },
        ]);
      }
      if (found.status === null) {
        if (time.now().getTime() - new Date(found.created_at).getTime() < PENDING_EXPIRY_MS) {
          throw new FirebreakError('FB_ERR_IDEMPOTENCY_IN_PROGRESS', 'the first request with this Idempotency-Key is still running; retry in a moment');
        }
        await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('route', '=', route).execute();
      } else {
        const headers = (typeof found.headers === 'string' ? JSON.parse(found.headers) : (found.headers ?? {})) as Record<string, string>;
        for (const [name, value] of Object.entries(headers)) reply.header(name, value);
        reply.header('idempotent-replayed', 'true');
        reply.code(found.status).send(found.response ?? '');
        return true;
      }
    }
    try {
      await db.insertInto('idempotency_keys').values({ user_id: userId, key, route, request_hash: requestHash, status: null, response: null, headers: null, created_at: time.now().toISOString() }).execute();
    } catch {
      // Another request with the same key won the insert a moment ago.
      throw new FirebreakError('FB_ERR_IDEMPOTENCY_IN_PROGRESS', 'the first request with this Idempotency-Key is still running; retry in a moment');
    }
    request.idempotency = { userId, key, route };
    return false;
  }

  server.addHook('onSend', (request, reply, payload, done) => {
    const pending = request.idempotency;
    if (!pending) return done(null, payload);
    request.idempotency = null;
    recordAnswer(reply, payload, pending).then((kept) => done(null, kept), done);
  });

  /** Stores the answer under the key (or frees the key for a 5xx or a stream); gives back the payload to send. */
  async function recordAnswer(reply: FastifyReply, payload: unknown, pending: NonNullable<FastifyRequest['idempotency']>): Promise<unknown> {
    const where = db.deleteFrom('idempotency_keys').where('user_id', '=', pending.userId).where('key', '=', pending.key).where('route', '=', pending.route);
    // Text and bytes (incident views are sent as UTF-8 bytes) are kept; a stream is not.
    const body = Buffer.isBuffer(payload) ? payload.toString('utf8') : payload;
    if (reply.statusCode >= 500 || (body !== null && typeof body !== 'string')) {
      await where.execute();
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await db
      .updateTable('idempotency_keys')
      .set({ status: reply.statusCode, response: body ?? '', headers: JSON.stringify(headers) })
      .where('user_id', '=', pending.userId)
      .where('key', '=', pending.key)
      .where('route', '=', pending.route)
      .execute();
    return payload;
  }
}
