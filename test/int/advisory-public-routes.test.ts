/**
 * The public advisory pages over a real HTTP server on loopback: an embargoed advisory is
 * absent from the index, the feed, its page and its OSV URL until its date, then appears
 * exactly once; drafts never appear; advisory text is escaped.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { SCENARIOS } from '../support/advisory-scenarios.js';
import { validateOsv } from '../support/export-validators.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const scenario = SCENARIOS[0]!;

describe('public advisories', () => {
  let app: TestApp;
  let server: FastifyInstance;
  let base: string;
  let embargoed: string;
  let draft: string;
  const releaseAt = '2026-03-20T12:00:00.000Z';

  beforeAll(async () => {
    app = await createTestApp();
    const reported = await app.incidents.report(scenario.planId, { type: 'report', title: scenario.incidentTitle, reporter: scenario.reporter }, { actor: 'intake' });
    const incidentId = reported.state.id;
    await app.incidents.execute(incidentId, { type: 'triage', decision: 'confirm', severity: 'P2' }, { actor: 'lead' });
    for (const item of scenario.items) await app.incidents.execute(incidentId, { type: 'complete_item', item }, { actor: 'lead' });
    const advisory = await app.advisories.draft(incidentId, { ...scenario.content, title: 'Timing side channel <script>alert(1)</script>' }, { actor: 'author' });
    embargoed = advisory.state.id;
    await app.advisories.execute(embargoed, { type: 'submit' }, { actor: 'author' });
    await app.advisories.execute(embargoed, { type: 'approve' }, { actor: 'reviewer' });
    await app.advisories.execute(embargoed, { type: 'schedule', releaseAt }, { actor: 'author' });
    draft = (await app.advisories.draft(incidentId, { title: 'Unfinished draft' }, { actor: 'author' })).state.id;
    server = await buildServer({ app, logger: false });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await server?.close();
    await app?.close();
  });

  const get = (path: string) => fetch(`${base}${path}`);
  const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

  it('hides the embargoed and the draft advisory everywhere before the embargo ends', async () => {
    app.time.set('2026-03-20T11:59:59.000Z');
    const index = await (await get('/advisories')).text();
    expect(index).toContain('No advisories have been published.');
    expect(index).not.toContain(embargoed);
    expect(index).not.toContain(draft);
    const feed = await (await get('/advisories/feed.atom')).text();
    expect(feed).not.toContain('<entry>');
    expect((await get(`/advisories/${embargoed}`)).status).toBe(404);
    const osv = await get(`/advisories/${embargoed}.osv.json`);
    expect(osv.status).toBe(404);
    expect(await osv.json()).toMatchObject({ code: 'FB_ERR_ADVISORY_NOT_FOUND' });
    expect(await (await get('/advisories/osv/all.json')).json()).toEqual([]);
    expect((await get(`/advisories/${draft}`)).status).toBe(404);
  });

  it('shows it exactly once when the embargo date arrives, with no job run', async () => {
    app.time.set(releaseAt);
    const indexResponse = await get('/advisories');
    expect(indexResponse.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const index = await indexResponse.text();
    expect(occurrences(index, `>${embargoed}</a>`)).toBe(1);
    expect(index).not.toContain(draft);

    const feedResponse = await get('/advisories/feed.atom');
    expect(feedResponse.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = await feedResponse.text();
    expect(occurrences(feed, '<entry>')).toBe(1);
    expect(feed).toContain(`<id>${base}/advisories/${embargoed}</id>`);
    expect(feed).toContain(`<published>${releaseAt}</published>`);

    const page = await get(`/advisories/${embargoed}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Timing side channel &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<script>');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");

    const osv = await get(`/advisories/${embargoed}.osv.json`);
    expect(osv.status).toBe(200);
    const record = await osv.json();
    expect(validateOsv(record).errors).toEqual([]);
    expect(record).toMatchObject({ id: `x_${embargoed}`, published: releaseAt, aliases: ['CVE-2026-31337'] });

    const all = (await (await get('/advisories/osv/all.json')).json()) as { id: string }[];
    expect(all.map((r) => r.id)).toEqual([`x_${embargoed}`]);
  });

  it('answers 400 for something that is not an advisory id, and 404 for an unknown one', async () => {
    expect((await get('/advisories/..%2F..%2Fetc')).status).toBe(400);
    expect((await get('/advisories/ESA-1999-999')).status).toBe(404);
  });
});
