/**
 * Serves the built web app (`web/dist`, made by `npm run build:web`) at `/`, with the
 * single-page-app fallback: any other GET outside `/api` that asks for HTML gets
 * `index.html`, so a deep link such as `/incidents/INC-7` opens the app on that page.
 * Hashed assets are cached for a year; `index.html` is never cached, so a new release is
 * picked up on the next load. Without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** `web/dist` seen from both `src/http/` (tsx, tests) and `dist/http/` (built server). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface WebAppOptions {
  /** Directory of the built app; defaults to `web/dist`. */
  readonly root?: string;
}

function wantsHtml(accept: string | undefined): boolean {
  return accept === undefined || accept.includes('text/html') || accept.includes('*/*');
}

export async function registerWebApp(server: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const root = options.root ?? WEB_DIST;
  if (!existsSync(`${root}/index.html`)) {
    server.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><html lang="en"><meta charset="utf-8"><title>Firebreak</title><p>The web app is not built. Run <code>npm run build</code>, then reload. The API is at <code>/api</code>.</p></html>'),
    );
    return;
  }
  // wildcard: false registers one route per built file, leaving `/*` free for the fallback.
  await server.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  server.get('/', async (_request, reply) => sendIndex(reply));
  server.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api') || path.startsWith('/assets/') || !wantsHtml(request.headers.accept)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
