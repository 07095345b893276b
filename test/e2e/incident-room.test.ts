/**
 * A whole incident under `nist-team-procedures` in the browser, by two people in two
 * browser contexts: Alice reports, triages, takes and hands off the Incident Commander
 * role; Bob confirms the handoff in his own browser. Bob's page is never reloaded: every
 * change Alice makes must reach it over the live stream. Along the way the run writes
 * screenshots (dashboard and incident page, light and dark) to test/artifacts/ and prints
 * how long the incident page takes to become interactive (printed, never asserted).
 *
 * Real parts only: the built server (`node bin/firebreak.js serve`) on loopback with a
 * temp SQLite file, and Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signInApi } from './support/api-session.js';
import { choose, launchBrowser, newContext, signIn } from './support/browser.js';
import { type Account, ADMIN, type RunningServer, startServer } from './support/server.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const BOB: Account = { email: 'bob@example.test', password: 'bob-the-incoming-ic', name: 'Bob Responder', handle: 'bob' };
const TITLE = 'Root login on build server from unknown address';

let server: RunningServer;
let browser: Browser;
let alice: BrowserContext;
let bob: BrowserContext;
let a: Page;
let b: Page;

beforeAll(async () => {
  server = await startServer();
  const admin = await signInApi(server.url, ADMIN);
  await createUser(admin, BOB);
  // Some company on the dashboard, so the screenshots show more than one row.
  const phishing = await admin.call<{ incident: { id: string } }>('POST', '/incidents', { plan: 'nist-team-procedures', title: 'Phishing wave against finance staff', reporter: 'Dora' });
  await admin.call('POST', `/incidents/${phishing.incident.id}/triage`, { decision: 'confirm', severity: 'medium', category: 'confidentiality' });
  await admin.call('POST', '/incidents', { plan: 'nist-800-61r3', title: 'Scanner flagged outdated TLS on status page', anonymous: true });
  browser = await launchBrowser();
  alice = await newContext(browser, server.url);
  bob = await newContext(browser, server.url);
  a = await alice.newPage();
  b = await bob.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A marker on Bob's window: a reload would wipe it. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
}

const role = (page: Page, id: string) => page.locator(`[data-testid="role"][data-role-id="${id}"]`);
/** Waits until `handle` holds role `id` on `page` (not merely has a handoff pending). */
const holds = (page: Page, id: string, handle: string) => role(page, id).getByTestId('role-holder').filter({ hasText: `@${handle}` }).waitFor();

async function screenshots(context: BrowserContext, path: string, name: string): Promise<void> {
  const page = await context.newPage();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(path);
    await page.locator(name === 'dashboard' ? '[data-testid="incident-row"]' : '[data-testid="incident-page"]').first().waitFor();
    await page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, scheme);
    await page.waitForTimeout(400); // let transitions settle so the picture is not mid-fade
    await page.screenshot({ path: `${ARTIFACTS}${name}-${scheme}.png`, fullPage: true });
  }
  await page.close();
}

