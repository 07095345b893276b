/**
 * The OpenAPI document and the server agree: every operation in `/api/openapi.json` is a
 * real route, every API route is documented, and the docs page is served. The document
 * is OpenAPI 3.1 generated from the same zod schemas that validate requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

/** Served for humans, not part of the API: the docs page, its assets, the document itself. */
const UNDOCUMENTED = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/') || url === '/api/openapi.json';

describe('OpenAPI contract', () => {
  let h: HttpHarness;
  let doc: { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    h = await createHttpHarness();
    const response = await h.call('anonymous', 'GET', '/api/openapi.json');
    expect(response.statusCode).toBe(200);
    doc = response.json();
  });
  afterAll(async () => h.close());

  const toOpenApi = (url: string) => url.replace(/:(\w+)/g, '{$1}');
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`));

  it('is OpenAPI 3.1 with the shared schemas as components', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'IncidentView', 'User', 'ApiToken', 'Plan']));
  });

  it('documents every API route', () => {
    const documented = new Set(operations());
    const routes = h.server.routeTable.filter((r) => r.url.startsWith('/api') && !UNDOCUMENTED(r.url)).map((r) => `${r.method} ${toOpenApi(r.url)}`);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('documents only routes that exist', () => {
    const routes = new Set(h.server.routeTable.map((r) => `${r.method} ${toOpenApi(r.url)}`));
    expect(operations().filter((op) => !routes.has(op))).toEqual([]);
  });

  it('gives every operation a summary and documents its problem answers', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        if (path.startsWith('/api/v1')) expect(Object.keys(op.responses ?? {}), `${method} ${path}`).toContain('4XX');
      }
    }
  });

  it('serves the browsable docs page', async () => {
    const page = await h.call('anonymous', 'GET', '/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});
