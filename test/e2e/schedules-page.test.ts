/**
 * On-call schedules in the browser: a weekly rotation is created through the "New
 * schedule" dialog with people picked from the directory, the page says who is on call
 * now, the rotation's order is changed through "Edit rotation", an override is added
 * through its dialog (keyboard only) and takes over, and an overlapping one is refused
 * with the server's words. At 360 px wide the page does not scroll sideways. Screenshots go to
 * test/artifacts/schedules-*.png.
 *
 * Real parts only: the built server on loopback with a temp SQLite file, Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signInApi } from './support/api-session.js';
import { launchBrowser, newContext, signIn } from './support/browser.js';
import { ADMIN, type RunningServer, startServer } from './support/server.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const BOB = { email: 'bob@example.test', password: 'another correct horse', name: 'Bob Responder', handle: 'bob' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** `datetime-local` text for an instant, in the browser's zone (the test's TZ). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Picks a person in a directory-backed select with the keyboard: type, arrow down, Enter. */
async function pick(input: ReturnType<Page['getByLabel']>, handle: string): Promise<void> {
  await input.fill(handle);
  await input.press('ArrowDown');
  await input.press('Enter');
}

beforeAll(async () => {
  server = await startServer();
  await createUser(await signInApi(server.url, ADMIN), BOB, 'responder');
  browser = await launchBrowser();
  context = await newContext(browser, server.url);
  page = await context.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('on-call schedules page', () => {
  it('creates a rotation, shows who is on call, and lets an override take over', async () => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'On call' }).click();
    await page.getByRole('heading', { name: 'On-call schedules' }).waitFor();
    await page.getByText('No on-call schedules yet').waitFor();

    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New on-call schedule' });
    await dialog.getByLabel('Id').fill('primary-oncall');
    await dialog.getByLabel('Name').fill('Primary on-call');
    const people = dialog.getByLabel('People, in rotation order');
    for (const handle of ['alice', 'bob']) await pick(people, handle);
    // Only people from the directory: a handle nobody has is not offered.
    await people.fill('mallory');
    expect(await page.getByRole('option').count()).toBe(0);
    await people.fill('');
    // The first hand-over was yesterday: alice holds this week.
    const yesterday = new Date(Date.now() - 86_400_000);
    await dialog.getByLabel('First hand-over date').fill(yesterday.toISOString().slice(0, 10));
    await dialog.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('heading', { name: 'Primary on-call' }).waitFor();
    await page.getByText('On call now: alice').waitFor();

    // Bob takes the rotation's first turn instead: the order is changed, not retyped.
    await page.getByRole('button', { name: 'Edit rotation' }).click();
    const edit = page.getByRole('dialog', { name: 'Rotation of Primary on-call' });
    const order = edit.getByLabel('People, in rotation order');
    await order.press('Backspace');
    await order.press('Backspace');
    for (const handle of ['bob', 'alice']) await pick(order, handle);
    await edit.getByRole('button', { name: 'Save rotation' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByText('On call now: bob').waitFor();

    // An override from now for two hours, typed with the keyboard.
    await page.getByRole('button', { name: 'Add override' }).click();
    const override = page.getByRole('dialog', { name: 'Override on Primary on-call' });
    await pick(override.getByLabel('Who takes it'), 'alice');
    const now = Date.now();
    await override.getByLabel(/^From/).fill(localInput(now - 60_000));
    await override.getByLabel(/^Until/).fill(localInput(now + 2 * 3_600_000));
    await override.getByRole('button', { name: 'Add override' }).press('Enter');
    await page.getByText('On call now: alice').waitFor();
    expect(await page.getByRole('button', { name: "Remove alice's override" }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}schedules-desktop.png`, fullPage: true });

    // An overlapping override is refused with the server's reason, and the dialog keeps what was typed.
    await page.getByRole('button', { name: 'Add override' }).click();
    await pick(override.getByLabel('Who takes it'), 'bob');
    await override.getByLabel(/^From/).fill(localInput(now + 3_600_000));
    await override.getByLabel(/^Until/).fill(localInput(now + 3 * 3_600_000));
    await override.getByRole('button', { name: 'Add override' }).click();
    await override.getByRole('alert').getByText(/overlaps/).waitFor();
    await override.getByRole('button', { name: 'Cancel' }).click();
    await override.waitFor({ state: 'hidden' });

    // A phone: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByText('On call now: alice').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}schedules-phone.png`, fullPage: true });
  });
});
