/**
 * The signed record over HTTP: the instance's checkpoint public keys at a well-known URL
 * (public: a witness or auditor needs them without an account), the latest checkpoint
 * file, and a check of the store against a checkpoint an auditor sends.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, visibleIncident } from '../access.js';
import { incidentParams } from '../incidents/schema.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const CHECKPOINT_TYPE = 'text/plain; charset=utf-8';
const asText = (payload: unknown) => payload as string;

const verdictSchema = z.object({
  ok: z.boolean(),
  origin: z.string(),
  size: z.number().int(),
  root: z.string(),
  time: z.string().optional(),
  signedBy: z.array(z.string()),
  problems: z.array(z.object({ chain: z.string(), incidentId: z.string().optional(), seq: z.number().int().optional(), reason: z.string() })),
});

/** `/.well-known/firebreak-checkpoint-key`: every verifier key, oldest first, one a line. */
export async function checkpointKeyRoute(server: FastifyInstance, options: { context: HttpContext }): Promise<void> {
  server.get('/.well-known/firebreak-checkpoint-key', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
    reply.type(CHECKPOINT_TYPE).send(`${options.context.app.record.keyring.verifierKeyLines().join('\n')}\n`),
  );
}

export async function recordRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  r.get('/checkpoints/latest', {
    schema: {
      tags: [TAGS.record],
      summary: 'The latest signed checkpoint file (docs/checkpoints.md); one is made first when the store has moved on since',
      produces: ['text/plain'],
      response: { 200: z.string().describe('The checkpoint file text: signed note, then leaf lines.'), ...problemResponses },
    },
  }, async (request, reply) => {
    await authorize(context, request, (p) => policy.canReadCheckpoints(p.user), 'read checkpoints');
    const { checkpoint } = await app.record.checkpoint();
    return reply.header('content-type', CHECKPOINT_TYPE).header('x-checkpoint-seq', String(checkpoint.seq)).serializer(asText).send(checkpoint.text);
  });

  r.post('/checkpoints/verify', {
    schema: {
      tags: [TAGS.record],
      summary: 'Check the store against a checkpoint file: every chain it covers must still be present and extend it',
      body: z.object({ checkpoint: z.string().min(1).max(64 * 1024 * 1024).describe('The checkpoint file text') }),
      response: { 200: verdictSchema, ...problemResponses },
    },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadCheckpoints(p.user), 'verify checkpoints');
    const verdict = await app.record.verifyCheckpoint(request.body.checkpoint);
    return { ...verdict, signedBy: [...verdict.signedBy], problems: [...verdict.problems] };
  });

  r.get('/incidents/:id/bundle', {
    schema: {
      tags: [TAGS.record],
      summary: 'The offline verification bundle of one incident (docs/bundles.md), checked by tools/verify-bundle.mjs with no database (audited)',
      params: incidentParams,
      produces: ['application/json'],
      response: { 200: z.string().describe('The bundle: canonical JSON and a newline, sent as is (re-encoding it would break it).'), ...problemResponses },
    },
  }, async (request, reply) => {
    const { principal, state } = await visibleIncident(context, request, request.params.id);
    if (!policy.canVerify(principal.user)) await authorize(context, request, () => false, 'export incident bundles');
    const bundle = await app.record.bundle(state.id);
    await context.auth.audit.record({ action: 'export', outcome: 'success', userId: principal.user.id, subject: state.id, ip: request.ip, detail: { bundle: true } });
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${state.id}.bundle.json"`)
      .serializer(asText)
      .send(bundle);
  });
}
