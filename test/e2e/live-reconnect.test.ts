/**
 * The live stream comes back after the server refused it. EventSource gives up for good
 * when a stream request is answered with something other than a stream (a 503 while the
 * server sheds load, a 502 from a proxy during a restart); the page must open a new one by
 * itself and refetch what changed while it was down, without a reload.
 *
 * Real parts: the built server on loopback with a temp SQLite file, and Debian's
 * Chromium. The refusals are made by Playwright's request interception (a real 503
 * cannot be had on demand from an idle server); every other request, and the stream once
 * it is let through, reaches the real server.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, signInApi } from './support/api-session.js';
import { launchBrowser, newContext, signIn, UI_TIMEOUT } from './support/browser.js';
import { ADMIN, type RunningServer, startServer } from './support/server.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: ApiSession;

beforeAll(async () => {
  server = await startServer();
  admin = await signInApi(server.url, ADMIN);
  browser = await launchBrowser();
  context = await newContext(browser, server.url);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The live indicator once it shows `status`. */
const liveIndicator = (status: string) => page.locator(`[data-testid="live-status"][data-status="${status}"]`);

describe('live updates after the server refused the stream', () => {
  it('opens a new stream by itself and shows what changed meanwhile, without a reload', async () => {
    const { incident } = await admin.call<{ incident: { id: string } }>('POST', '/incidents', { plan: 'nist-800-61r3', title: 'Beacon traffic from a build agent', reporter: 'Dora' });
    await signIn(page, ADMIN);

    let refusing = true;
    let refused = 0;
    await context.route('**/api/v1/incidents/*/stream', async (route: Route) => {
      if (!refusing) return route.continue();
      refused += 1;
      return route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Overloaded', status: 503 }) });
    });

    await page.goto(`/incidents/${incident.id}`);
    const status = page.getByTestId('status-badge');
    await status.waitFor({ timeout: UI_TIMEOUT });
    const before = (await status.textContent())?.trim();
    await liveIndicator('reconnecting').waitFor({ timeout: UI_TIMEOUT });
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    // While the stream is down, someone triages the incident.
    await admin.call('POST', `/incidents/${incident.id}/triage`, { decision: 'confirm', severity: 'high', category: 'malware' });
    // The page keeps trying (it was refused more than once) and still shows the old state.
    await expect.poll(() => refused, { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(2);
    expect((await status.textContent())?.trim()).toBe(before);

    refusing = false;
    await liveIndicator('live').waitFor({ timeout: UI_TIMEOUT });
    await page.waitForFunction((old) => document.querySelector('[data-testid="status-badge"]')?.textContent?.trim() !== old, before, { timeout: UI_TIMEOUT });
    expect(await liveIndicator('live').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true)).toBe(true);
  });
});
