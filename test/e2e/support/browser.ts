/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download does
 * not work on these machines), headless, plus the few page helpers the tests share.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Account } from './server.js';

export const UI_TIMEOUT = 30_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function newContext(browser: Browser, baseURL: string, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, colorScheme, viewport: { width: 1440, height: 1000 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  context.setDefaultTimeout(UI_TIMEOUT);
  return context;
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(account.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Incident room' }).waitFor();
}

/** Picks an option of a Mantine Select by its visible label. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}