describe('the incident room, end to end', () => {
  it('runs an incident from report to close, with a live second browser', async () => {
    // Both sign in through the form.
    await signIn(a, ADMIN);
    await signIn(b, BOB);
    await markNoReload(b);

    // Alice reports an event.
    await a.getByRole('link', { name: 'Report an event' }).click();
    await choose(a, 'Response plan', 'NIST-style team procedures (nist-team-procedures)');
    await a.getByLabel('Title').fill(TITLE);
    await a.getByLabel('What did you see?').fill('Auth log shows `root` logging in from **203.0.113.9** at 03:12.');
    await a.getByRole('button', { name: 'Report event' }).click();

    // Bob's dashboard shows it awaiting triage, live.
    await b.getByTestId('event-row').filter({ hasText: TITLE }).waitFor();

    // Alice triages: a high-severity incident.
    await a.getByRole('heading', { name: 'Triage' }).waitFor();
    await a.getByRole('radio', { name: 'High severity' }).click();
    await choose(a, 'Category (optional)', 'Integrity');
    await a.getByRole('button', { name: 'Confirm as an incident' }).click();
    await a.getByTestId('incident-page').waitFor();
    const incidentPath = new URL(a.url()).pathname;

    // Bob sees the incident appear among active incidents, and opens it (in-app navigation).
    const row = b.getByTestId('incident-row').filter({ hasText: TITLE });
    await row.waitFor();
    await row.getByText('High severity').waitFor();
    await row.click();
    await b.getByTestId('incident-page').waitFor();
    expect(new URL(b.url()).pathname).toBe(incidentPath);

    // Alice takes the Incident Commander role; Bob sees it.
    await a.getByRole('button', { name: 'Assign Incident Commander' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Assign', exact: true }).click();
    await holds(a, 'ic', 'alice');
    await holds(b, 'ic', 'alice');

    // Alice hands off to Bob with a briefing; nothing moves until Bob confirms.
    await a.getByRole('button', { name: 'Hand off Incident Commander' }).click();
    const dialog = a.getByRole('dialog');
    await dialog.getByLabel('Hand off to').fill('bob');
    await dialog.getByLabel('Briefing').fill('Build server isolated from the network. Logs preserved. Next: check the deploy keys.');
    await dialog.getByRole('button', { name: 'Start handoff' }).click();
    await role(a, 'ic').getByTestId('pending-handoff').waitFor();
    const banner = b.getByTestId('handoff-banner');
    await banner.getByText('Build server isolated from the network.').waitFor();
    expect(await role(b, 'ic').getByTestId('role-holder').textContent()).toContain('@alice');
    await banner.getByRole('button', { name: 'Confirm and take over as Incident Commander' }).click();
    await holds(b, 'ic', 'bob');
    await holds(a, 'ic', 'bob');
    await b.getByTestId('handoff-banner').waitFor({ state: 'detached' });

    // The first phase cannot be left while its required item is open.
    const advance = a.getByRole('button', { name: 'Move to Start documenting' });
    await a.getByTestId('phase-blocked').waitFor();
    expect(await advance.isDisabled()).toBe(true);
    await a.getByRole('checkbox', { name: /Pause and take a breath/ }).click();
    await b.locator('[data-testid="checklist-item"][data-item-id="breathe"][data-done="true"]').waitFor();
    await advance.click();
    await b.getByRole('heading', { name: 'Checklist · Start documenting' }).waitFor();

    // Bob, the new IC, posts a sitrep from the plan's template.
    await b.getByRole('tab', { name: 'Sitrep' }).click();
    const sitrep = b.getByTestId('sitrep-input');
    await expect.poll(() => sitrep.inputValue(), { timeout: 30_000 }).toContain('**Severity**');
    expect(await sitrep.inputValue()).toContain(TITLE);
    await sitrep.fill(`${await sitrep.inputValue()}\n\nBob has taken over as IC; deploy keys being rotated.`);
    await b.getByRole('button', { name: 'Post sitrep' }).click();
    const posted = a.locator('[data-testid="timeline-entry"][data-type="sitrep_posted"]');
    await posted.getByText('deploy keys being rotated').waitFor();
    expect(await posted.locator('strong').first().textContent()).toBe('Subject');

    // Pictures for the reviewer, and how fast the page gets usable.
    await screenshots(alice, '/', 'dashboard');
    await screenshots(alice, incidentPath, 'incident');
    const timing = await alice.newPage();
    const started = Date.now();
    await timing.goto(incidentPath);
    await timing.getByTestId('incident-page').waitFor();
    const wall = Date.now() - started;
    const mark = await timing.evaluate(() => performance.getEntriesByName('fb-incident-interactive')[0]?.startTime ?? null);
    process.stdout.write(`incident page interactive: ${mark === null ? 'n/a' : `${Math.round(mark)} ms after navigation start`} (${wall} ms wall clock to first usable render, headless Chromium, loopback)\n`);
    await timing.close();

    // Alice resolves and closes; Bob sees both.
    await a.getByRole('button', { name: 'Resolve', exact: true }).click();
    await a.getByRole('dialog').getByLabel('Resolution summary (optional)').fill('Deploy keys rotated; access closed.');
    await a.getByRole('dialog').getByRole('button', { name: 'Resolve', exact: true }).click();
    await b.getByTestId('status-badge').getByText('Resolved').waitFor();
    await a.getByRole('button', { name: 'Close', exact: true }).click();
    await b.getByTestId('status-badge').getByText('Closed').waitFor();
    await a.getByTestId('status-badge').getByText('Closed').waitFor();

    // Bob's timeline holds the whole story, newest first, and his page never reloaded.
    const types = await b.getByTestId('timeline-entry').evaluateAll((entries) => entries.map((e) => e.getAttribute('data-type')));
    expect(types[0]).toBe('closed');
    expect(types).toEqual(expect.arrayContaining(['reported', 'declared', 'role_assigned', 'handoff_initiated', 'handoff_confirmed', 'checklist_item_completed', 'phase_entered', 'sitrep_posted', 'resolved']));
    expect(await stillSamePage(b)).toBe(true);
  });
});
