/**
 * `POST /api/v1/ingest/{source}`: alerts from detection sources. Before reading the body:
 * unknown source 404 → larger than the source kind allows 413. Then it reads the raw body
 * (the signature covers its exact bytes): bad signature or token 401 → replayed signed
 * request 409 → malformed body 400 naming the field → 202 once the alerts are committed. A delivery id seen before (GitHub's X-GitHub-Delivery, or an
 * Idempotency-Key) gets the first answer again and changes nothing.
 */
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import { GenericIngestBodySchema, type IngestKind } from '../../integrations/ingest/index.js';
import { parseDelivery } from '../../integrations/ingest/parse-delivery.js';
import { problemResponses } from '../route-docs.js';

/** What an ingest source's name may be (as `addSource` allows). */
const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const DEFAULT_INGEST_LIMITS: Readonly<Record<IngestKind, number>> = {
  github: 5 * 1024 * 1024,
  alertmanager: 10 * 1024 * 1024,
  generic: 1024 * 1024,
  sarif: 20 * 1024 * 1024,
};

export interface IngestRoutesOptions {
  readonly app: FirebreakApp;
  /** Largest body accepted per source kind, in bytes. */
  readonly limits?: Partial<Record<IngestKind, number>>;
}

/** Node has lower-cased the names already; a header sent more than once may be an array. */
function headerMap(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key in raw) {
    const value = raw[key];
    out[key] = typeof value === 'object' ? value.join(',') : value;
  }
  return out;
}

const ResponseSchema = z.object({
  source: z.string(),
  deliveryId: z.string().nullable(),
  duplicate: z.boolean().describe('true when this delivery id was seen before; nothing changed'),
  received: z.number(),
  created: z.number().describe('new events placed in the triage queue'),
  repeated: z.number().describe('alerts counted onto an open fingerprint'),
  attached: z.number().describe('new alerts noted on an open incident by a routing rule'),
  ignored: z.number(),
  duplicates: z.number(),
  alerts: z.array(z.object({ fingerprint: z.string(), incidentId: z.string().nullable(), count: z.number(), outcome: z.string() })),
  note: z.string().optional(),
});

export async function ingestRoutes(server: FastifyInstance, options: IngestRoutesOptions): Promise<void> {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
  const maxLimit = Math.max(...Object.values(limits));
  const intake = options.app.intake;

  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxLimit }, (_request, body, done) => done(null, body));

  server.post<{ Params: { source: string }; Querystring: Record<string, string | undefined> }>(
    '/api/v1/ingest/:source',
    {
      bodyLimit: maxLimit,
      // Before a byte of the body is read: an unknown source is a 404, and the source
      // kind's own limit applies, to the declared length at once and to the bytes as they
      // arrive, so nobody can make the server buffer 20 MiB for a source that takes 1 MiB.
      preParsing: async (request, _reply, payload) => {
        const name = (request.params as { source: string }).source;
        // A name no source can have is left to the input checks (400 naming it), under the smallest limit.
        const source = SOURCE_NAME.test(name) ? await intake.source(name) : undefined;
        const kind = source?.kind ?? 'generic';
        const limit = source ? limits[source.kind as IngestKind] : Math.min(...Object.values(limits));
        const tooLarge = (size: string) => new FirebreakError('FB_ERR_HTTP_TOO_LARGE', `${kind} bodies may be at most ${limit} bytes; this one has ${size}`);
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) throw tooLarge(`${declared}`);
        let seen = 0;
        const limited = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            seen += chunk.length;
            if (seen > limit) done(tooLarge(`more than ${limit}`));
            else done(null, chunk);
          },
        });
        return payload.pipe(limited);
      },
      // Sources prove themselves with their own secret (below), and a storm must not be
      // throttled into lost alerts: no user sign-in, no per-address rate limit.
      config: { access: 'source', rateLimit: false },
      // The body is checked by the source's own parser after the signature; the zod
      // schemas here document the generic format in OpenAPI and are not used to validate.
      validatorCompiler: () => () => true,
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: 'Ingest alerts from a detection source',
        description:
          'The body is the source kind’s own format: an Alertmanager v4 webhook, a GitHub security webhook (X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256), a SARIF 2.1.0 log (?repository=owner/name), or the generic format below. Answers 202 once committed.',
        tags: ['intake'],
        params: z.object({ source: z.string().describe('The ingest source’s name') }),
        body: GenericIngestBodySchema,
        security: [],
        response: { 202: ResponseSchema, ...problemResponses },
      } as FastifySchema,
    },
    async (request, reply) => {
      const source = await intake.source(request.params.source);
      const kind = source.kind as IngestKind;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (raw.length > limits[kind]) throw new FirebreakError('FB_ERR_HTTP_TOO_LARGE', `${kind} bodies may be at most ${limits[kind]} bytes; this one has ${raw.length}`);
      const headers = headerMap(request.headers);
      const guard = intake.authenticate(source, raw, headers);
      const parsed = parseDelivery({ kind, raw, headers, query: request.query });
      const deliveryId = kind === 'github' ? parsed.deliveryId : (headers['idempotency-key'] ?? headers['x-firebreak-delivery']);
      if (deliveryId !== undefined && (deliveryId.length === 0 || deliveryId.length > 200)) throw fieldError('FB_ERR_INPUT_INVALID', 'Idempotency-Key', 'must be 1–200 characters');
      const outcome = await intake.ingest(source, parsed, deliveryId, guard);
      return reply.code(202).send(outcome);
    },
  );
}
