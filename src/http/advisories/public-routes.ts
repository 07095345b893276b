/**
 * Public advisory publishing, no login: the index, one stable page per advisory, an Atom
 * feed, each advisory's OSV JSON and one download of all of them (a JSON array of OSV
 * records: no archive library is a dependency). Drafts and embargoed revisions do not
 * exist here: visibility is decided on every request by comparing each revision's release
 * time with the app's TimeSource, so an embargo lifts at its date without any job.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdvisoryService } from '../../app/advisory-service.js';
import type { TimeSource } from '../../app/time-source.js';
import { revisionDocument } from '../../domain/advisory/advisory-document.js';
import { FirebreakError } from '../../domain/errors.js';
import { toOsv } from '../../integrations/exports/osv-export.js';
import { advisoryPage, atomFeed, escapeHtml, indexPage } from './public-pages.js';

export interface PublicAdvisoryOptions {
  readonly advisories: AdvisoryService;
  readonly time: TimeSource;
  /** Absolute base URL for feed links (e.g. https://security.example.org); from the request when absent. */
  readonly publicUrl?: string;
}

const ADVISORY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'cache-control': 'public, max-age=60',
};

function notFoundHtml(reply: FastifyReply, base: string, id: string): FastifyReply {
  return reply
    .code(404)
    .headers(HTML_HEADERS)
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><main><h1>No published advisory ${escapeHtml(id)}</h1><p><a href="${escapeHtml(`${base}/advisories`)}">All advisories</a></p></main></body></html>`);
}

/** Published advisories are for everyone: no sign-in, and not part of the JSON API docs. */
const PUBLIC_PAGE = { config: { access: 'public' as const }, schema: { hide: true } };

export async function registerPublicAdvisoryRoutes(server: FastifyInstance, options: PublicAdvisoryOptions): Promise<void> {
  const { advisories, time } = options;
  const baseOf = (request: FastifyRequest) => (options.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
  const published = async () => (await advisories.listPublic(time.now())).map(({ state, revision }) => revisionDocument(state, revision));

  server.get('/advisories', PUBLIC_PAGE, async (request, reply) => reply.headers(HTML_HEADERS).send(indexPage(await published(), baseOf(request))));

  server.get('/advisories/feed.atom', PUBLIC_PAGE, async (request, reply) =>
    reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(atomFeed(await published(), baseOf(request), time.now().toISOString())),
  );

  server.get('/advisories/osv/all.json', PUBLIC_PAGE, async (_request, reply) =>
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="advisories-osv.json"')
      .header('cache-control', 'public, max-age=60')
      .send(`${JSON.stringify((await published()).map(toOsv), null, 2)}\n`),
  );

  server.get<{ Params: { ref: string } }>('/advisories/:ref', PUBLIC_PAGE, async (request, reply) => {
    const ref = request.params.ref;
    const osv = ref.endsWith('.osv.json');
    const id = osv ? ref.slice(0, -'.osv.json'.length) : ref;
    const base = baseOf(request);
    if (!ADVISORY_ID.test(id)) {
      return reply.code(400).send({ code: 'FB_ERR_INPUT_INVALID', message: 'id: not an advisory id (letters, digits, ".", "-", "_")', fields: [{ path: 'id', message: 'not an advisory id' }] });
    }
    try {
      const doc = await advisories.getPublic(id, time.now());
      if (osv) return reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'public, max-age=60').send(`${JSON.stringify(toOsv(doc), null, 2)}\n`);
      return reply.headers(HTML_HEADERS).send(advisoryPage(doc, base));
    } catch (error) {
      if (!(error instanceof FirebreakError) || error.code !== 'FB_ERR_ADVISORY_NOT_FOUND') throw error;
      if (osv) return reply.code(404).send({ code: error.code, message: `no published advisory ${id}` });
      return notFoundHtml(reply, base, id);
    }
  });
}
