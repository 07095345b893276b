/**
 * Prints HTML to PDF with headless Chromium (playwright-core driving the system's
 * /usr/bin/chromium, or FIREBREAK_CHROMIUM). JavaScript is off and every network request
 * is refused, so a report can only show what is in its own HTML.
 */
import { FirebreakError } from '../../domain/errors.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['FIREBREAK_CHROMIUM'] ?? '/usr/bin/chromium';
}

export interface PdfOptions {
  /** Plain text shown in the footer of every page beside the page number. */
  readonly footer: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function htmlToPdf(html: string, options: PdfOptions): Promise<Buffer> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new FirebreakError('FB_ERR_REPORT_RENDER_FAILED', 'PDF output needs playwright-core, which is not installed; use --format md');
  }
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  } catch (error) {
    throw new FirebreakError('FB_ERR_REPORT_RENDER_FAILED', `cannot start Chromium at ${chromiumPath()} (set FIREBREAK_CHROMIUM): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;padding:0 16mm;color:#666;display:flex;justify-content:space-between;font-family:sans-serif"><span>${escapeHtml(options.footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
    });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
