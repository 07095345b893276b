/**
 * The incident list parses only the states it must: it decides visibility from the
 * projection's columns where it can and loads the page's states, instead of parsing every
 * incident (linear in the number of incidents: a 100,000-incident dashboard took seconds;
 * bench/scaling.ts). Whatever it parses, every principal still gets exactly the incidents
 * `policy.canSeeIncident` allows, in order, with the same total and cursor pages.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { policy } from '../../../src/http/policy.js';
import { createHttpHarness, type HttpHarness, type SignedIn } from '../../support/http-harness.js';

interface ListPage {
  items: { incident: { id: string } }[];
  nextCursor: string | null;
  total: number;
}

describe('incident list without parsing every state', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
    for (let i = 0; i < 14; i += 1) {
      const who: SignedIn = i % 4 === 0 ? 'reporter' : i % 4 === 1 ? 'responder' : 'admin';
      const restricted = i % 3 === 0 && who !== 'reporter';
      await h.report(who, { title: i % 5 === 0 ? `Phishing wave ${i}` : `Lost laptop ${i}`, restricted });
    }
    const [restrictedOne] = (await h.app.incidents.list()).filter((s) => s.restricted);
    await h.call('admin', 'POST', `/api/v1/incidents/${restrictedOne!.id}/members`, { user: 'viewer' });
  });
  afterAll(async () => h.close());

  async function pages(who: SignedIn, query: string): Promise<{ ids: string[]; totals: number[] }> {
    const ids: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await h.call(who, 'GET', `/api/v1/incidents?limit=4${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json<ListPage>();
      ids.push(...page.items.map((item) => item.incident.id));
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, totals };
  }

  it('given each principal and a text search, when paging, then the pages hold exactly what the policy allows, in order', async () => {
    const all = await h.app.incidents.list();
    for (const who of ['admin', 'responder', 'viewer', 'reporter', 'outsider'] as const) {
      for (const [query, text] of [['', undefined], ['&q=phishing', 'phishing']] as const) {
        const expected = all.filter((s) => policy.canSeeIncident(h.users[who], s) && (!text || s.title.toLowerCase().includes(text))).map((s) => s.id);
        const { ids, totals } = await pages(who, query);
        expect(ids, `${who} ${query}`).toEqual(expected);
        expect(new Set(totals), `${who} ${query}`).toEqual(new Set([expected.length]));
      }
    }
  });

  it('given an admin, when a page is listed, then only the states on the page are parsed', async () => {
    const spy = vi.spyOn(h.app.incidents, 'getMany');
    try {
      const response = await h.call('admin', 'GET', '/api/v1/incidents?limit=3');
      expect(response.json<ListPage>().items).toHaveLength(3);
      const parsed = spy.mock.calls.reduce((n, [ids]) => n + ids.length, 0);
      expect(parsed).toBe(3);
    } finally {
      spy.mockRestore();
    }
  });
});
