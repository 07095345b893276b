/**
 * The incident routes doing their job: reporting, reading with ETag, the actor recorded
 * as the signed-in user's handle, list filters with cursor paging and totals, the
 * timeline's paging and filters, clocks at an instant, the sitrep draft, export (audited),
 * reporters seeing only their own reports, and the web app's files with SPA fallback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { openSse } from '../../support/sse-client.js';

describe('incident routes', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => h.close());

  it('reports, records the caller as actor, and serves the incident with its version as ETag', async () => {
    const created = await h.call('responder', 'POST', '/api/v1/incidents', { plan: 'nist-800-61r3', title: 'Leaked API key', summary: 'Found on a paste site', occurredAt: '2026-03-02T08:30:00Z' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const id = created.json().incident.id;
    expect(created.headers.location).toBe(`/api/v1/incidents/${id}`);
    expect(created.json()).toMatchObject({ incident: { reporter: { anonymous: false, name: 'responder' }, reportedAt: '2026-03-02T08:30:00.000Z' }, plan: { id: 'nist-800-61r3' } });
    const triaged = await h.call('admin', 'POST', `/api/v1/incidents/${id.toLowerCase()}/triage`, { decision: 'confirm', severity: 'high' });
    expect(triaged.statusCode).toBe(200);
    expect(triaged.headers.etag).toBe('"2"');
    const detail = await h.call('viewer', 'GET', `/api/v1/incidents/${id}`);
    expect(detail.headers.etag).toBe('"2"');
    expect(detail.json()).toMatchObject({ incident: { kind: 'incident', severity: 'high', version: 2 }, severityName: expect.any(String), roles: expect.any(Array), checklist: expect.any(Array) });
    const timeline = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline`)).json();
    expect(timeline.items.map((e: { actor: string; type: string }) => `${e.type}:${e.actor}`)).toEqual(['reported:responder', 'declared:admin']);
    expect(timeline.items[1].summary).toContain('admin');
  });

  it('lists with filters, cursor paging and a total that ignores paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.app.time.advance(60_000);
      ids.push(await h.report('responder', { title: `Paging probe ${i}` }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/v1/incidents?q=Paging%20probe&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await h.call('viewer', 'GET', query)).json();
      expect(page.total).toBe(5);
      seen.push(...page.items.map((v: { incident: { id: string } }) => v.incident.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    await h.call('responder', 'POST', `/api/v1/incidents/${ids[0]}/triage`, { decision: 'dismiss', reason: 'test alert' });
    const dismissed = (await h.call('viewer', 'GET', '/api/v1/incidents?status=dismissed')).json();
    expect(dismissed.items.map((v: { incident: { id: string } }) => v.incident.id)).toEqual([ids[0]]);
    const events = (await h.call('viewer', 'GET', '/api/v1/incidents?kind=event&status=investigating&q=Paging')).json();
    expect(events.total).toBe(4);
  });

  it('pages the timeline and filters it by type and actor', async () => {
    const id = await h.report('responder');
    for (let i = 0; i < 5; i++) await h.call(i % 2 ? 'admin' : 'responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: `note ${i}` });
    const first = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?limit=2`)).json();
    expect(first.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(first.nextAfter).toBe(2);
    const rest = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?after=2&limit=10`)).json();
    expect(rest.items.map((e: { seq: number }) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(rest.nextAfter).toBeNull();
    const byAdmin = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?type=note_added&actor=admin`)).json();
    expect(byAdmin.items.map((e: { data: { text: string } }) => e.data.text)).toEqual(['note 1', 'note 3']);
  });

  it('answers clocks now and at a given instant, and drafts a sitrep from the plan template', async () => {
    const id = await h.report('responder');
    await h.call('responder', 'POST', `/api/v1/incidents/${id}/triage`, { decision: 'confirm', severity: 'critical' });
    const now = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/clocks`)).json();
    expect(now.items.length).toBeGreaterThan(0);
    const later = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/clocks?at=2030-01-01T00:00:00Z`)).json();
    expect(later.items.some((c: { state: string }) => c.state === 'overdue')).toBe(true);
    const draft = (await h.call('viewer', 'GET', `/api/v1/incidents/${id}/sitreps/draft`)).json();
    expect(draft.text).toContain(id);
  });

  it('exports the whole record and audits the export', async () => {
    const id = await h.report('responder');
    const response = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/export`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${id}.json"`);
    expect(response.json()).toMatchObject({ incident: { incident: { id } }, events: [{ type: 'reported' }], verdict: { ok: true, events: 1 }, exportedBy: 'viewer' });
    const audit = await h.server.firebreak.auth.audit.recent(10);
    expect(audit.find((e) => e.action === 'export')).toMatchObject({ subject: id, userId: h.users.viewer.id });
  });

  it('shows reporters their own reports only, and lets them report only as themselves', async () => {
    const mine = await h.report('reporter', { title: 'My laptop was stolen' });
    const notMine = await h.report('responder', { title: 'Not for reporters' });
    const list = (await h.call('reporter', 'GET', '/api/v1/incidents')).json();
    expect(list.items.map((v: { incident: { id: string } }) => v.incident.id)).toEqual([mine]);
    expect(list.total).toBe(1);
    expect((await h.call('reporter', 'GET', `/api/v1/incidents/${notMine}`)).statusCode).toBe(404);
    expect((await h.call('reporter', 'GET', `/api/v1/incidents/${mine}/timeline`)).statusCode).toBe(200);
    expect((await h.call('reporter', 'POST', `/api/v1/incidents/${mine}/notes`, { text: 'more detail' })).statusCode).toBe(403);
    expect((await h.call('reporter', 'POST', '/api/v1/incidents', { plan: 'nist-800-61r3', title: 'x', reporter: 'someone-else' })).statusCode).toBe(403);
    expect((await h.call('reporter', 'POST', '/api/v1/incidents', { plan: 'nist-800-61r3', title: 'x', anonymous: true })).statusCode).toBe(403);
  });

  it('makes whoever opens a restricted incident on behalf of someone else a member of it', async () => {
    const id = await h.report('outsider', { title: 'War room', reporter: 'someone', restricted: true });
    const view = (await h.call('outsider', 'GET', `/api/v1/incidents/${id}`)).json();
    expect(view.incident.members).toEqual(['outsider']);
    expect((await h.call('responder', 'GET', `/api/v1/incidents/${id}`)).statusCode).toBe(404);
  });
});

describe('live stream credentials', () => {
  it('a stream ends as soon as its token is revoked', async () => {
    const h = await createHttpHarness({ heartbeatMs: 100 });
    try {
      const base = await h.listen();
      const { token, secret } = (await h.call('viewer', 'POST', '/api/v1/tokens', { name: 'dashboard' })).json();
      const stream = await openSse(`${base}/api/v1/stream`, secret);
      await stream.waitForComment('connected');
      const id = await h.report('responder');
      await stream.waitFor((m) => (m.data as { incidentId: string }).incidentId === id, 'the report');
      expect((await h.call('viewer', 'DELETE', `/api/v1/tokens/${token.id}`)).statusCode).toBe(200);
      await stream.ended;
      const after = await h.report('responder');
      expect(stream.messages.some((m) => (m.data as { incidentId: string }).incidentId === after)).toBe(false);
      expect(h.server.streamHub.size).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('the web app', () => {
  it('is served from web/dist when it exists, with index.html for client-side routes; /api stays problem+json', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'firebreak-web-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Firebreak app</title>');
    writeFileSync(join(dist, 'app.js'), 'console.log(1)');
    const h = await createHttpHarness({ webDist: dist });
    try {
      expect((await h.call('anonymous', 'GET', '/')).body).toContain('Firebreak app');
      expect((await h.call('anonymous', 'GET', '/app.js')).body).toBe('console.log(1)');
      const deep = await h.call('anonymous', 'GET', '/incidents/INC-2026-0001');
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('Firebreak app');
      const api = await h.call('anonymous', 'GET', '/api/v1/nothing');
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
    } finally {
      await h.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('serves the placeholder page when web/dist does not exist', async () => {
    const h = await createHttpHarness({ webDist: null });
    try {
      const page = await h.call('anonymous', 'GET', '/');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('/api/docs');
    } finally {
      await h.close();
    }
  });
});
