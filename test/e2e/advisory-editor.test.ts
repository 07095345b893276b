/**
 * The advisory editor in the browser, by two people: Alice drafts an advisory on a
 * confirmed incident, fills every field publishing needs, builds a CVSS 3.1 vector with
 * the metric pickers (score from the server), sees a bad pasted vector refused naming the
 * metric, submits it and is not offered "Approve" (and the server refuses her too). Bob
 * requests changes with a reason, has a stale step refused with the server's message,
 * then approves and publishes; the OSV export preview shows the published document and the
 * public advisory page is up. A second revision (set up through the API) gives the
 * revision diff something to show, and a third is scheduled behind an embargo whose date
 * the page shows in the viewer's time zone. Screenshots of the editor, the CVSS builder and the
 * export preview go to test/artifacts/.
 *
 * Real parts only: the built server (`node bin/firebreak.js serve`) on loopback with a
 * temp SQLite file, and Debian's Chromium (one browser, two contexts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, createUser, signInApi } from './support/api-session.js';
import { choose, launchBrowser, newContext, signIn } from './support/browser.js';
import { type Account, ADMIN, type RunningServer, startServer } from './support/server.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const BOB: Account = { email: 'bob@example.test', password: 'bob-reviews-advisories', name: 'Bob Reviewer', handle: 'bob' };
const TITLE = 'Prototype pollution in the config parser';

let server: RunningServer;
let browser: Browser;
let alice: BrowserContext;
let bob: BrowserContext;
let a: Page;
let b: Page;
let aliceApi: ApiSession;
let bobApi: ApiSession;
let incidentId: string;

beforeAll(async () => {
  server = await startServer();
  aliceApi = await signInApi(server.url, ADMIN);
  await createUser(aliceApi, BOB);
  bobApi = await signInApi(server.url, BOB);
  const created = await aliceApi.call<{ incident: { id: string } }>('POST', '/incidents', { plan: 'nist-team-procedures', title: 'Report: config parser pollutes Object.prototype', reporter: 'Dora' });
  incidentId = created.incident.id;
  await aliceApi.call('POST', `/incidents/${incidentId}/triage`, { decision: 'confirm', severity: 'high', category: 'integrity' });
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

const status = (page: Page) => page.getByTestId('advisory-status');
const metric = (page: Page, version: string, name: string) => page.getByTestId(`cvss-builder-${version}`).getByRole('group', { name });

describe('the advisory editor, end to end', () => {
  it('drafts, scores, reviews, publishes and previews an advisory', async () => {
    await signIn(a, ADMIN);
    await a.goto(`/incidents/${incidentId}`);

    // Draft from the incident page.
    const panel = a.getByTestId('advisories-panel');
    await panel.getByText('No advisory yet.').waitFor();
    await panel.getByRole('button', { name: 'Draft advisory' }).click();
    await a.getByRole('dialog').getByLabel('Advisory title').fill(TITLE);
    await a.getByRole('dialog').getByRole('button', { name: 'Create draft' }).click();
    await a.getByTestId('advisory-page').waitFor();
    const editorPath = new URL(a.url()).pathname;
    const advisoryId = decodeURIComponent(editorPath.split('/').at(-1) ?? '');
    expect(editorPath).toBe(`/incidents/${incidentId}/advisories/${encodeURIComponent(advisoryId)}`);
    await expect(status(a).getAttribute('data-status')).resolves.toBe('draft');
    // The server's list of what publishing needs, inline.
    const missing = a.getByTestId('missing-for-publish');
    await missing.getByText('summary', { exact: true }).waitFor();
    await missing.getByText('resolution', { exact: true }).waitFor();

    // Every field publishing needs.
    await a.getByLabel('Summary').fill('Parsing a crafted config file sets properties on Object.prototype.');
    await a.getByLabel('Impact').fill('Any application that parses untrusted configuration can be made to misbehave or execute attacker-chosen code paths.');
    await a.getByRole('combobox', { name: 'Affected components' }).fill('config-parser');
    await a.getByRole('combobox', { name: 'Affected components' }).press('Enter');
    await a.getByRole('button', { name: 'Add CWE' }).click();
    await a.getByLabel('CWE id').fill('CWE-1321');
    await a.getByLabel('CWE name').fill("Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')");
    await choose(a, 'CVE status', 'Assigned');
    await a.getByLabel('CVE id').fill('CVE-2026-40123');
    await a.getByRole('button', { name: 'Add package' }).click();
    await a.getByLabel('Package', { exact: true }).fill('@example/config-parser');
    await a.getByLabel('Introduced', { exact: true }).fill('1.0.0');
    await a.getByLabel('Fixed', { exact: true }).fill('1.4.2');
    await a.getByLabel('Mitigation').fill('Do not parse configuration from untrusted sources.');
    await a.getByLabel('Resolution').fill('Upgrade to 1.4.2 or later.');
    await a.getByRole('button', { name: 'Add reference' }).click();
    await a.getByLabel('URL').fill('https://github.com/example/config-parser/commit/abc123');

    // CVSS 3.1 with the pickers; the server scores it.
    const builder = a.getByTestId('cvss-builder-3.1');
    for (const [name, value] of [
      ['Attack Vector (AV)', 'Network'],
      ['Attack Complexity (AC)', 'Low'],
      ['Privileges Required (PR)', 'None'],
      ['User Interaction (UI)', 'None'],
      ['Scope (S)', 'Unchanged'],
      ['Confidentiality (C)', 'High'],
      ['Integrity (I)', 'High'],
      ['Availability (A)', 'High'],
    ] as const) {
      await metric(a, '3.1', name).getByText(value, { exact: true }).click();
    }
    const vectorInput = builder.getByLabel('CVSS 3.1 vector');
    await expect(vectorInput.inputValue()).resolves.toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    await a.getByTestId('cvss-base-score-3.1').filter({ hasText: '9.8' }).waitFor();
    await a.getByTestId('cvss-severity-3.1').filter({ hasText: 'critical' }).waitFor();
    await builder.screenshot({ path: `${ARTIFACTS}advisory-cvss-builder.png` });

    // A bad pasted vector: the server's message names the metric.
    await vectorInput.fill('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:Q');
    const error = a.getByTestId('cvss-error-3.1');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/metric A has value Q/);
    // A good pasted vector fills the pickers.
    await vectorInput.fill('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H');
    await a.getByTestId('cvss-base-score-3.1').filter({ hasText: '8.8' }).waitFor();
    expect(await metric(a, '3.1', 'Privileges Required (PR)').getByRole('radio', { name: 'Low' }).isChecked()).toBe(true);

    await a.getByRole('button', { name: 'Save changes' }).click();
    await a.getByTestId('ready-to-publish').waitFor();
    await a.getByTestId('advisory-severity').filter({ hasText: 'high' }).waitFor();
    await a.screenshot({ path: `${ARTIFACTS}advisory-editor.png`, fullPage: true });

    // Submit; Alice wrote it, so she is not offered Approve and the server agrees.
    await a.getByRole('button', { name: 'Submit for review' }).click();
    await a.getByRole('dialog').getByRole('button', { name: 'Submit for review' }).click();
    await a.locator('[data-testid="advisory-status"][data-status="in_review"]').waitFor();
    await a.getByTestId('approve-disabled').waitFor();
    expect(await a.getByTestId('approve-disabled').isDisabled()).toBe(true);
    expect(await a.getByTestId('approve-reason').textContent()).toMatch(/cannot approve.*@alice/);
    await expect(aliceApi.call('POST', `/advisories/${advisoryId}/approve`, {})).rejects.toThrow(/FB_ERR_ADVISORY_SELF_APPROVAL/);

    // Bob approves and publishes in his own browser.
    await signIn(b, BOB);
    await b.goto(editorPath);
    await b.locator('[data-testid="advisory-status"][data-status="in_review"]').waitFor();
    // Bob first sends it back with a reason (the dialog will not submit without one) ...
    await b.getByRole('button', { name: 'Request changes' }).click();
    const sendBack = b.getByRole('dialog');
    expect(await sendBack.getByRole('button', { name: 'Request changes' }).isDisabled()).toBe(true);
    await sendBack.getByLabel(/What needs to change/).fill('Name the safe loader in the mitigation.');
    await sendBack.getByRole('button', { name: 'Request changes' }).click();
    await b.locator('[data-testid="advisory-status"][data-status="draft"]').waitFor();
    // ... Alice resubmits (through the API, so Bob's page is now out of date) ...
    await aliceApi.call('POST', `/advisories/${advisoryId}/submit`, { note: 'The loader is named in the docs it links to.' });
    // ... and Bob's stale "Submit for review" is refused with the server's message; the page catches up.
    await b.getByRole('button', { name: 'Submit for review' }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'Submit for review' }).click();
    await b.getByRole('dialog').getByTestId('lifecycle-failure').filter({ hasText: /someone changed it/ }).waitFor();
    await b.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await b.locator('[data-testid="advisory-status"][data-status="in_review"]').waitFor();
    await b.getByRole('button', { name: 'Approve', exact: true }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await b.locator('[data-testid="advisory-status"][data-status="approved"]').waitFor();
    await b.getByTestId('approvals').filter({ hasText: '@bob' }).waitFor();
    await b.getByRole('button', { name: 'Publish', exact: true }).click();
    await b.getByRole('dialog').getByRole('button', { name: 'Publish', exact: true }).click();
    await b.locator('[data-testid="advisory-status"][data-status="published"]').waitFor();

    // The OSV export preview shows the published advisory.
    await b.getByRole('tab', { name: 'Export preview' }).click();
    await b.getByTestId('export-md').waitFor();
    await b.getByTestId('export-md').getByText(TITLE).first().waitFor();
    await b.getByRole('tab', { name: 'OSV' }).click();
    const osv = b.getByTestId('export-osv').getByTestId('export-text');
    await osv.waitFor();
    const osvDoc = JSON.parse((await osv.textContent()) ?? '') as { id: string; aliases?: string[]; affected: { package: { name: string } }[] };
    expect(osvDoc.id).toMatch(new RegExp(`${advisoryId}$`)); // OSV ids of unregistered databases carry a prefix
    expect(osvDoc.aliases).toContain('CVE-2026-40123');
    expect(osvDoc.affected[0]?.package.name).toBe('@example/config-parser');
    await b.screenshot({ path: `${ARTIFACTS}advisory-export-preview.png`, fullPage: true });

    // The public page, no sign-in needed.
    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/advisories/${encodeURIComponent(advisoryId)}`);
    await anonymous.getByRole('heading', { name: TITLE }).waitFor();
    await anonymous.close();

    // A second revision (through the API: Alice edits and submits, Bob approves and publishes);
    // the revision diff shows the changed field.
    await aliceApi.call('PATCH', `/advisories/${advisoryId}`, { changes: { resolution: 'Upgrade to 1.4.3 or later; 1.4.2 missed one code path.' } });
    await aliceApi.call('POST', `/advisories/${advisoryId}/submit`, {});
    await bobApi.call('POST', `/advisories/${advisoryId}/approve`, {});
    const published = await bobApi.call<{ revisions: unknown[] }>('POST', `/advisories/${advisoryId}/publish`, { summary: 'Corrected the fixed version' });
    expect(published.revisions).toHaveLength(2);
    await b.reload();
    await b.getByRole('tab', { name: 'Revisions (2)' }).click();
    const changed = b.getByTestId('revision-diff').locator('[data-testid="diff-row"][data-changed="true"]');
    await changed.filter({ hasText: 'content.resolution' }).waitFor();
    await changed.filter({ hasText: '1.4.3' }).waitFor();

    // A third revision goes behind an embargo; the date reads in the viewer's zone (Europe/Berlin here).
    await aliceApi.call('PATCH', `/advisories/${advisoryId}`, { changes: { mitigation: 'Parse untrusted configuration with the safe loader.' } });
    await aliceApi.call('POST', `/advisories/${advisoryId}/submit`, {});
    await bobApi.call('POST', `/advisories/${advisoryId}/approve`, {});
    await b.reload();
    await b.locator('[data-testid="advisory-status"][data-status="approved"]').waitFor();
    await b.getByRole('button', { name: 'Schedule release' }).click();
    const dialog = b.getByRole('dialog');
    await dialog.getByLabel(/Release at/).fill('2030-01-15T10:00');
    await dialog.getByTestId('schedule-preview').filter({ hasText: 'Tue 15 Jan 2030, 10:00:00 (Europe/Berlin) · 2030-01-15T09:00:00.000Z' }).waitFor();
    await dialog.getByRole('button', { name: 'Schedule release' }).click();
    await b.locator('[data-testid="advisory-status"][data-status="scheduled"]').waitFor();
    await b.getByTestId('embargo').filter({ hasText: '15 Jan 2030, 10:00:00 (Europe/Berlin)' }).waitFor();
  });
});
