/**
 * Regression (found by the OpenAPI fuzzer): a NUL character in a path parameter or query
 * value was a 500 on PostgreSQL. It is a 400 naming the parameter on both back ends, and
 * nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../test/support/http-harness.js';

describe('NUL in the URL', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder');
  });
  afterAll(async () => h.close());

  for (const [method, url, field] of [
    ['GET', '/api/v1/incidents/a%00b', 'id'],
    ['GET', '/api/v1/incidents/%00/clocks', 'id'],
    ['POST', '/api/v1/incidents/a%00b/notes', 'id'],
    ['POST', '/api/v1/incidents/INC/evidence/%00/view', 'evidenceId'],
    ['POST', '/api/v1/ingest/a%00b', 'source'],
    ['GET', '/api/v1/incidents?q=a%00b', 'q'],
  ] as const) {
    it(`${method} ${url} → 400 naming ${field}`, async () => {
      const response = await h.call('admin', method, url.replace('INC', id), method === 'POST' ? { text: 'x', purpose: 'x' } : undefined);
      expect(response.statusCode).toBe(400);
      expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(field);
    });
  }

  it('stores nothing', async () => {
    const incident = (await h.call('admin', 'GET', `/api/v1/incidents/${id}`)).json().incident;
    expect(incident.version).toBe(1);
  });
});
