/**
 * The public report flow through the real HTTP server (Fastify inject, real SQLite):
 * the no-JavaScript form, the anonymous report whose contact details reach no
 * team-facing read (nor the database file), the reporter's status link showing
 * acknowledgement and the thread, anti-abuse refusals, and security.txt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presentIncident } from '../../src/app/incident-view.js';
import { deriveClocks } from '../../src/domain/clocks/clocks.js';
import { describeEvent } from '../../src/domain/incident/describe.js';
import { buildServer } from '../../src/http/server.js';
import { createTestApp, minutes, T0, type TestApp } from '../support/test-app.js';

const CONTACT = 'ada.secret-contact@example.org';

let app: TestApp;
let server: FastifyInstance;

async function start(limits?: { submit?: { max: number; timeWindow: string }; read?: { max: number; timeWindow: string } }) {
  server = await buildServer({
    app,
    logger: false,
    publicReports: {
      plan: 'iso27001-library',
      env: { FIREBREAK_PUBLIC_URL: 'https://security.example.org', FIREBREAK_SECURITY_CONTACT: 'security@example.org', FIREBREAK_SECURITY_POLICY_URL: 'https://example.org/security-policy' },
      ...(limits ? { limits } : {}),
    },
  });
}

beforeEach(async () => {
  app = await createTestApp();
});

afterEach(async () => {
  await server.close();
  await app.close();
});

function form(fields: Record<string, string>) {
  return server.inject({ method: 'POST', url: '/report', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
}

const REPORT = {
  what: 'The OPAQUE envelope recovery compares MACs with a non-constant-time comparison.',
  product: 'opaque-core',
  versions: '2.3.0 – 2.4.0',
  reproduction: '1. Register a user\n2. Time 10,000 login attempts with altered envelopes',
  impact: 'An attacker on the network can recover the MAC byte by byte.',
};

function tokenFrom(html: string): string {
  const m = /\/report\/status\/([A-Za-z0-9_-]{43})/.exec(html);
  if (!m) throw new Error(`no status link in:\n${html}`);
  return m[1]!;
}

describe('the report form', () => {
  it('is a plain HTML form with a strict CSP and no script', async () => {
    await start();
    const response = await server.inject({ method: 'GET', url: '/report' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.body).toContain('<form method="post" action="/report"');
    expect(response.body).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    const css = await server.inject({ method: 'GET', url: '/report/report.css' });
    expect(css.headers['content-type']).toContain('text/css');
  });
});

describe('an anonymous report', () => {
  it('reaches the triage queue with the ack clock started at submission; no team-facing read, nor the database, holds the contact', async () => {
    await start();
    const response = await form({ ...REPORT, contact: CONTACT, anonymous: 'on', website: '' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.body).toContain('https://security.example.org/report/status/');
    const token = tokenFrom(response.body);

    const [event] = await app.incidents.list();
    expect(event).toMatchObject({ kind: 'event', status: 'investigating', planId: 'iso27001-library', source: 'public-report', reporter: { anonymous: true }, reportedAt: T0 });
    const plan = await app.incidents.planOf(event!);
    const clocks = deriveClocks(plan, event!, app.time.now());
    // The plan's ack window for an untriaged report is 1 hour, counted from submission.
    expect(clocks.find((c) => c.id === 'ack')).toMatchObject({ dueAt: '2026-03-02T10:00:00.000Z', metAt: null });

    // The team replies and the reporter writes back: still no contact anywhere.
    await app.reports.teamReply(event!.id, { text: 'Thanks, we are looking at it.' }, 'alice');
    await server.inject({ method: 'POST', url: `/report/status/${token}/messages`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=Happy+to+help+test+a+fix.' });

    const timeline = await app.incidents.timeline(event!.id);
    const teamReads = JSON.stringify([
      presentIncident(plan, await app.incidents.get(event!.id), clocks, app.time.now()),
      timeline,
      timeline.map(describeEvent),
      await app.incidents.list(),
      await app.intake.listAlerts(),
      await app.reports.thread(event!.id),
    ]);
    expect(teamReads).toContain('non-constant-time comparison');
    expect(teamReads).toContain('Happy to help test a fix.');
    expect(teamReads).not.toContain(CONTACT);
    expect(teamReads).not.toContain('ada.secret-contact');
    // Not even the database files (main file and write-ahead log) hold it (SQLite leg).
    if (app.backend !== 'sqlite') return;
    const dir = dirname(app.database);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(dir, file)).includes(Buffer.from('ada.secret-contact')), file).toBe(false);
    expect(readFileSync(app.database + '-wal').includes(Buffer.from('Happy to help test a fix.'))).toBe(true);
  });

  it('the status link shows acknowledgement, confirmation and the thread with the team', async () => {
    await start();
    const token = tokenFrom((await form({ ...REPORT, anonymous: 'on' })).body);
    const status = () => server.inject({ method: 'GET', url: `/report/status/${token}` });
    expect((await status()).body).toContain('<p class="stage" id="stage">Received</p>');

    const [event] = await app.incidents.list();
    app.time.advance(minutes(90));
    await app.incidents.execute(event!.id, { type: 'acknowledge' }, { actor: 'alice' });
    await app.reports.teamReply(event!.id, { text: 'We reproduced it and are preparing a fix.' }, 'alice');
    const acknowledged = await status();
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.headers['content-security-policy']).toContain("form-action 'self'");
    expect(acknowledged.body).toContain('<p class="stage" id="stage">Acknowledged</p>');
    expect(acknowledged.body).toContain('We reproduced it and are preparing a fix.');
    expect(acknowledged.body).toContain('Security team');
    expect(acknowledged.body).not.toContain('alice');

    const reply = await server.inject({ method: 'POST', url: `/report/status/${token}/messages`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=Thank+you%21' });
    expect(reply.statusCode).toBe(303);
    expect(reply.headers['location']).toBe(`/report/status/${token}`);

    await app.incidents.execute(event!.id, { type: 'triage', decision: 'confirm', severity: 'P2' }, { actor: 'alice' });
    const json = await server.inject({ method: 'GET', url: `/api/v1/public/reports/status/${token}` });
    expect(json.json()).toMatchObject({
      reference: event!.id,
      stage: 'confirmed',
      history: [{ stage: 'received' }, { stage: 'acknowledged' }, { stage: 'confirmed' }],
      messages: [
        { from: 'team', text: 'We reproduced it and are preparing a fix.' },
        { from: 'reporter', text: 'Thank you!' },
      ],
    });
    const notes = (await app.incidents.timeline(event!.id)).filter((e) => e.type === 'note_added');
    expect(notes.map((n) => n.actor)).toEqual(['alice', 'reporter']);
  });
});

describe('a report with contact details', () => {
  it('shows the team who reported it (JSON API)', async () => {
    await start();
    const response = await server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { ...REPORT, contact: CONTACT } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ reference: 'INC-2026-0001', statusUrl: expect.stringMatching(/^https:\/\/security\.example\.org\/report\/status\//) });
    const state = await app.incidents.get('INC-2026-0001');
    expect(state.reporter).toEqual({ anonymous: false, name: CONTACT });
    const status = await server.inject({ method: 'GET', url: `/api/v1/public/reports/status/${response.json().token}` });
    expect(status.json()).toMatchObject({ stage: 'received', anonymous: false });
  });
});

describe('refusals change nothing', () => {
  it('400 naming the field: the form re-renders with the values kept, the API answers a problem', async () => {
    await start();
    const html = await form({ what: 'short', product: '', versions: '1.0' });
    expect(html.statusCode).toBe(400);
    expect(html.body).toContain('id="what-error"');
    expect(html.body).toContain('id="product-error"');
    expect(html.body).toContain('value="1.0"');
    const api = await server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { product: 'x' } });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'what' }] });
    expect(await app.incidents.list()).toEqual([]);
  });

  it('400 when the honeypot field is filled in', async () => {
    await start();
    const html = await form({ ...REPORT, website: 'http://spam.example' });
    expect(html.statusCode).toBe(400);
    const api = await server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { ...REPORT, website: 'x' } });
    expect(api.json()).toMatchObject({ code: 'FB_ERR_REPORT_REJECTED', fields: [{ path: 'website' }] });
    expect(await app.incidents.list()).toEqual([]);
  });

  it('413 for an oversize report, 404 for an unknown status link', async () => {
    await start();
    const big = await server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: { ...REPORT, what: 'x'.repeat(300 * 1024) } });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'FB_ERR_HTTP_TOO_LARGE' });
    const unknown = await server.inject({ method: 'GET', url: `/report/status/${'A'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    const api = await server.inject({ method: 'GET', url: '/api/v1/public/reports/status/not-a-token' });
    expect(api.json()).toMatchObject({ status: 404, code: 'FB_ERR_REPORT_NOT_FOUND' });
    expect(await app.incidents.list()).toEqual([]);
  });

  it('429 once an address sends too many reports: the form and the API share one budget (form: an HTML page; API: a problem)', async () => {
    await start({ submit: { max: 2, timeWindow: '10 minutes' } });
    expect((await form(REPORT)).statusCode).toBe(201);
    const api = () => server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: REPORT });
    expect((await api()).statusCode).toBe(201);
    const third = await form(REPORT);
    expect(third.statusCode).toBe(429);
    expect(third.body).toContain('too many requests');
    const limited = await api();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ status: 429, code: 'FB_ERR_HTTP_RATE_LIMITED' });
    expect(await app.incidents.list()).toHaveLength(2);
    // Another address has its own budget.
    expect((await server.inject({ method: 'POST', url: '/api/v1/public/reports', payload: REPORT, remoteAddress: '192.0.2.7' })).statusCode).toBe(201);
  });

  it('reading pages and the status API draw on one budget per address too', async () => {
    await start({ read: { max: 3, timeWindow: '1 minute' } });
    expect((await server.inject({ method: 'GET', url: '/report' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/.well-known/security.txt' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: `/api/v1/public/reports/status/${'A'.repeat(43)}` })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/report' })).statusCode).toBe(429);
    expect((await server.inject({ method: 'GET', url: `/report/status/${'A'.repeat(43)}` })).statusCode).toBe(429);
  });
});

describe('security.txt', () => {
  it('serves RFC 9116 fields from the configured contact and policy', async () => {
    await start();
    const response = await server.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toBe(
      [
        'Contact: mailto:security@example.org',
        'Contact: https://security.example.org/report',
        'Expires: 2027-02-25T09:00:00Z',
        'Policy: https://example.org/security-policy',
        'Preferred-Languages: en',
        'Canonical: https://security.example.org/.well-known/security.txt',
        '',
      ].join('\n'),
    );
  });
});
