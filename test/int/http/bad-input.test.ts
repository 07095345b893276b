/**
 * Bad input never gets a 5xx and never changes anything: every malformed request is a
 * 4xx problem+json that names the offending field, and the incident is at the same
 * version afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

describe('bad input', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder');
  });
  afterAll(async () => h.close());

  const version = async () => (await h.call('admin', 'GET', `/api/v1/incidents/${id}`)).json().incident.version as number;

  const cases: [string, string, string, unknown, string][] = [
    ['triage without severity', 'POST', '/triage', { decision: 'confirm' }, 'severity'],
    ['triage with an unknown decision', 'POST', '/triage', { decision: 'maybe' }, 'decision'],
    ['triage with a severity the plan lacks', 'POST', '/triage', { decision: 'confirm', severity: 'apocalyptic' }, 'severity'],
    ['dismiss with a blank reason', 'POST', '/triage', { decision: 'dismiss', reason: '   ' }, 'reason'],
    ['severity as a number', 'POST', '/severity', { severity: 3, reason: 'x' }, 'severity'],
    ['note without text', 'POST', '/notes', {}, 'text'],
    ['note with an empty text', 'POST', '/notes', { text: '' }, 'text'],
    ['note with a text that is too long', 'POST', '/notes', { text: 'x'.repeat(100_001) }, 'text'],
    ['phase forced without a reason', 'POST', '/phase', { phase: 'contain', force: {} }, 'force.reason'],
    ['a phase the plan lacks', 'POST', '/phase', { phase: 'party' }, 'phase'],
    ['a role the plan lacks', 'POST', '/roles/wizard/assign', { to: 'responder' }, 'role'],
    ['a checklist item the plan lacks', 'POST', '/checklist/nope/complete', {}, 'item'],
    ['occurredAt that is not a date', 'POST', '/notes', { text: 'x', occurredAt: 'yesterday' }, 'occurredAt'],
    ['occurredAt in the future', 'POST', '/notes', { text: 'x', occurredAt: '2099-01-01T00:00:00Z' }, 'occurredAt'],
    ['restriction without a boolean', 'POST', '/restriction', { restricted: 'yes', reason: 'x' }, 'restricted'],
    ['a flag with spaces', 'POST', '/flags', { flag: 'personal data' }, 'flag'],
    ['body that is an array', 'POST', '/notes', [1, 2], 'body'],
  ];

  for (const [what, method, path, body, field] of cases) {
    it(`${what} → 400 naming ${field}, nothing stored`, async () => {
      const before = await version();
      const response = await h.call('responder', method, `/api/v1/incidents/${id}${path}`, body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem).toMatchObject({ status: 400, title: 'Bad request', type: expect.stringContaining(problem.code) });
      expect(problem.code).toMatch(/^FB_ERR_/);
      expect(problem.fields.map((f: { path: string }) => f.path)).toContain(field);
      expect(await version()).toBe(before);
    });
  }

  it('bad query parameters name the parameter', async () => {
    for (const [url, field] of [
      ['/api/v1/incidents?limit=0', 'limit'],
      ['/api/v1/incidents?limit=lots', 'limit'],
      ['/api/v1/incidents?status=on-fire', 'status'],
      ['/api/v1/incidents?kind=crisis', 'kind'],
      ['/api/v1/incidents?cursor=garbage', 'cursor'],
      [`/api/v1/incidents/${id}/timeline?type=gossip`, 'type'],
      [`/api/v1/incidents/${id}/timeline?after=-1`, 'after'],
      [`/api/v1/incidents/${id}/clocks?at=noon`, 'at'],
    ] as const) {
      const response = await h.call('viewer', 'GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().fields.map((f: { path: string }) => f.path), url).toContain(field);
    }
  });

  it('a report for an unknown plan is 404 and creates nothing', async () => {
    const before = (await h.call('admin', 'GET', '/api/v1/incidents')).json().total;
    const response = await h.call('responder', 'POST', '/api/v1/incidents', { plan: 'no-such-plan', title: 'x' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('FB_ERR_PLAN_NOT_FOUND');
    const missingTitle = await h.call('responder', 'POST', '/api/v1/incidents', { plan: 'nist-800-61r3' });
    expect(missingTitle.statusCode).toBe(400);
    expect(missingTitle.json().fields[0].path).toBe('title');
    expect((await h.call('admin', 'GET', '/api/v1/incidents')).json().total).toBe(before);
  });

  it('malformed JSON is 400, another media type 415, an oversized body 413, an unknown route 404', async () => {
    const url = `/api/v1/incidents/${id}/notes`;
    const auth = { authorization: `Bearer ${h.tokens.responder}` };
    const malformed = await h.server.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"text": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().fields).toEqual([{ path: 'body', message: 'is not valid JSON' }]);
    const xml = await h.server.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/xml' }, payload: '<note/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('FB_ERR_HTTP_UNSUPPORTED_MEDIA');
    const huge = await h.server.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'x'.repeat(2_000_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('FB_ERR_HTTP_TOO_LARGE');
    const unknown = await h.call('responder', 'GET', '/api/v1/incidnets');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'FB_ERR_HTTP_NOT_FOUND', status: 404 });
    const wrongMethod = await h.call('responder', 'PUT', `/api/v1/incidents/${id}`, {});
    expect(wrongMethod.statusCode).toBe(404);
  });

  it('commands that need no body accept none at all', async () => {
    const fresh = await h.report('responder');
    const response = await h.server.inject({ method: 'POST', url: `/api/v1/incidents/${fresh}/ack`, headers: { authorization: `Bearer ${h.tokens.responder}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json().incident.acknowledgedBy).toBe('responder');
  });
});
