/**
 * The metrics page in the browser: a few incidents seeded through the API with back-dated
 * facts (reported, acknowledged, triaged, contained, resolved at set offsets, so the
 * response times are hours, not the seconds the seeding takes), plus a drill that must be
 * left out. Opens /metrics, checks the figures and that the charts drew bars, follows the
 * CSV export link, and writes a screenshot to test/artifacts/metrics-page.png.
 *
 * Real parts only: the built server (`node bin/firebreak.js serve`) on loopback with a
 * temp SQLite file, and Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, signInApi } from './support/api-session.js';
import { choose, launchBrowser, newContext, signIn } from './support/browser.js';
import { ADMIN, type RunningServer, startServer } from './support/server.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const HOUR = 3_600_000;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Seed {
  readonly plan: string;
  readonly title: string;
  readonly severity: string;
  readonly category: string;
  /** Hours after the report: acknowledged, contained, resolved (null: still open). */
  readonly ack: number;
  readonly contain: number | null;
  readonly resolve: number | null;
  readonly daysAgo: number;
  readonly drill?: boolean;
}

const SEEDS: readonly Seed[] = [
  { plan: 'nist-800-61r3', title: 'Ransomware on a file server', severity: 'critical', category: 'malware', ack: 0.2, contain: 3, resolve: 20, daysAgo: 20 },
  { plan: 'nist-800-61r3', title: 'Leaked API key in a public repository', severity: 'high', category: 'data-exposure', ack: 0.5, contain: 1, resolve: 6, daysAgo: 12 },
  { plan: 'nist-800-61r3', title: 'Brute force against the VPN', severity: 'medium', category: 'unauthorized-access', ack: 1, contain: 5, resolve: null, daysAgo: 3 },
  { plan: 'nist-team-procedures', title: 'Phishing wave against finance staff', severity: 'medium', category: 'confidentiality', ack: 0.3, contain: 2, resolve: 10, daysAgo: 8 },
  { plan: 'nist-team-procedures', title: 'Outage of the customer portal', severity: 'high', category: 'availability', ack: 0.1, contain: 4, resolve: 12, daysAgo: 5 },
  { plan: 'nist-800-61r3', title: 'Tabletop: stolen laptop', severity: 'high', category: 'data-exposure', ack: 0.1, contain: 1, resolve: 2, daysAgo: 4, drill: true },
];

async function seed(admin: ApiSession, s: Seed): Promise<void> {
  const reported = Date.now() - s.daysAgo * 24 * HOUR;
  const at = (hours: number) => new Date(reported + hours * HOUR).toISOString();
  const created = await admin.call<{ incident: { id: string } }>('POST', '/incidents', { plan: s.plan, title: s.title, reporter: 'Dora', occurredAt: at(0), ...(s.drill ? { drill: true } : {}) });
  const id = created.incident.id;
  await admin.call('POST', `/incidents/${id}/ack`, { occurredAt: at(s.ack) });
  await admin.call('POST', `/incidents/${id}/triage`, { decision: 'confirm', severity: s.severity, category: s.category, occurredAt: at(s.ack + 0.05) });
  if (s.contain !== null) await admin.call('POST', `/incidents/${id}/flags`, { flag: 'contained', note: 'Isolated', occurredAt: at(s.contain) });
  if (s.resolve !== null) await admin.call('POST', `/incidents/${id}/resolve`, { summary: 'Done', occurredAt: at(s.resolve) });
}

beforeAll(async () => {
  server = await startServer();
  const admin = await signInApi(server.url, ADMIN);
  const started = performance.now();
  await Promise.all(SEEDS.map((s) => seed(admin, s)));
  console.log(`seeded ${SEEDS.length} incidents through the API in ${Math.round(performance.now() - started)} ms`);
  browser = await launchBrowser();
  context = await newContext(browser, server.url);
  page = await context.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('metrics page', () => {
  it('shows the figures and charts for the period, leaves the drill out, exports CSV, and is screenshotted', async () => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
    await page.getByRole('heading', { name: 'Response metrics' }).waitFor();
    const report = page.getByTestId('metrics-report');
    await report.waitFor();

    expect(await page.getByTestId('figure-Incidents').textContent()).toBe('5');
    // Hand-computed from SEEDS (drill left out): acknowledged after 0.2, 0.5, 1, 0.3, 0.1 h
    // → mean 25.2 min; contained after 3, 1, 5, 2, 4 h → 3 h; resolved after 20, 6, 10, 12 h → 12 h.
    expect(await page.getByTestId('figure-MTTA').textContent()).toBe('25m 12s');
    expect(await page.getByTestId('figure-Contain').textContent()).toBe('3h 00m');
    expect(await page.getByTestId('figure-Resolve').textContent()).toBe('12h 00m');
    await expect.poll(() => report.getByText('1 drills excluded').count()).toBe(1);
    // Bars were drawn (recharts renders one path per bar); at least one per seeded group.
    const charts = page.getByTestId('metrics-charts');
    await charts.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await charts.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(4);

    await page.screenshot({ path: `${ARTIFACTS}metrics-page.png`, fullPage: true });

    // Narrow to one plan: the figures follow.
    await choose(page, 'Figures for', 'NIST-style team procedures');
    await expect.poll(() => page.getByTestId('figure-Incidents').textContent()).toBe('2');

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/metrics\?from=\d{4}-\d{2}-\d{2}&format=csv$/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.split('\n')[0]).toContain('group');
    expect(csv).toContain('critical');

    // All time: the same two for that plan (the drill, under the other plan, never joins).
    await page.getByText('All time', { exact: true }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe('/api/v1/metrics?format=csv');
    expect(await page.getByTestId('figure-Incidents').textContent()).toBe('2');

    // A reversed custom period is named, not sent.
    await page.getByText('Custom', { exact: true }).click();
    await page.getByLabel('From').fill('2026-05-01');
    await page.getByLabel('Until (not including)').fill('2026-04-01');
    await page.getByText('Choose a valid period').waitFor();
    expect(await page.getByText('Must be after the start date').count()).toBe(1);
  });
});
