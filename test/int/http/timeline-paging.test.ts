/**
 * The timeline route reads a page of rows, not the whole log: its type and actor filters
 * and its limit run in SQL (an incident with a million events used to be read whole for
 * every page; bench/scaling.ts measured it). Paging with filters must still return
 * exactly what filtering the whole log would.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvents } from '../../../src/store/incident-store.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

interface Page {
  items: { seq: number; type: string; actor: string }[];
  nextAfter: number | null;
}

describe('timeline paging', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder');
    for (let i = 0; i < 24; i += 1) {
      const who = i % 3 === 0 ? 'admin' : 'responder';
      const response = i % 4 === 3 ? await h.call(who, 'POST', `/api/v1/incidents/${id}/sitreps`, { text: `sitrep ${i}` }) : await h.call(who, 'POST', `/api/v1/incidents/${id}/notes`, { text: `note ${i}` });
      expect(response.statusCode).toBe(200);
    }
  });
  afterAll(async () => h.close());

  async function allPages(query: string, limit: number): Promise<{ seqs: number[]; pages: number }> {
    const seqs: number[] = [];
    let after: number | null = 0;
    let pages = 0;
    while (after !== null) {
      const response = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?limit=${limit}${after ? `&after=${after}` : ''}${query}`);
      expect(response.statusCode).toBe(200);
      const page = response.json<Page>();
      pages += 1;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seqs.push(...page.items.map((e) => e.seq));
      after = page.nextAfter;
    }
    return { seqs, pages };
  }

  it('given filters, when paging, then the pages join up to the filtered whole log', async () => {
    const whole = await h.app.incidents.timeline(id);
    for (const [query, keep] of [
      ['', () => true],
      ['&type=note_added', (e: { type: string }) => e.type === 'note_added'],
      ['&actor=admin', (e: { actor: string }) => e.actor === 'admin'],
      ['&type=note_added,sitrep_posted&actor=admin', (e: { type: string; actor: string }) => e.actor === 'admin' && ['note_added', 'sitrep_posted'].includes(e.type)],
    ] as const) {
      const expected = whole.filter(keep as (e: { type: string; actor: string }) => boolean).map((e) => e.seq);
      expect(expected.length).toBeGreaterThan(0);
      const { seqs, pages } = await allPages(query, 4);
      expect(seqs, query).toEqual(expected);
      expect(pages, query).toBe(Math.max(1, Math.ceil(expected.length / 4)));
    }
  });

  it('when a page is asked for, then at most one row more than the page is read', async () => {
    const spy = vi.spyOn(h.app.incidents, 'timeline');
    try {
      const response = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?limit=5&after=3`);
      expect(response.json<Page>().items.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
      expect(response.json<Page>().nextAfter).toBe(8);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[1]).toMatchObject({ afterSeq: 3, limit: 6 });
      expect((await spy.mock.results[0]?.value)?.length).toBe(6);
    } finally {
      spy.mockRestore();
    }
  });

  it('given an empty type list, then no events match', async () => {
    expect(await loadEvents(h.app.store.db, id, { types: [] })).toEqual([]);
    expect((await loadEvents(h.app.store.db, id, { types: ['sitrep_posted'], limit: 2 })).map((e) => e.type)).toEqual(['sitrep_posted', 'sitrep_posted']);
  });

  // The OpenAPI fuzzer (PostgreSQL, seed 1054116562) got a 500 for after=6549692299810885:
  // seq is a 32-bit integer column there, and the value reached the query.
  it('given an after beyond any seq a log can hold, then it is a 400 naming it, on every back end', async () => {
    for (const after of ['2147483648', '6549692299810885']) {
      const response = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?after=${after}`);
      expect(response.statusCode, after).toBe(400);
      expect(response.body).toContain('after');
    }
    const last = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/timeline?after=2147483647`);
    expect(last.statusCode).toBe(200);
    expect(last.json<Page>().items).toEqual([]);
  });
});
