/**
 * Optimistic concurrency over HTTP: two responders act on the same version at once;
 * exactly one wins, the other is told the incident changed (409), and after reloading
 * their retry lands. Nothing is lost or overwritten. Also `Idempotency-Key`: a retried
 * POST creates one event, however often it is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

describe('two clients with the same If-Match', () => {
  let h: HttpHarness;
  let base: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
  });
  afterAll(async () => h.close());

  const post = (token: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('lets exactly one win; the other gets 409 and loses nothing by retrying', async () => {
    const id = await h.report('responder');
    const detail = await h.call('responder', 'GET', `/api/v1/incidents/${id}`);
    const etag = detail.headers.etag as string;
    expect(etag).toBe('"1"');

    const [a, b] = await Promise.all([
      post(h.tokens.responder, `/api/v1/incidents/${id}/notes`, { text: 'from Alice' }, { 'if-match': etag }),
      post(h.tokens.admin, `/api/v1/incidents/${id}/notes`, { text: 'from Bob' }, { 'if-match': etag }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const problem = await loser.json();
    expect(problem).toMatchObject({ status: 409, code: 'FB_ERR_INCIDENT_STALE_VERSION' });
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    const winner = a.status === 200 ? a : b;
    expect(winner.headers.get('etag')).toBe('"2"');

    const retry = await post(loser === a ? h.tokens.responder : h.tokens.admin, `/api/v1/incidents/${id}/notes`, { text: loser === a ? 'from Alice' : 'from Bob' }, { 'if-match': '"2"' });
    expect(retry.status).toBe(200);
    const timeline = (await h.call('admin', 'GET', `/api/v1/incidents/${id}/timeline?type=note_added`)).json();
    expect(timeline.items.map((e: { data: { text: string } }) => e.data.text).sort()).toEqual(['from Alice', 'from Bob']);
  });

  it('many writers at once without If-Match all land, in one unbroken chain', async () => {
    const id = await h.report('responder');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(h.tokens.responder, `/api/v1/incidents/${id}/notes`, { text: `note ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const verdict = (await h.call('admin', 'GET', `/api/v1/incidents/${id}/verify`)).json();
    expect(verdict.items[0]).toMatchObject({ ok: true, events: 9 });
  });

  it('accepts W/"n", bare n and * in If-Match, and names the header when it is garbage', async () => {
    const id = await h.report('responder');
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${id}/ack`, {}, { 'if-match': 'W/"1"' })).statusCode).toBe(200);
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'x' }, { 'if-match': '2' })).statusCode).toBe(200);
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'y' }, { 'if-match': '*' })).statusCode).toBe(200);
    const bad = await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'z' }, { 'if-match': 'yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([{ path: 'If-Match', message: expect.stringContaining('is not a version') }]);
  });
});

describe('Idempotency-Key', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => h.close());

  it('the same command POSTed twice with one key creates one event and answers the same', async () => {
    const id = await h.report('responder');
    const headers = { 'idempotency-key': 'note-7f3a' };
    const first = await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'contained' }, headers);
    const second = await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'contained' }, headers);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.json()).toEqual(first.json());
    const notes = (await h.call('responder', 'GET', `/api/v1/incidents/${id}/timeline?type=note_added`)).json();
    expect(notes.items).toHaveLength(1);
  });

  it('the same report POSTed twice with one key creates one incident', async () => {
    const body = { plan: 'nist-800-61r3', title: 'Laptop stolen' };
    const headers = { 'idempotency-key': 'report-1' };
    const first = await h.call('reporter', 'POST', '/api/v1/incidents', body, headers);
    const second = await h.call('reporter', 'POST', '/api/v1/incidents', body, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().incident.id).toBe(first.json().incident.id);
    expect(second.headers.location).toBe(first.headers.location);
    const mine = (await h.call('reporter', 'GET', '/api/v1/incidents?q=Laptop')).json();
    expect(mine.total).toBe(1);
  });

  it('replays a refusal too, and refuses the key with a different body (422) without running it', async () => {
    const id = await h.report('responder');
    const headers = { 'idempotency-key': 'sev-1' };
    const first = await h.call('responder', 'POST', `/api/v1/incidents/${id}/severity`, { severity: 'high', reason: 'r' }, headers);
    expect(first.statusCode).toBe(409); // still an event: not yet triaged
    const again = await h.call('responder', 'POST', `/api/v1/incidents/${id}/severity`, { severity: 'high', reason: 'r' }, headers);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await h.call('responder', 'POST', `/api/v1/incidents/${id}/severity`, { severity: 'low', reason: 'r' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'FB_ERR_IDEMPOTENCY_KEY_REUSED', fields: [{ path: 'Idempotency-Key' }] });
  });

  it('keys are per user: another user with the same key runs their own request', async () => {
    const id = await h.report('responder');
    const headers = { 'idempotency-key': 'shared' };
    await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'one' }, headers);
    const other = await h.call('admin', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'one' }, headers);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    const notes = (await h.call('responder', 'GET', `/api/v1/incidents/${id}/timeline?type=note_added`)).json();
    expect(notes.items.map((e: { actor: string }) => e.actor)).toEqual(['responder', 'admin']);
  });

  it('two identical requests racing with one key run once', async () => {
    const id = await h.report('responder');
    const headers = { 'idempotency-key': 'race' };
    const results = await Promise.all([1, 2, 3].map(() => h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'race' }, headers)));
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    const notes = (await h.call('responder', 'GET', `/api/v1/incidents/${id}/timeline?type=note_added`)).json();
    expect(notes.items).toHaveLength(1);
  });
});
