/** Personal API tokens: list yours, create one (its secret is shown once), revoke one. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../access.js';
import { newTokenResponse, tokenBody, tokenParams, tokenSchema } from '../auth/schema.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

export async function tokenRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { auth } = context;

  r.get('/tokens', {
    schema: { tags: [TAGS.tokens], summary: 'Your API tokens (never their secrets)', response: { 200: z.object({ items: z.array(tokenSchema) }), ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, policy.canManageOwnTokens, 'manage API tokens');
    return { items: await auth.listTokens(principal.user.id) };
  });

  r.post('/tokens', {
    schema: { tags: [TAGS.tokens], summary: 'Create an API token; the secret is in this response only', body: tokenBody, response: { 201: newTokenResponse, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, policy.canManageOwnTokens, 'manage API tokens');
    const created = await auth.createToken(principal.user, { name: request.body.name, ...(request.body.expiresAt !== undefined ? { expiresAt: request.body.expiresAt } : {}) });
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(created);
  });

  r.delete('/tokens/:id', {
    schema: { tags: [TAGS.tokens], summary: 'Revoke one of your API tokens (takes effect at once)', params: tokenParams, response: { 200: tokenSchema, ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, policy.canManageOwnTokens, 'manage API tokens');
    return auth.revokeToken(principal.user, request.params.id);
  });
}
