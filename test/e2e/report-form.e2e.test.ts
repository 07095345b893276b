/**
 * End to end in real Chromium against a real server on 127.0.0.1: a reporter files an
 * anonymous report through the plain HTML form, a responder acknowledges it and replies,
 * the reporter's status link shows the change and the reply, the reporter answers
 * through the link, and nothing the team can read holds the contact the reporter typed.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentIncident } from '../../src/app/incident-view.js';
import { deriveClocks } from '../../src/domain/clocks/clocks.js';
import { buildServer } from '../../src/http/server.js';
import { createTestApp, minutes, type TestApp } from '../support/test-app.js';

const CONTACT = 'grace.e2e-contact@example.net';

let app: TestApp;
let server: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  app = await createTestApp();
  server = await buildServer({ app, logger: false, publicReports: { plan: 'community-disclosure', env: {} } });
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('public report form in Chromium', () => {
  it('anonymous report → acknowledged with a reply → status link shows both → reporter answers; the team never sees the contact', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    await page.goto(`${base}/report`);
    await page.getByLabel('What did you find?').fill('Password reset tokens are predictable: they are derived from the account creation time.');
    await page.getByLabel('Affected product or component').fill('idp-server');
    await page.getByLabel('Affected versions').fill('4.0.0 to 4.2.3');
    await page.getByLabel('Steps to reproduce').fill('1. Create an account\n2. Request a reset\n3. Compute the token from the creation time');
    await page.getByLabel('Impact').fill('Account takeover of any user whose creation time is known.');
    await page.getByLabel('How can we reach you?').fill(CONTACT);
    await page.getByLabel(/Keep me anonymous/).check();
    await page.getByRole('button', { name: 'Send report' }).click();

    await expect.poll(() => page.locator('h1').textContent()).toContain('your report is in');
    const statusUrl = await page.locator('#status-link').getAttribute('href');
    expect(statusUrl).toMatch(/\/report\/status\/[A-Za-z0-9_-]{43}$/);

    await page.goto(statusUrl!);
    expect(await page.locator('#stage').textContent()).toBe('Received');

    // A responder acknowledges and replies (app-level, as the API and CLI do).
    const [event] = await app.incidents.list();
    expect(event).toMatchObject({ kind: 'event', source: 'public-report', reporter: { anonymous: true }, planId: 'community-disclosure' });
    app.time.advance(minutes(30));
    await app.incidents.execute(event!.id, { type: 'acknowledge' }, { actor: 'maria' });
    await app.reports.teamReply(event!.id, { text: 'Thank you. We confirmed the token derivation and are fixing it.' }, 'maria');

    await page.reload();
    expect(await page.locator('#stage').textContent()).toBe('Acknowledged');
    expect(await page.locator('#thread').textContent()).toContain('We confirmed the token derivation');

    await page.getByLabel('Write to the team').fill('Glad to help. I can test a release candidate.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.locator('#thread').textContent()).toContain('I can test a release candidate.');
    expect(page.url()).toBe(statusUrl);

    const plan = await app.incidents.planOf(event!);
    const state = await app.incidents.get(event!.id);
    const teamReads = JSON.stringify([presentIncident(plan, state, deriveClocks(plan, state, app.time.now()), app.time.now()), await app.incidents.timeline(event!.id), await app.incidents.list(), await app.reports.thread(event!.id)]);
    expect(teamReads).toContain('I can test a release candidate.');
    expect(teamReads).not.toContain(CONTACT);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
