/**
 * The team's reply route for public reports (`/api/v1/incidents/{id}/reporter-thread`):
 * a responder reads the thread and replies through the authenticated API, the reporter
 * sees the reply through their private status link, an anonymous reporter's contact
 * details appear in no team-facing answer, need-to-know holds for restricted incidents,
 * bad input is a 400 naming the field, and a cookie session needs its CSRF token.
 * Real server (Fastify inject) on the test back end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

const CONTACT = 'ada.hidden-contact@example.org';
const REPORT = {
  what: 'The password reset link is accepted twice within its lifetime.',
  product: 'accounts',
  versions: '4.1',
  contact: CONTACT,
  anonymous: true,
};

let h: HttpHarness;

beforeEach(async () => {
  h = await createHttpHarness();
});

afterEach(async () => {
  await h.close();
});

async function submit(body: Record<string, unknown> = REPORT): Promise<{ id: string; token: string }> {
  const response = await h.server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: body });
  expect(response.statusCode).toBe(201);
  const { reference, token } = response.json<{ reference: string; token: string }>();
  return { id: reference, token };
}

const thread = (id: string) => `/api/v1/incidents/${id}/reporter-thread`;

describe('replying to a public reporter through the API', () => {
  it('a responder reads the thread and replies; the reporter sees it; no contact details reach the team', async () => {
    const { id, token } = await submit();
    await h.server.inject({ method: 'POST', url: `/api/v1/public/reports/status/${token}/messages`, payload: { text: 'Any news?' } });

    const before = await h.call('responder', 'GET', thread(id));
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ incidentId: id, anonymous: true, messages: [{ from: 'reporter', by: null, text: 'Any news?', at: expect.any(String) }] });

    const reply = await h.call('responder', 'POST', `${thread(id)}/messages`, { text: 'Confirmed; a fix ships in 4.1.1.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().messages.at(-1)).toMatchObject({ from: 'team', by: 'responder', text: 'Confirmed; a fix ships in 4.1.1.' });

    const status = await h.server.inject({ method: 'GET', url: `/api/v1/public/reports/status/${token}` });
    expect(status.json().messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual(['reporter: Any news?', 'team: Confirmed; a fix ships in 4.1.1.']);
    // The reporter does not learn who on the team wrote.
    expect(status.body).not.toContain('"by"');

    const timeline = await h.call('responder', 'GET', `/api/v1/incidents/${id}/timeline`);
    expect(timeline.body).toContain('Reply sent to the reporter');
    for (const body of [before.body, reply.body, timeline.body, (await h.call('responder', 'GET', `/api/v1/incidents/${id}`)).body, (await h.call('viewer', 'GET', thread(id))).body]) {
      expect(body).not.toContain(CONTACT);
    }
  });

  it('who may: viewers read, only responders and admins reply, reporters and anonymous callers neither', async () => {
    const { id } = await submit();
    expect((await h.call('viewer', 'GET', thread(id))).statusCode).toBe(200);
    expect((await h.call('viewer', 'POST', `${thread(id)}/messages`, { text: 'hi' })).statusCode).toBe(403);
    expect((await h.call('reporter', 'GET', thread(id))).statusCode).toBe(404);
    expect((await h.call('anonymous', 'GET', thread(id))).statusCode).toBe(401);
    expect((await h.call('anonymous', 'POST', `${thread(id)}/messages`, { text: 'hi' })).statusCode).toBe(401);
    expect((await h.call('admin', 'POST', `${thread(id)}/messages`, { text: 'From the admin.' })).statusCode).toBe(201);
    expect((await h.call('viewer', 'GET', thread(id))).json().messages).toHaveLength(1);
  });

  it('need-to-know: a restricted report answers 404 to responders who are not members', async () => {
    const { id } = await submit();
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/members`, { user: 'responder' })).statusCode).toBe(200);
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/restriction`, { restricted: true, reason: 'embargoed' })).statusCode).toBe(200);
    expect((await h.call('outsider', 'GET', thread(id))).statusCode).toBe(404);
    const refused = await h.call('outsider', 'POST', `${thread(id)}/messages`, { text: 'Leaking this.' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'FB_ERR_INCIDENT_NOT_FOUND' });
    expect((await h.call('responder', 'POST', `${thread(id)}/messages`, { text: 'Member reply.' })).statusCode).toBe(201);
    expect((await h.call('responder', 'GET', thread(id))).json().messages.map((m: { text: string }) => m.text)).toEqual(['Member reply.']);
  });

  it('400 naming the field for a bad reply, 404 for an incident that is not a public report; nothing stored changes', async () => {
    const { id } = await submit();
    for (const body of [{ text: '   ' }, {}, { text: 'x'.repeat(10_001) }, { text: 42 }]) {
      const response = await h.call('responder', 'POST', `${thread(id)}/messages`, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().fields?.[0]?.path ?? response.json().detail).toContain('text');
    }
    expect((await h.call('responder', 'GET', thread(id))).json().messages).toEqual([]);
    const internal = await h.report('responder');
    const notPublic = await h.call('responder', 'POST', `${thread(internal)}/messages`, { text: 'hello' });
    expect(notPublic.statusCode).toBe(404);
    expect(notPublic.json()).toMatchObject({ code: 'FB_ERR_REPORT_NOT_FOUND' });
  });

  it('a cookie session must send its CSRF token to reply', async () => {
    const { id } = await submit();
    const login = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'responder@example.org', password: 'responder-password-123' } });
    const cookie = login.cookies.find((c) => c.name === 'fb_session')!;
    const csrf = login.json().csrfToken as string;
    const send = (headers: Record<string, string>) =>
      h.server.inject({ method: 'POST', url: `${thread(id)}/messages`, cookies: { [cookie.name]: cookie.value }, headers, payload: { text: 'Thanks for the report.' } });
    expect((await send({})).statusCode).toBe(403);
    expect((await send({ 'x-csrf-token': csrf })).statusCode).toBe(201);
  });
});
