/**
 * A regulatory stage's report draft over HTTP: read it (pre-filled items with their sources
 * and what is still missing), fill items, have a second person approve or reject it, and
 * export the approved report as JSON (the exact bytes its SHA-256 names) or PDF. Edits and
 * reviews are commands on the incident log, so `verify` covers them.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { regulatoryReportJson, regulatoryReportPdf } from '../../app/regulatory/index.js';
import { FirebreakError } from '../../domain/errors.js';
import type { IncidentCommand } from '../../domain/incident/commands.js';
import { findRegulatoryClock, regulatoryDraftView } from '../../domain/regulatory/regulatory-draft.js';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import { etagOf } from './present.js';
import { parseIfMatch } from './routes.js';
import { clockParams, commandHeaders } from './schema.js';

const itemSchema = z.object({ id: z.string(), label: z.string(), citation: z.string().nullable(), value: z.string().nullable(), source: z.string().nullable() });

export const draftViewSchema = z.object({
  clock: z.string(),
  name: z.string(),
  regulation: z.string(),
  citation: z.string().nullable(),
  authority: z.string().nullable(),
  dueAt: z.string().nullable(),
  items: z.array(itemSchema).describe('Each item the regulation requires, with its value and where the value came from (null while missing).'),
  missing: z.array(z.string()).describe('Ids of required items that have no value yet.'),
  revision: z.number().int(),
  lastEditedBy: z.string().nullable(),
  lastEditedAt: z.string().nullable(),
  review: z.object({ decision: z.enum(['approved', 'rejected']), by: z.string(), at: z.string(), revision: z.number().int(), note: z.string().nullable() }).nullable(),
  reportSha256: z.string().nullable().describe('SHA-256 of the approved export; a filing without reportSha256 takes it.'),
});

const editBody = z.object({
  fields: z.record(z.string().min(1).max(100), z.string().max(20_000)).describe('Item id → text; an empty text clears the item.'),
});
const reviewBody = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(5000).optional().describe('Required when rejecting: what must change.') });
const exportQuery = z.object({ format: z.enum(['json', 'pdf']).default('json') });

export async function regulatoryDraftRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const base = '/incidents/:id/regulatory/:clock/draft';

  async function readable(request: Parameters<typeof visibleIncident>[1], id: string) {
    const seen = await visibleIncident(context, request, id);
    if (!policy.canReadAfter(seen.principal.user, seen.state)) await authorize(context, request, () => false, 'read regulatory report drafts');
    return seen;
  }

  r.get(base, {
    schema: { tags: [TAGS.incidents], summary: "A regulatory stage's report draft: items, sources, what is missing, review", params: clockParams, response: { 200: draftViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { state } = await readable(request, request.params.id);
    reply.header('etag', etagOf(state.version));
    return regulatoryDraftView(await app.incidents.planOf(state), state, request.params.clock);
  });

  /** Runs a draft command through the incident log and answers with the draft as it now is. */
  async function draftCommand(request: Parameters<typeof visibleIncident>[1], id: string, clock: string, command: IncidentCommand) {
    const { principal, state } = await visibleIncident(context, request, id);
    if (!policy.canRunCommand(principal.user, state, command.type)) await authorize(context, request, () => false, `change incidents (${command.type})`);
    findRegulatoryClock(await app.incidents.planOf(state), clock);
    const expectedVersion = parseIfMatch(request.headers['if-match'] as string | undefined);
    const result = await app.incidents.execute(state.id, command, { actor: principal.user.handle, ...(expectedVersion !== undefined ? { expectedVersion } : {}) });
    return { state: result.state, view: regulatoryDraftView(await app.incidents.planOf(result.state), result.state, clock) };
  }

  r.patch(base, {
    schema: { tags: [TAGS.commands], summary: "Fill or change items of a stage's report draft (clears its approval)", params: clockParams, headers: commandHeaders, body: editBody, response: { 200: draftViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { clock, id } = request.params;
    const { state, view } = await draftCommand(request, id, clock, { type: 'edit_regulatory_draft', clock, fields: request.body.fields });
    reply.header('etag', etagOf(state.version));
    return view;
  });

  r.post(`${base}/review`, {
    schema: { tags: [TAGS.commands], summary: 'Approve or reject a report draft (a second person, not its last editor)', params: clockParams, headers: commandHeaders, body: reviewBody, response: { 200: draftViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { clock, id } = request.params;
    const b = request.body;
    const { state, view } = await draftCommand(request, id, clock, { type: 'review_regulatory_draft', clock, decision: b.decision, ...(b.note ? { note: b.note } : {}) });
    reply.header('etag', etagOf(state.version));
    return view;
  });

  r.get(`${base}/export`, {
    schema: { tags: [TAGS.incidents], summary: 'The approved report as JSON (the bytes its SHA-256 names) or PDF', params: clockParams, querystring: exportQuery, response: { ...problemResponses } },
  }, async (request, reply) => {
    const { state } = await readable(request, request.params.id);
    const plan = await app.incidents.planOf(state);
    const clock = findRegulatoryClock(plan, request.params.clock);
    const approved = state.regulatoryDrafts[clock.id]?.approved;
    if (!approved) throw new FirebreakError('FB_ERR_REGULATORY_DRAFT_NOT_READY', `the report draft of ${clock.name} is not approved; only an approved report is exported`);
    const name = `${state.id}-${clock.id}-r${approved.report.revision}`;
    reply.header('x-report-sha256', approved.reportSha256);
    if (request.query.format === 'pdf') {
      const pdf = await regulatoryReportPdf(approved.report, approved.reportSha256, plan.timeZone, state.drill);
      reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`);
      // A buffer is sent as is; the typed reply only knows the documented problem shape.
      return reply.send(pdf as never);
    }
    reply.header('content-type', 'application/json; charset=utf-8').header('content-disposition', `attachment; filename="${name}.json"`);
    return reply.send(Buffer.from(regulatoryReportJson(approved.report), 'utf8') as never);
  });
}
