/**
 * The security headers on every kind of response: the API (JSON and problem+json), the
 * web app's index.html and its files, and a download, which comes as an attachment. The
 * public report form keeps its own stricter CSP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'firebreak-web-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Firebreak app</title><script type="module" src="/app.js"></script>');
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  h = await createHttpHarness({ webDist: dist });
});
afterAll(async () => {
  await h.close();
  rmSync(dist, { recursive: true, force: true });
});

function expectStrictHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('security headers', () => {
  it('are on API answers, successful and refused', async () => {
    const ok = await h.call('admin', 'GET', '/api/v1/plans');
    expect(ok.statusCode).toBe(200);
    expectStrictHeaders(ok.headers);
    const missing = await h.call('anonymous', 'GET', '/api/v1/nothing');
    expect(missing.statusCode).toBe(404);
    expectStrictHeaders(missing.headers);
    expectStrictHeaders((await h.call('anonymous', 'GET', '/api/v1/incidents')).headers);
  });

  it('are on the web app, its deep links and its files', async () => {
    for (const path of ['/', '/incidents/INC-2026-0001', '/app.js']) {
      const page = await h.call('anonymous', 'GET', path);
      expect(page.statusCode, path).toBe(200);
      expectStrictHeaders(page.headers);
    }
  });

  it('serve a download as an attachment', async () => {
    const id = await h.report('responder');
    const download = await h.call('admin', 'GET', `/api/v1/incidents/${id}/export`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${id}.json"`);
    expectStrictHeaders(download.headers);
  });

  it('leave the public report form its own stricter policy', async () => {
    const form = await h.call('anonymous', 'GET', '/report');
    expect(form.statusCode).toBe(200);
    expect(String(form.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(form.headers['x-frame-options']).toBe('DENY');
  });
});
