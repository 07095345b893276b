/**
 * The signed-in advisory API: list, draft on an incident, read, edit, the review and
 * release commands, exports, revisions and the advisory's own log. Each handler reads
 * validate → authorize → command → present. Advisories inherit their incident's
 * need-to-know: one of an incident the caller may not see answers 404 (see policy.ts).
 * `If-Match` carries the advisory version the client saw (stale → 409) and every response
 * with an advisory carries its version as `ETag`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExportFormat } from '../../app/advisory-service.js';
import { presentAdvisoryVerdict } from '../../app/advisory-view.js';
import { revisionDocument } from '../../domain/advisory/advisory-document.js';
import type { AdvisoryCommand } from '../../domain/advisory/commands.js';
import { effectiveStatus, type AdvisoryState } from '../../domain/advisory/state.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { authorize, visibleAdvisory, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { etagOf } from '../incidents/present.js';
import { parseIfMatch } from '../incidents/routes.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import { presentAdvisory, presentSummary } from './present.js';
import * as s from './schema.js';

/** What each export is served as; JSON formats as JSON, Markdown as text. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  osv: 'application/json; charset=utf-8',
  csaf: 'application/json; charset=utf-8',
  'csaf-vex': 'application/json; charset=utf-8',
  ghsa: 'application/json; charset=utf-8',
};

const exportText = z.string();

const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { md: 'md', osv: 'osv.json', csaf: 'csaf.json', 'csaf-vex': 'csaf-vex.json', ghsa: 'ghsa.json' };

export async function advisoryRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  async function respond(reply: FastifyReply, state: AdvisoryState, status = 200) {
    reply.code(status).header('etag', etagOf(state.version));
    return presentAdvisory(app, state);
  }

  r.get('/advisories', {
    schema: { tags: [TAGS.advisories], summary: 'List the advisories of the incidents you may see, newest first', querystring: s.listQuery, response: { 200: s.advisoryListSchema, ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, (p) => policy.canReadAcrossIncidents(p.user), 'read advisories');
    const q = request.query;
    const states = await app.advisories.list(q.incident ? { incidentId: q.incident.trim().toUpperCase() } : {});
    const incidents = new Map<string, IncidentState>();
    const now = app.time.now();
    const visible: AdvisoryState[] = [];
    for (const state of states) {
      if (!incidents.has(state.incidentId)) incidents.set(state.incidentId, await app.incidents.get(state.incidentId));
      if (!policy.canReadAdvisory(principal.user, incidents.get(state.incidentId)!)) continue;
      if (q.status && effectiveStatus(state, now) !== q.status) continue;
      visible.push(state);
    }
    return { advisories: visible.map((st) => presentSummary(st, now)) };
  });

  r.post('/incidents/:id/advisories', {
    schema: { tags: [TAGS.advisories], summary: 'Draft an advisory for an incident (its id comes from the plan)', params: s.incidentParams, headers: s.commandHeaders, body: s.contentBody, response: { 201: s.advisoryViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { principal, state: incident } = await visibleIncident(context, request, request.params.id);
    if (!policy.canWriteAdvisory(principal.user, incident)) await authorize(context, request, () => false, 'draft advisories');
    const { state } = await app.advisories.draft(incident.id, request.body, { actor: principal.user.handle });
    reply.header('location', `/api/v1/advisories/${state.id}`);
    return respond(reply, state, 201);
  });

  r.get('/advisories/:advisoryId', {
    schema: { tags: [TAGS.advisories], summary: 'One advisory: content, review, revisions, what publishing still needs', params: s.advisoryParams, response: { 200: s.advisoryViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { advisory } = await visibleAdvisory(context, request, request.params.advisoryId, 'read');
    return respond(reply, advisory);
  });

  /** Runs one advisory command for someone who may change the advisory, honouring If-Match. */
  async function run(request: FastifyRequest, reply: FastifyReply, rawId: string, command: AdvisoryCommand) {
    const { principal, advisory } = await visibleAdvisory(context, request, rawId, 'write');
    const expectedVersion = parseIfMatch(request.headers['if-match'] as string | undefined);
    const { state } = await app.advisories.execute(advisory.id, command, { actor: principal.user.handle, ...(expectedVersion !== undefined ? { expectedVersion } : {}) });
    return respond(reply, state);
  }

  r.patch('/advisories/:advisoryId', {
    schema: { tags: [TAGS.advisories], summary: 'Edit fields (an approved advisory goes back to draft)', params: s.advisoryParams, headers: s.commandHeaders, body: s.editBody, response: { 200: s.advisoryViewSchema, ...problemResponses } },
  }, async (request, reply) => run(request, reply, request.params.advisoryId, { type: 'edit', changes: request.body.changes }));

  /** Registers one lifecycle route: POST /advisories/:advisoryId/<url>, returning the new view. */
  function lifecycle<B extends z.ZodType>(def: { url: string; summary: string; body: B; build: (body: z.infer<B>) => AdvisoryCommand }) {
    r.route({
      method: 'POST',
      url: `/advisories/:advisoryId/${def.url}`,
      schema: { tags: [TAGS.advisories], summary: def.summary, params: s.advisoryParams, headers: s.commandHeaders, body: def.body, response: { 200: s.advisoryViewSchema, ...problemResponses } },
      // A command without required fields may be sent without a body at all.
      preValidation: async (request: FastifyRequest) => {
        if (request.body === null || request.body === undefined) request.body = {};
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const { advisoryId } = request.params as z.infer<typeof s.advisoryParams>;
        return run(request, reply, advisoryId, def.build(request.body as z.infer<B>));
      },
    });
  }

  lifecycle({ url: 'submit', summary: 'Send a draft for review', body: s.noteBody, build: (b) => ({ type: 'submit', ...(b.note ? { note: b.note } : {}) }) });
  lifecycle({ url: 'approve', summary: 'Approve an advisory in review (a second person: no author may approve)', body: s.noteBody, build: (b) => ({ type: 'approve', ...(b.note ? { note: b.note } : {}) }) });
  lifecycle({ url: 'request-changes', summary: 'Send an advisory in review back to draft', body: s.reasonBody, build: (b) => ({ type: 'request_changes', reason: b.reason }) });
  lifecycle({ url: 'schedule', summary: 'Schedule publication at the embargo date (checked as publish is)', body: s.scheduleBody, build: (b) => ({ type: 'schedule', releaseAt: b.releaseAt, ...(b.summary ? { summary: b.summary } : {}) }) });
  lifecycle({ url: 'publish', summary: 'Publish now (refused while required fields are missing; the problem lists them)', body: s.publishBody, build: (b) => ({ type: 'publish', ...(b.summary ? { summary: b.summary } : {}) }) });

  r.get('/advisories/:advisoryId/export', {
    schema: {
      tags: [TAGS.advisories],
      summary: 'Export as Markdown, OSV, CSAF 2.0, CSAF VEX or GitHub advisory JSON',
      params: s.advisoryParams,
      querystring: s.exportQuery,
      produces: ['text/markdown', 'application/json'],
      response: { 200: exportText.describe('The export: Markdown text (md) or a JSON document (every other format), sent as is.'), ...problemResponses },
    },
  }, async (request, reply) => {
    const { advisory } = await visibleAdvisory(context, request, request.params.advisoryId, 'read');
    const { format, which } = request.query;
    const text = await app.advisories.export(advisory.id, format, which ? { which } : {});
    return reply
      .header('content-type', EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${advisory.id}.${EXPORT_EXTENSIONS[format]}"`)
      .header('etag', etagOf(advisory.version))
      .serializer((payload: unknown) => payload as string)
      .send(text);
  });

  r.get('/advisories/:advisoryId/revisions', {
    schema: { tags: [TAGS.advisories], summary: 'Every released (or scheduled) revision as a full document, oldest first', params: s.advisoryParams, response: { 200: s.revisionsSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { advisory } = await visibleAdvisory(context, request, request.params.advisoryId, 'read');
    const now = app.time.now();
    reply.header('etag', etagOf(advisory.version));
    return {
      revisions: [...advisory.revisions]
        .sort((a, b) => a.revision - b.revision)
        .map((r) => ({ number: r.revision, publishedAt: r.releaseAt, summary: r.summary, embargoed: r.embargoed && new Date(r.releaseAt) > now, document: revisionDocument(advisory, r) as unknown as { id: string; revision: number; content: Record<string, unknown> } })),
    };
  });

  r.get('/advisories/:advisoryId/events', {
    schema: { tags: [TAGS.advisories], summary: "The advisory's own hash-chained log, oldest first", params: s.advisoryParams, response: { 200: s.eventsSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { advisory } = await visibleAdvisory(context, request, request.params.advisoryId, 'read');
    reply.header('etag', etagOf(advisory.version));
    return { events: await app.advisories.events(advisory.id) };
  });

  r.get('/advisories/:advisoryId/verify', {
    schema: { tags: [TAGS.advisories], summary: "Check the advisory's hash chain and projection", params: s.advisoryParams, response: { 200: s.verdictSchema, ...problemResponses } },
  }, async (request) => {
    const { advisory } = await visibleAdvisory(context, request, request.params.advisoryId, 'read');
    return presentAdvisoryVerdict(advisory.id, await app.advisories.verify(advisory.id));
  });
}
