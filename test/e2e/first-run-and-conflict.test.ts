/**
 * Two paths of the web app the full-incident test does not take: the first-run screen
 * that creates the administrator on an empty server, and a concurrent change — someone
 * else changes the incident while this browser is not receiving live updates, so its
 * next action carries a stale `If-Match` and the server answers 409. The page must show
 * what changed and let the user retry against the new version.
 *
 * The only thing not real here is the dropped live stream: the test aborts the page's
 * SSE request (page.route) so the page goes stale the way a flaky network would make it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi } from './support/api-session.js';
import { launchBrowser, newContext } from './support/browser.js';
import { ADMIN, type RunningServer, startServer } from './support/server.js';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ withAdmin: false });
  browser = await launchBrowser();
  page = await (await newContext(browser, server.url)).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('first run and concurrent changes', () => {
  it('creates the administrator on the first-run screen and signs them in', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Set up Firebreak' }).waitFor();
    await page.getByLabel('Full name').fill(ADMIN.name);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Handle').fill(ADMIN.handle);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await page.getByRole('textbox', { name: 'Repeat the password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Incident room' }).waitFor();
    await page.getByRole('button', { name: `Account: ${ADMIN.name}` }).waitFor();
  });

  it('shows what changed after a 409 and retries against the new version', async () => {
    const api = await signInApi(server.url, ADMIN);
    const created = await api.call<{ incident: { id: string } }>('POST', '/incidents', { plan: 'nist-team-procedures', title: 'Concurrent edit', reporter: 'alice' });
    const id = created.incident.id;
    await api.call('POST', `/incidents/${id}/triage`, { decision: 'confirm', severity: 'low' });

    await page.route('**/stream', (route) => route.abort());
    await page.goto(`/incidents/${id}`);
    await page.getByRole('checkbox', { name: /Pause and take a breath/ }).waitFor();

    // Someone else writes into the incident; this page does not hear about it.
    await api.call('POST', `/incidents/${id}/notes`, { text: 'Changed behind your back' });

    await page.getByRole('checkbox', { name: /Pause and take a breath/ }).click();
    const banner = page.getByTestId('command-failure');
    await banner.getByText('Someone changed this incident').waitFor();
    await banner.getByText('added a note').waitFor();
    await banner.getByRole('button', { name: /^Retry/ }).click();
    await page.locator('[data-testid="checklist-item"][data-item-id="breathe"][data-done="true"]').waitFor();
    await banner.waitFor({ state: 'detached' });

    const timeline = await api.call<{ items: { type: string }[] }>('GET', `/incidents/${id}/timeline`);
    expect(timeline.items.map((e) => e.type)).toEqual(['reported', 'declared', 'note_added', 'checklist_item_completed']);
  });
});
