/**
 * Evidence routes: list and add (text, links, or a file streamed as the raw request body),
 * metadata, view, download or export (each recorded on the log before any byte is sent),
 * transfer of custody and the custody report. Evidence inherits its incident's
 * restriction: an incident the caller may not see answers 404 for its evidence too.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { authorize, visibleIncident } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import * as s from './schema.js';

export async function evidenceRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  // File uploads arrive as the raw body; the storage streams, hashes and limits it.
  server.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  async function readable(request: FastifyRequest, id: string) {
    const { principal, state } = await visibleIncident(context, request, id);
    if (!policy.canReadAfter(principal.user, state)) await authorize(context, request, () => false, 'read evidence');
    return { principal, state };
  }

  async function workable(request: FastifyRequest, id: string) {
    const { principal, state } = await visibleIncident(context, request, id);
    if (!policy.canWorkAfter(principal.user, state)) await authorize(context, request, () => false, 'add or handle evidence');
    return { principal, state };
  }

  /** The item, only when it belongs to this incident. */
  async function itemOf(state: IncidentState, evidenceId: string) {
    const item = await app.evidence.get(evidenceId.trim().toUpperCase()).catch(() => undefined);
    if (!item || item.incidentId !== state.id) throw new FirebreakError('FB_ERR_EVIDENCE_NOT_FOUND', `no evidence ${evidenceId} in ${state.id}`);
    return item;
  }

  r.get('/incidents/:id/evidence', {
    schema: { tags: [TAGS.evidence], summary: 'List the evidence of an incident (metadata; not an access)', params: s.incidentParams, response: { 200: s.evidenceListSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await readable(request, request.params.id);
    return { items: await app.evidence.list(state.id) };
  });

  r.post('/incidents/:id/evidence', {
    schema: { tags: [TAGS.evidence], summary: 'Add a log excerpt or a link as evidence', params: s.incidentParams, body: s.textEvidenceBody, response: { 201: s.evidenceItemSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { principal, state } = await workable(request, request.params.id);
    const { kind, text, ...meta } = request.body;
    const item = await app.evidence.addText(state.id, kind === 'link' ? { kind: 'link', text } : { kind: 'text', text }, meta, { actor: principal.user.handle });
    reply.code(201).header('location', `/api/v1/incidents/${state.id}/evidence/${item.id}`);
    return item;
  });

  r.post('/incidents/:id/evidence/file', {
    schema: {
      tags: [TAGS.evidence],
      summary: 'Upload a file as evidence: the body is the file (application/octet-stream), streamed and hashed',
      params: s.incidentParams,
      querystring: s.fileQuery,
      response: { 201: s.evidenceItemSchema, ...problemResponses },
    },
  }, async (request, reply) => {
    const { principal, state } = await workable(request, request.params.id);
    const body = request.body as unknown;
    if (!body || typeof (body as NodeJS.ReadableStream).pipe !== 'function') {
      throw fieldError('FB_ERR_INPUT_INVALID', 'content-type', 'send the file as the request body with Content-Type: application/octet-stream');
    }
    const meta = { description: request.query.description ?? '', source: request.query.source ?? '', ...(request.query.collector ? { collector: request.query.collector } : {}), ...(request.query.filename ? { filename: request.query.filename } : {}) };
    const item = await app.evidence.addFile(state.id, body as Readable, meta, { actor: principal.user.handle });
    reply.code(201).header('location', `/api/v1/incidents/${state.id}/evidence/${item.id}`);
    return item;
  });

  r.get('/incidents/:id/evidence/:evidenceId', {
    schema: { tags: [TAGS.evidence], summary: 'Metadata of one evidence item (not an access)', params: s.evidenceParams, response: { 200: s.evidenceItemSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await readable(request, request.params.id);
    return itemOf(state, request.params.evidenceId);
  });

  r.post('/incidents/:id/evidence/:evidenceId/view', {
    schema: { tags: [TAGS.evidence], summary: 'View an item (text and links inline); recorded as a view', params: s.evidenceParams, body: s.purposeBody, response: { 200: s.evidenceViewSchema, ...problemResponses } },
    preValidation: async (request) => {
      if (request.body === null || request.body === undefined) request.body = {};
    },
  }, async (request) => {
    const { principal, state } = await workable(request, request.params.id);
    const item = await itemOf(state, request.params.evidenceId);
    return app.evidence.view(item.id, { actor: principal.user.handle, ...(request.body.purpose ? { purpose: request.body.purpose } : {}) });
  });

  r.get('/incidents/:id/evidence/:evidenceId/content', {
    schema: { tags: [TAGS.evidence], summary: 'Download the stored bytes; recorded as a download (or an export with export=true) before they are sent', params: s.evidenceParams, querystring: s.contentQuery, response: { ...problemResponses } },
  }, async (request, reply) => {
    const { principal, state } = await workable(request, request.params.id);
    const item = await itemOf(state, request.params.evidenceId);
    const options = { actor: principal.user.handle, ...(request.query.purpose ? { purpose: request.query.purpose } : {}) };
    const { stream } = request.query.export === 'true' ? await app.evidence.export(item.id, options) : await app.evidence.download(item.id, options);
    const filename = (item.filename ?? `${item.id}.bin`).replace(/[^\w.-]/g, '_');
    reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-sha256', item.sha256)
      .header('x-content-type-options', 'nosniff');
    // A stream is sent as is; the typed reply only knows the documented problem shape.
    return reply.send(stream as never);
  });

  r.post('/incidents/:id/evidence/:evidenceId/transfer', {
    schema: { tags: [TAGS.evidence], summary: 'Transfer custody to someone else, with a reason', params: s.evidenceParams, body: s.transferBody, response: { 200: s.evidenceItemSchema, ...problemResponses } },
  }, async (request) => {
    const { principal, state } = await workable(request, request.params.id);
    const item = await itemOf(state, request.params.evidenceId);
    return app.evidence.transfer(item.id, request.body.to, request.body.reason, { actor: principal.user.handle });
  });

  r.get('/incidents/:id/evidence/:evidenceId/custody', {
    schema: { tags: [TAGS.evidence], summary: 'The chain of custody: collection, every view, download, export and transfer', params: s.evidenceParams, response: { 200: s.custodySchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await readable(request, request.params.id);
    const item = await itemOf(state, request.params.evidenceId);
    const report = await app.evidence.custody(item.id);
    return { evidenceId: report.evidenceId, incidentId: report.incidentId, custodian: report.custodian, collectedAt: report.collectedAt, entries: [...report.entries] };
  });
}
