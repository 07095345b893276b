/**
 * `GET /api/v1/search?q=`: full-text search over the incidents the caller may see; the
 * policy decides visibility, the search service filters by it, nothing else leaks.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';

const searchQuery = z.object({
  q: z.string().trim().min(1).max(500),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  drills: z.enum(['true', 'false']).default('true'),
});
const hitSchema = z.object({ incidentId: z.string(), incidentTitle: z.string(), drill: z.boolean(), kind: z.string(), ref: z.string(), occurredAt: z.string(), snippet: z.string() });

export async function searchRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  r.get('/search', {
    schema: { tags: [TAGS.search], summary: 'Full-text search over incidents, notes, sitreps, timeline and evidence descriptions', querystring: searchQuery, response: { 200: z.object({ items: z.array(hitSchema) }), ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, (p) => !p.user.disabled, 'search');
    const visible = new Set((await app.incidents.list({})).filter((st) => policy.canSeeIncident(principal.user, st)).map((st) => st.id));
    const items = await app.search.search(request.query.q, { visible, limit: request.query.limit, ...(request.query.drills === 'false' ? { includeDrills: false } : {}) });
    return { items };
  });
}
