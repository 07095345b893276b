/**
 * The post-incident report as a PDF, printed by headless Chromium, for a fixture incident
 * under iso27001-library (000) and nist-team-procedures (002). Each PDF and its pages as
 * PNG (pdftoppm) land in test/artifacts/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iso27001Incident, nistTeamIncident } from '../support/after-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterEach(async () => {
  await app.close();
});

function pdfToPngs(pdf: Buffer, name: string): { text: string; pages: string[] } {
  for (const f of readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))) rmSync(join(ARTIFACTS, f));
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', file, join(ARTIFACTS, name)]);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  return { text, pages: readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort() };
}

describe('post-incident report PDF', () => {
  it('000 iso27001-library', async () => {
    const id = await iso27001Incident(app);
    const pdf = await app.reviews.renderPdf(id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = pdfToPngs(pdf, 'post-incident-000-iso27001-library');
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(text).toContain('Post-Incident Report');
    expect(text).toContain('Time to contain: 5 h 0 min');
    expect(text).toContain('Add a constant-time lint rule to CI');
    expect(text).toContain('Page 1 of');
  });

  it('002 nist-team-procedures', async () => {
    const id = await nistTeamIncident(app);
    const pdf = await app.reviews.renderPdf(id);
    const { text, pages } = pdfToPngs(pdf, 'post-incident-002-nist-team-procedures');
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(text).toContain('Incident report');
    expect(text).toContain('Time to discovery: 15 min');
    expect(text).toContain('Credential stuffing');
  });
});
