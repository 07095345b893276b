/**
 * Markdown written into incidents is shown formatted but can never run code in the
 * viewer's browser. An XSS corpus (script tags, `javascript:` links, event-handler
 * attributes, SVG and MathML payloads, encoded schemes) goes into an event summary, a
 * note and a sitrep — typed in the browser and previewed, and sent through the API — and
 * Chromium then renders the triage view, the composer preview and the timeline. Any
 * execution would set `window.__xss` or open a dialog; neither may happen, and no
 * dangerous element or attribute may reach the DOM.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, signInApi } from './support/api-session.js';
import { launchBrowser, newContext, signIn } from './support/browser.js';
import { ADMIN, type RunningServer, startServer } from './support/server.js';

const CORPUS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img-onerror\'">',
  '<svg onload="window.__xss = \'svg-onload\'"><circle r="5"/></svg>',
  '<svg><script>window.__xss = "svg-script"</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=\'mxss\'">',
  '<iframe src="javascript:window.top.__xss=\'iframe\'"></iframe>',
  '<a href="javascript:window.__xss=\'raw-link\'">raw link</a>',
  '[md link](javascript:window.__xss=\'md-link\')',
  '[encoded](&#106;avascript:window.__xss=\'entity-link\')',
  '[mixed case](JaVaScRiPt:alert(1))',
  '[data url](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![img](javascript:alert(1))',
  '<div onmouseover="window.__xss=\'hover\'">hover me</div>',
  '<details open ontoggle="window.__xss=\'toggle\'">x</details>',
  '<form><button formaction="javascript:alert(1)">go</button></form>',
  '<body onload="alert(1)">',
  '"><img src=x onerror=alert(1)>',
  '`<script>alert("in code is fine: shown as text")</script>`',
  '[ok link](https://example.org/advisory)',
].join('\n\n');

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: ApiSession;
const dialogs: string[] = [];

beforeAll(async () => {
  server = await startServer();
  api = await signInApi(server.url, ADMIN);
  browser = await launchBrowser();
  context = await newContext(browser, server.url);
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Nothing ran, and nothing that could run is in the rendered Markdown. */
async function assertInert(where: string): Promise<void> {
  await page.waitForTimeout(300); // give an onerror/onload a chance to fire
  const report = await page.evaluate(() => {
    const roots = [...document.querySelectorAll('.fb-markdown')];
    const all = roots.flatMap((root) => [...root.querySelectorAll('*')]);
    return {
      flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
      markdownBlocks: roots.length,
      dangerousTags: all.filter((el) => ['SCRIPT', 'IFRAME', 'SVG', 'MATH', 'IMG', 'STYLE', 'FORM', 'BUTTON', 'OBJECT', 'EMBED'].includes(el.tagName.toUpperCase())).map((el) => el.tagName),
      handlerAttributes: all.flatMap((el) => [...el.attributes].filter((attr) => attr.name.toLowerCase().startsWith('on')).map((attr) => `${el.tagName}[${attr.name}]`)),
      badLinks: all
        .filter((el) => el.tagName === 'A' && el.getAttribute('href') !== null)
        .map((el) => el.getAttribute('href') ?? '')
        .filter((href) => !/^(https?:|mailto:|#|\/)/i.test(href.trim())),
      safeLinks: all.filter((el) => el.tagName === 'A' && el.getAttribute('href') === 'https://example.org/advisory').length,
    };
  });
  expect(report.markdownBlocks, `${where}: rendered Markdown present`).toBeGreaterThan(0);
  expect(report.flag, `${where}: window.__xss`).toBeNull();
  expect(dialogs, `${where}: dialogs`).toEqual([]);
  expect(report.dangerousTags, `${where}: dangerous tags`).toEqual([]);
  expect(report.handlerAttributes, `${where}: event handlers`).toEqual([]);
  expect(report.badLinks, `${where}: non-web links`).toEqual([]);
  expect(report.safeLinks, `${where}: ordinary links still work`).toBeGreaterThan(0);
}

describe('Markdown in notes and sitreps never executes', () => {
  it('keeps an XSS corpus inert in summaries, previews, notes and sitreps', async () => {
    await signIn(page, ADMIN);
    const created = await api.call<{ incident: { id: string } }>('POST', '/incidents', { plan: 'nist-team-procedures', title: 'XSS corpus', summary: CORPUS, reporter: 'mallory' });
    const id = created.incident.id;

    // The triage view renders the reported summary.
    await page.goto(`/incidents/${id}/triage`);
    await page.getByRole('heading', { name: 'Triage' }).waitFor();
    await assertInert('event summary on the triage view');

    await api.call('POST', `/incidents/${id}/triage`, { decision: 'confirm', severity: 'low' });
    await api.call('POST', `/incidents/${id}/notes`, { text: CORPUS });
    await page.goto(`/incidents/${id}`);
    await page.locator('[data-testid="timeline-entry"][data-type="note_added"]').waitFor();
    await assertInert('note from the API in the timeline');

    // Typed into the note composer: the preview, then the posted note.
    await page.getByTestId('note-input').fill(CORPUS);
    await page.locator('label').filter({ hasText: /^Preview$/ }).first().click();
    await page.getByTestId('note-input-preview').locator('.fb-markdown').waitFor();
    await assertInert('note preview');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.locator('[data-testid="timeline-entry"][data-type="note_added"]').count(), { timeout: 30_000 }).toBe(2);
    await assertInert('note typed in the browser');

    // And a sitrep typed in the browser.
    await page.getByRole('tab', { name: 'Sitrep' }).click();
    await expect.poll(() => page.getByTestId('sitrep-input').inputValue(), { timeout: 30_000 }).not.toBe('');
    await page.getByTestId('sitrep-input').fill(CORPUS);
    await page.getByRole('button', { name: 'Post sitrep' }).click();
    await page.locator('[data-testid="timeline-entry"][data-type="sitrep_posted"]').waitFor();
    await assertInert('sitrep typed in the browser');

    // Raw HTML is shown as the text the author typed, not dropped silently.
    expect(await page.locator('[data-testid="timeline-entry"][data-type="sitrep_posted"] .fb-markdown').textContent()).toContain('<script>');
  });
});
