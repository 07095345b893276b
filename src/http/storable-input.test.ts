/**
 * Regression (found by the OpenAPI fuzzer): a NUL character or an unpaired surrogate in a
 * path parameter, query value or JSON body field was a 500 on PostgreSQL. It is a 400
 * naming the field on both back ends, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../test/support/http-harness.js';

describe('text no back end can store', () => {
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

  for (const bad of ['a\u0000b', 'a\ud800b']) {
    const shown = JSON.stringify(bad);
    for (const [method, path, body, field] of [
      ['POST', '/api/v1/users', { email: 'new@example.org', name: bad, handle: 'newbie', role: 'viewer' }, 'name'],
      ['POST', '/api/v1/tokens', { name: bad }, 'name'],
      ['PATCH', '/api/v1/users/OUTSIDER', { name: bad }, 'name'],
      ['POST', '/api/v1/incidents/INC/action-items', { title: 'Rotate keys', owner: bad }, 'owner'],
      ['POST', '/api/v1/plans/nist-800-61r3/upkeep', { kind: 'tabletop', note: bad }, 'note'],
      ['PATCH', '/api/v1/incidents/INC/review', { rootCause: 'x', whys: ['ok', bad] }, 'whys[1]'],
      ['POST', '/api/v1/auth/login', { email: bad, password: 'whatever-password' }, 'email'],
    ] as const) {
      it(`${method} ${path} with ${shown} in ${field} → 400 naming it`, async () => {
        const url = path.replace('INC', id).replace('OUTSIDER', h.users.outsider.id);
        const response = await h.call('admin', method, url, body);
        expect(response.statusCode).toBe(400);
        expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(field);
      });
    }
  }

  it('a body nested thousands deep is a 400, not a 500 (regression)', async () => {
    for (const payload of [`${'['.repeat(5000)}${']'.repeat(5000)}`, `{"text":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`]) {
      const response = await h.server.inject({ method: 'POST', url: `/api/v1/incidents/${id}/notes`, headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/json' }, payload });
      expect(response.statusCode).toBe(400);
    }
  });

  it('a body nested deeper than any route accepts is a 400 on every route, public ones too (fuzzer, seed 325893314)', async () => {
    for (const depth of [150, 1500]) {
      const payload = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const response = await h.server.inject({ method: 'POST', url: '/api/v1/public/reports', headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().fields).toEqual([{ path: '(body)', message: expect.stringContaining('nested') }]);
    }
  });

  it('stores nothing', async () => {
    const incident = (await h.call('admin', 'GET', `/api/v1/incidents/${id}`)).json().incident;
    expect(incident.version).toBe(1);
    expect(await h.app.store.db.selectFrom('users').select('handle').where('handle', '=', 'newbie').execute()).toEqual([]);
    expect(await h.app.store.db.selectFrom('action_items').selectAll().execute()).toEqual([]);
    expect(await h.app.store.db.selectFrom('reviews').selectAll().execute()).toEqual([]);
  });
});
