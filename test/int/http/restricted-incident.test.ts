/**
 * Need-to-know: a restricted incident leaks nowhere. For someone who is not a member
 * (and not an admin) it is absent from lists, search and counts, every direct request
 * answers exactly like an unknown id, verification and export leave it out, and no live
 * stream carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness, type SignedIn } from '../../support/http-harness.js';
import { openSse } from '../../support/sse-client.js';

describe('a restricted incident, seen by someone who is not a member', () => {
  let h: HttpHarness;
  let secret: string;
  let open: string;
  let base: string;

  beforeAll(async () => {
    h = await createHttpHarness({ heartbeatMs: 200 });
    base = await h.listen();
    secret = await h.report('responder', { title: 'Merger data exfiltration', summary: 'Board files copied', restricted: true });
    open = await h.report('responder', { title: 'Phishing wave' });
  });
  afterAll(async () => h.close());

  const ids = (body: { items: { incident: { id: string } }[] }) => body.items.map((v) => v.incident.id);

  it('is listed for its members and admins only, and counted for them only', async () => {
    for (const [who, sees] of [['responder', true], ['admin', true], ['outsider', false], ['viewer', false], ['reporter', false]] as [SignedIn, boolean][]) {
      const list = (await h.call(who, 'GET', '/api/v1/incidents')).json();
      expect(ids(list).includes(secret), who).toBe(sees);
      expect(list.total, who).toBe(list.items.length);
    }
    const outsider = (await h.call('outsider', 'GET', '/api/v1/incidents')).json();
    expect(ids(outsider)).toEqual([open]);
    expect(outsider.total).toBe(1);
  });

  it('is not found by search, by filters or by paging', async () => {
    for (const q of ['merger', 'Board', secret]) {
      const body = (await h.call('outsider', 'GET', `/api/v1/incidents?q=${encodeURIComponent(q)}`)).json();
      expect(body).toMatchObject({ items: [], total: 0, nextCursor: null });
      expect((await h.call('responder', 'GET', `/api/v1/incidents?q=${encodeURIComponent(q)}`)).json().total).toBe(1);
    }
    const filtered = (await h.call('outsider', 'GET', '/api/v1/incidents?status=investigating&kind=event&limit=1')).json();
    expect(filtered.total).toBe(1);
    expect(ids(filtered)).toEqual([open]);
    expect(filtered.nextCursor).toBeNull();
  });

  it('answers every direct request exactly as an unknown incident does', async () => {
    const paths = ['', '/timeline', '/clocks', '/sitreps/draft', '/verify', '/export'];
    for (const path of paths) {
      const hidden = await h.call('outsider', 'GET', `/api/v1/incidents/${secret}${path}`);
      const unknown = await h.call('outsider', 'GET', `/api/v1/incidents/INC-2099-9999${path}`);
      expect(hidden.statusCode, path).toBe(404);
      expect(hidden.json().detail.replace(secret, 'X'), path).toBe(unknown.json().detail.replace('INC-2099-9999', 'X'));
      expect(hidden.json().code).toBe('FB_ERR_INCIDENT_NOT_FOUND');
    }
    for (const [method, path, body] of [
      ['POST', '/notes', { text: 'sneaky' }],
      ['POST', '/ack', {}],
      ['POST', '/members', { user: 'outsider' }],
      ['POST', '/restriction', { restricted: false, reason: 'let me in' }],
    ] as const) {
      expect((await h.call('outsider', method, `/api/v1/incidents/${secret}${path}`, body)).statusCode, path).toBe(404);
    }
    const version = (await h.call('responder', 'GET', `/api/v1/incidents/${secret}`)).json().incident.version;
    expect(version).toBe(1);
  });

  it('is left out of verification of all incidents', async () => {
    const mine = (await h.call('outsider', 'GET', '/api/v1/verify')).json();
    expect(mine.items.map((v: { incidentId: string }) => v.incidentId)).toEqual([open]);
    const admin = (await h.call('admin', 'GET', '/api/v1/verify')).json();
    expect(admin.items.map((v: { incidentId: string }) => v.incidentId).sort()).toEqual([open, secret].sort());
  });

  it('never appears in a live stream of a non-member, and the per-incident stream is 404', async () => {
    const hiddenStream = await fetch(`${base}/api/v1/incidents/${secret}/stream`, { headers: { authorization: `Bearer ${h.tokens.outsider}` } });
    expect(hiddenStream.status).toBe(404);
    await hiddenStream.text();

    const outsider = await openSse(`${base}/api/v1/stream`, h.tokens.outsider);
    const member = await openSse(`${base}/api/v1/stream`, h.tokens.responder);
    const one = await openSse(`${base}/api/v1/incidents/${secret}/stream`, h.tokens.responder);
    await Promise.all([outsider.waitForComment('connected'), member.waitForComment('connected'), one.waitForComment('connected')]);

    expect((await h.call('responder', 'POST', `/api/v1/incidents/${secret}/notes`, { text: 'exfil via SFTP' })).statusCode).toBe(200);
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${open}/notes`, { text: 'blocked sender' })).statusCode).toBe(200);

    const forMember = await member.waitFor((m) => (m.data as { incidentId: string }).incidentId === secret, 'the restricted note');
    expect(forMember.event).toBe('incident');
    expect(forMember.data).toMatchObject({ incidentId: secret, events: [{ type: 'note_added', summary: expect.any(String), actor: 'responder' }] });
    await one.waitFor((m) => (m.data as { incidentId: string }).incidentId === secret, 'the note on the per-incident stream');
    await outsider.waitFor((m) => (m.data as { incidentId: string }).incidentId === open, 'the open note');
    // Messages are delivered in publication order: the restricted one came first, to nobody outside.
    expect(outsider.messages.map((m) => (m.data as { incidentId: string }).incidentId)).toEqual([open]);
    expect(one.messages.every((m) => (m.data as { incidentId: string }).incidentId === secret)).toBe(true);
    await outsider.waitForComment('heartbeat');
    for (const s of [outsider, member, one]) s.close();
  });

  it('disappears for a member who is removed, live streams included', async () => {
    const id = await h.report('admin', { title: 'Insider case', restricted: true });
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/members`, { user: 'viewer' })).statusCode).toBe(200);
    expect((await h.call('viewer', 'GET', `/api/v1/incidents/${id}`)).statusCode).toBe(200);
    const viewer = await openSse(`${base}/api/v1/stream`, h.tokens.viewer);
    await viewer.waitForComment('connected');
    expect((await h.call('admin', 'DELETE', `/api/v1/incidents/${id}/members/viewer`)).statusCode).toBe(200);
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'after removal' })).statusCode).toBe(200);
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${open}/notes`, { text: 'marker' })).statusCode).toBe(200);
    await viewer.waitFor((m) => (m.data as { incidentId: string }).incidentId === open, 'the marker');
    expect(viewer.messages.some((m) => (m.data as { incidentId: string }).incidentId === id)).toBe(false);
    expect((await h.call('viewer', 'GET', `/api/v1/incidents/${id}`)).statusCode).toBe(404);
    viewer.close();
  });

  it('records the hidden requests in the audit log as denials', async () => {
    const entries = await h.server.firebreak.auth.audit.recent(500);
    expect(entries.some((e) => e.action === 'denied' && e.subject === secret && e.userId === h.users.outsider.id)).toBe(true);
  });
});
