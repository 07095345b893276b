/**
 * The signed-in advisory API over real HTTP with two people: draft → submit → approve (by
 * the second person) → publish → export, and the refusals around it: self-approval, a
 * publish with fields missing, a bad CVSS vector, a stale If-Match, an advisory of a
 * restricted incident asked for by a non-member. The publish is also seen live on the
 * incident's event stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { openSse } from '../../support/sse-client.js';

const complete = {
  title: 'Stored XSS in the profile bio',
  summary: 'The profile page rendered the bio field without escaping it.',
  impact: 'An attacker can run script in the browser of anyone who views their profile.',
  cwes: [{ id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" }],
  cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N',
  cve: 'CVE-2026-40001',
  packages: [{ ecosystem: 'npm', name: 'profile-widget', introduced: '2.0.0', fixed: '2.3.1' }],
  resolution: 'Upgrade profile-widget to 2.3.1 or later.',
};

interface View {
  id: string;
  incidentId: string;
  status: string;
  version: number;
  content: Record<string, unknown>;
  author: string;
  approvals: { by: string }[];
  revisions: { number: number; publishedAt: string; summary: string }[];
  missingForPublish: { field: string; problem: string }[];
  cvss: { version: string; baseScore: number; severity: string }[];
  timeline: { label: string }[];
}

describe('advisory API', () => {
  let h: HttpHarness;
  let base: string;
  let incident: string;

  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
    incident = await h.report('responder', { title: 'XSS reported in the profile page' });
  });
  afterAll(async () => h.close());

  async function draft(content: Record<string, unknown> = complete, who: 'responder' | 'admin' = 'responder'): Promise<View> {
    const response = await h.call(who, 'POST', `/api/v1/incidents/${incident}/advisories`, content);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<View>();
  }

  it('runs the whole lifecycle with two people and serves every export', async () => {
    const drafted = await h.call('responder', 'POST', `/api/v1/incidents/${incident}/advisories`, complete);
    expect(drafted.statusCode, drafted.body).toBe(201);
    const view = drafted.json<View>();
    expect(drafted.headers['location']).toBe(`/api/v1/advisories/${view.id}`);
    expect(drafted.headers['etag']).toBe('"1"');
    expect(view).toMatchObject({ incidentId: incident, status: 'draft', version: 1, author: 'responder', missingForPublish: [], revisions: [] });
    expect(view.cvss).toEqual([{ vector: complete.cvssV3, version: '3.1', baseScore: 5.4, severity: 'medium' }]);
    expect(view.timeline.map((t) => t.label)).toContain('Reported');

    const submitted = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`, { note: 'ready' });
    expect(submitted.json<View>().status).toBe('in_review');

    const self = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect(self.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_SELF_APPROVAL', detail: expect.stringContaining('a second person must') });

    const approved = await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/approve`, { note: 'looks right' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<View>()).toMatchObject({ status: 'approved', approvals: [{ by: 'admin', note: 'looks right' }] });

    const published = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<View>()).toMatchObject({ status: 'published', revisions: [{ number: 1, summary: 'Initial public release' }] });

    const listed = await h.call('viewer', 'GET', `/api/v1/advisories?incident=${incident}&status=published`);
    expect(listed.json<{ advisories: { id: string; status: string; severity: string }[] }>().advisories).toEqual([
      expect.objectContaining({ id: view.id, status: 'published', severity: 'medium', title: complete.title }),
    ]);

    const types: Record<string, string> = { md: 'text/markdown', osv: 'application/json', csaf: 'application/json', 'csaf-vex': 'application/json', ghsa: 'application/json' };
    for (const [format, type] of Object.entries(types)) {
      const exported = await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}/export?format=${format}`);
      expect(exported.statusCode, `${format}: ${exported.body}`).toBe(200);
      expect(exported.headers['content-type']).toContain(type);
      if (format === 'md') expect(exported.body).toContain(complete.title);
      else expect(JSON.stringify(JSON.parse(exported.body))).toContain('CVE-2026-40001');
    }
    const osv = JSON.parse((await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}/export?format=osv`)).body) as { id: string };
    expect(osv.id).toContain(view.id);

    const events = await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}/events`);
    expect(events.json<{ events: { type: string; actor: string }[] }>().events.map((e) => [e.type, e.actor])).toEqual([
      ['drafted', 'responder'],
      ['submitted', 'responder'],
      ['approved', 'admin'],
      ['published', 'responder'],
    ]);
    const verdict = await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}/verify`);
    expect(verdict.json()).toMatchObject({ ok: true, events: 4 });
    const timeline = await h.call('viewer', 'GET', `/api/v1/incidents/${incident}/timeline`);
    expect(timeline.json<{ items: { type: string }[] }>().items.map((e) => e.type).filter((t) => t.startsWith('advisory_'))).toEqual(['advisory_drafted', 'advisory_published']);
  });

  it('keeps every revision, so revision 2 can be compared with revision 1', async () => {
    const view = await draft();
    for (const [who, step] of [['responder', 'submit'], ['admin', 'approve'], ['responder', 'publish']] as const) {
      expect((await h.call(who, 'POST', `/api/v1/advisories/${view.id}/${step}`, {})).statusCode).toBe(200);
    }
    const edited = await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { resolution: 'Upgrade to 2.3.2; 2.3.1 missed one template.' } });
    expect(edited.json<View>()).toMatchObject({ status: 'draft', content: { resolution: 'Upgrade to 2.3.2; 2.3.1 missed one template.' } });
    for (const [who, step, body] of [['responder', 'submit', {}], ['admin', 'approve', {}], ['responder', 'publish', { summary: 'Corrected the fixed version' }]] as const) {
      expect((await h.call(who, 'POST', `/api/v1/advisories/${view.id}/${step}`, body)).statusCode).toBe(200);
    }
    const revisions = (await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}/revisions`)).json<{ revisions: { number: number; summary: string; document: { content: { resolution: string } } }[] }>().revisions;
    expect(revisions.map((r) => [r.number, r.summary, r.document.content.resolution])).toEqual([
      [1, 'Initial public release', complete.resolution],
      [2, 'Corrected the fixed version', 'Upgrade to 2.3.2; 2.3.1 missed one template.'],
    ]);
    expect((await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}`)).json<View>().status).toBe('updated');
  });

  it('refuses to publish an incomplete advisory and lists the missing fields', async () => {
    const view = await draft({ title: 'Only a title so far', cve: 'reserved' });
    expect(view.missingForPublish.map((m) => m.field)).toEqual(['summary', 'impact', 'cvss', 'cwes', 'cve', 'packages', 'resolution']);
    expect(view.missingForPublish.find((m) => m.field === 'cve')?.problem).toContain('reserved');
    await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`);
    await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/approve`);
    const refused = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/publish`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_INCOMPLETE' });
    expect(refused.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toEqual(['summary', 'impact', 'cvss', 'cwes', 'cve', 'packages', 'resolution']);
    expect((await h.call('responder', 'GET', `/api/v1/advisories/${view.id}`)).json<View>()).toMatchObject({ status: 'approved', version: 3 });
  });

  it('scores CVSS vectors and names the bad metric of a wrong one', async () => {
    const ok = await h.call('viewer', 'POST', '/api/v1/cvss/score', { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' });
    expect(ok.json()).toMatchObject({ version: '4.0', baseScore: 9.3, severity: 'critical', metrics: { AV: 'N', VC: 'H', SA: 'N' } });
    const v3 = await h.call('viewer', 'POST', '/api/v1/cvss/score', { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    expect(v3.json()).toMatchObject({ version: '3.1', baseScore: 9.8, severity: 'critical' });
    const bad = await h.call('viewer', 'POST', '/api/v1/cvss/score', { vector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_CVSS_INVALID', fields: [{ path: 'vector', message: expect.stringContaining('metric AV') }] });
    const missing = await h.call('viewer', 'POST', '/api/v1/cvss/score', { vector: 'CVSS:3.1/AV:N/AC:L' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ detail: string }>().detail).toContain('PR');
    const inDraft = await h.call('responder', 'POST', `/api/v1/incidents/${incident}/advisories`, { ...complete, cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H' });
    expect(inDraft.statusCode).toBe(400);
    expect(inDraft.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_CVSS_INVALID', fields: [{ path: 'cvssV3', message: expect.stringContaining('metric S') }] });
  });

  it('refuses a stale If-Match with 409 and changes nothing', async () => {
    const view = await draft();
    const first = await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { impact: 'Script runs in the viewer’s session.' } }, { 'if-match': '"1"' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['etag']).toBe('"2"');
    const stale = await h.call('admin', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { impact: 'Something else' } }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_STALE_VERSION' });
    const staleSubmit = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`, {}, { 'if-match': '"1"' });
    expect(staleSubmit.statusCode).toBe(409);
    const now = await h.call('responder', 'GET', `/api/v1/advisories/${view.id}`);
    expect(now.headers['etag']).toBe('"2"');
    expect(now.json<View>()).toMatchObject({ version: 2, status: 'draft', content: { impact: 'Script runs in the viewer’s session.' } });
  });

  it('rejects bad input naming the field, and an unknown advisory is 404', async () => {
    const view = await draft();
    const unknownField = await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { colour: 'red' } });
    expect(unknownField.statusCode).toBe(400);
    const badPackage = await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { packages: [{ ecosystem: 'npm', name: 'x', introduced: 'one', fixed: '2.0.0' }] } });
    expect(badPackage.statusCode).toBe(400);
    expect(badPackage.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toContain('packages.0.introduced');
    const badSchedule = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/schedule`, { releaseAt: 'next week' });
    expect(badSchedule.statusCode).toBe(400);
    expect(badSchedule.json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('releaseAt');
    const noReason = await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/request-changes`, {});
    expect(noReason.statusCode).toBe(400);
    const badFormat = await h.call('responder', 'GET', `/api/v1/advisories/${view.id}/export?format=pdf`);
    expect(badFormat.statusCode).toBe(400);
    expect((await h.call('responder', 'GET', '/api/v1/advisories/NOPE-1')).statusCode).toBe(404);
    expect((await h.call('responder', 'GET', `/api/v1/advisories/${view.id}`)).json<View>().version).toBe(1);
  });

  it('hides the advisories of a restricted incident from non-members (404), and shows them to members', async () => {
    const secret = await h.report('responder', { title: 'Embargoed RCE', restricted: true });
    const response = await h.call('responder', 'POST', `/api/v1/incidents/${secret}/advisories`, complete);
    expect(response.statusCode).toBe(201);
    const hidden = response.json<View>().id;
    for (const [method, path, body] of [
      ['GET', `/api/v1/advisories/${hidden}`, undefined],
      ['PATCH', `/api/v1/advisories/${hidden}`, { changes: { title: 'peek' } }],
      ['POST', `/api/v1/advisories/${hidden}/submit`, {}],
      ['GET', `/api/v1/advisories/${hidden}/export?format=osv`, undefined],
      ['GET', `/api/v1/advisories/${hidden}/revisions`, undefined],
      ['GET', `/api/v1/advisories/${hidden}/events`, undefined],
      ['POST', `/api/v1/incidents/${secret}/advisories`, complete],
    ] as const) {
      const answer = await h.call('outsider', method, path, body);
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
    }
    const outsiderList = (await h.call('outsider', 'GET', '/api/v1/advisories')).json<{ advisories: { id: string }[] }>().advisories;
    expect(outsiderList.map((a) => a.id)).not.toContain(hidden);
    expect((await h.call('responder', 'GET', '/api/v1/advisories')).json<{ advisories: { id: string }[] }>().advisories.map((a) => a.id)).toContain(hidden);
    expect((await h.call('admin', 'GET', `/api/v1/advisories/${hidden}`)).statusCode).toBe(200);
    expect((await h.call('outsider', 'GET', `/api/v1/advisories/${hidden}`)).json()).toMatchObject({ code: 'FB_ERR_ADVISORY_NOT_FOUND' });
    expect((await h.call('viewer', 'PATCH', `/api/v1/advisories/${(await draft()).id}`, { changes: { title: 'x' } })).statusCode).toBe(403);
    expect((await h.call('reporter', 'GET', '/api/v1/advisories')).statusCode).toBe(403);
  });

  it('keeps the VEX register and exports it as CSAF VEX and OpenVEX', async () => {
    const bad = await h.call('responder', 'POST', '/api/v1/vex', { product: 'profile-widget', version: '2.2.0', vulnerability: 'CVE-2026-40001', status: 'not_affected' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toEqual(['justification']);
    const ok = await h.call('responder', 'POST', '/api/v1/vex', { product: 'profile-widget', version: '2.2.0', vulnerability: 'CVE-2026-40001', status: 'affected', actionStatement: 'Upgrade to 2.3.1.' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'affected', actor: 'responder' });
    expect((await h.call('viewer', 'POST', '/api/v1/vex', { product: 'a', version: '1', vulnerability: 'CVE-2026-1111', status: 'fixed' })).statusCode).toBe(403);
    const register = (await h.call('viewer', 'GET', '/api/v1/vex')).json<{ statements: { product: string }[] }>().statements;
    expect(register.map((s) => s.product)).toEqual(['profile-widget']);
    for (const format of ['csaf', 'openvex']) {
      const exported = await h.call('viewer', 'GET', `/api/v1/vex/export?format=${format}`);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toContain('application/json');
      expect(exported.body).toContain('CVE-2026-40001');
    }
  });

  it('schedules behind an embargo: scheduled until the date, published after it, with no job in between', async () => {
    const view = await draft();
    await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`);
    await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/approve`);
    const past = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/schedule`, { releaseAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('releaseAt');
    const releaseAt = new Date(h.app.time.now().getTime() + 86_400_000).toISOString();
    const scheduled = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/schedule`, { releaseAt, summary: 'Coordinated release' });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json<View>()).toMatchObject({ status: 'scheduled', revisions: [{ number: 1, publishedAt: releaseAt, embargoed: true }] });
    expect((await h.call('anonymous', 'GET', `/advisories/${view.id}.osv.json`)).statusCode).toBe(404);
    const edit = await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { title: 'Renamed under embargo' } });
    expect(edit.statusCode).toBe(409);
    h.app.time.advance(86_400_000 + 1000);
    expect((await h.call('viewer', 'GET', `/api/v1/advisories/${view.id}`)).json<View>()).toMatchObject({ status: 'published', revisions: [{ number: 1, embargoed: false }] });
    expect((await h.call('anonymous', 'GET', `/advisories/${view.id}.osv.json`)).statusCode).toBe(200);
  });

  it('refuses commands out of order (409) and malformed bodies (400) without changing anything', async () => {
    const view = await draft();
    const early = await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/publish`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_ILLEGAL_TRANSITION' });
    expect((await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/approve`)).json()).toMatchObject({ code: 'FB_ERR_ADVISORY_ILLEGAL_TRANSITION' });
    expect((await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`, { note: 1 })).statusCode).toBe(400);
    expect((await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`, { extra: true })).statusCode).toBe(400);
    expect((await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: {} })).statusCode).toBe(400);
    expect((await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { cve: 'CVE-12' } })).json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('changes.cve');
    expect((await h.call('responder', 'PATCH', `/api/v1/advisories/${view.id}`, { changes: { title: 'x' } }, { 'if-match': 'yesterday' })).statusCode).toBe(400);
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${incident}/advisories`, { summary: 'no title' })).json<{ fields: { path: string }[] }>().fields[0]?.path).toBe('title');
    expect((await h.call('responder', 'POST', '/api/v1/cvss/score', {})).statusCode).toBe(400);
    expect((await h.call('responder', 'POST', '/api/v1/vex', { product: 'x', version: '1', vulnerability: 'CVE-2026-1', status: 'fixed', colour: 'red' })).statusCode).toBe(400);
    expect((await h.call('responder', 'GET', '/api/v1/vex/export?format=spdx')).statusCode).toBe(400);
    expect((await h.call('responder', 'GET', '/api/v1/advisories?status=lost')).statusCode).toBe(400);
    const after = (await h.call('responder', 'GET', `/api/v1/advisories/${view.id}`)).json<View>();
    expect(after).toMatchObject({ version: 1, status: 'draft', content: { title: complete.title } });
  });

  it('shows a publish live on the incident stream', async () => {
    const view = await draft();
    await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/submit`);
    await h.call('admin', 'POST', `/api/v1/advisories/${view.id}/approve`);
    const stream = await openSse(`${base}/api/v1/incidents/${incident}/stream`, h.tokens.viewer);
    try {
      await stream.waitForComment('connected');
      expect((await h.call('responder', 'POST', `/api/v1/advisories/${view.id}/publish`)).statusCode).toBe(200);
      const message = await stream.waitFor((m) => JSON.stringify(m.data).includes('advisory_published'), 'the advisory_published event');
      expect(message.event).toBe('incident');
      expect(message.data).toMatchObject({ incidentId: incident, events: [{ type: 'advisory_published', data: { advisoryId: view.id, revision: 1 } }] });
    } finally {
      stream.close();
    }
  });
});
