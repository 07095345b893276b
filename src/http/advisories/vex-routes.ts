/**
 * The VEX register over HTTP: read the current statements (or their whole history),
 * record one (the newest per product, version and vulnerability wins; nothing is
 * overwritten), and export the register as CSAF 2.0 VEX or OpenVEX.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import * as s from './schema.js';

export async function vexRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;

  r.get('/vex', {
    schema: { tags: [TAGS.vex], summary: 'The current VEX statement per product version and vulnerability', querystring: s.vexQuery, response: { 200: s.vexListSchema, ...problemResponses } },
  }, async (request) => {
    await authorize(context, request, (p) => policy.canReadVex(p.user), 'read the VEX register');
    const filter = request.query.vulnerability ? { vulnerability: request.query.vulnerability } : {};
    const statements = request.query.history === 'true' ? await app.advisories.vexHistory(filter) : await app.advisories.vexRegister(filter);
    return { statements };
  });

  r.post('/vex', {
    schema: { tags: [TAGS.vex], summary: 'Record a VEX statement (history is kept)', body: s.vexBody, response: { 201: s.vexStatementSchema, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, (p) => policy.canWriteVex(p.user), 'record VEX statements');
    const statement = await app.advisories.recordVex(request.body, { actor: principal.user.handle });
    return reply.code(201).send(statement);
  });

  r.get('/vex/export', {
    schema: {
      tags: [TAGS.vex],
      summary: 'Export the register as CSAF 2.0 VEX or OpenVEX',
      querystring: s.vexExportQuery,
      produces: ['application/json'],
      response: { 200: z.string().describe('The VEX document (JSON), sent as is.'), ...problemResponses },
    },
  }, async (request, reply) => {
    await authorize(context, request, (p) => policy.canReadVex(p.user), 'export the VEX register');
    const text = await app.advisories.exportVex(request.query.format);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="vex.${request.query.format}.json"`)
      .serializer((payload: unknown) => payload as string)
      .send(text);
  });
}
