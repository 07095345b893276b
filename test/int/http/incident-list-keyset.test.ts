/**
 * The incident list costs what its page costs, not what the table holds (bench/scaling.ts:
 * 100,000 incidents took 3 s a page, because every row was read and sorted): when the
 * columns decide visibility, the total is a SQL count, the page a keyset walk with LIMIT
 * over index `incidents_list`, and only the page's states are read. Need-to-know incidents
 * stay invisible to non-members: the pages still hold exactly what the policy allows.
 */
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { policy } from '../../../src/http/policy.js';
import { incidentHeadsQuery } from '../../../src/store/incident-store.js';
import { createHttpHarness, type HttpHarness, type SignedIn } from '../../support/http-harness.js';

interface ListPage {
  items: { incident: { id: string } }[];
  nextCursor: string | null;
  total: number;
}

describe('incident list by keyset', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
    // A run of restricted incidents longer than a page, among open ones; some confirmed.
    for (let i = 0; i < 16; i += 1) {
      const restricted = i >= 4 && i < 11;
      const id = await h.report(restricted ? 'admin' : 'responder', { title: `Incident ${i}`, restricted });
      if (i % 3 === 0) expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/triage`, { decision: 'confirm', severity: 'high' })).statusCode).toBe(200);
    }
    const restrictedOne = (await h.app.incidents.list()).find((s) => s.restricted);
    await h.call('admin', 'POST', `/api/v1/incidents/${restrictedOne!.id}/members`, { user: 'viewer' });
  });
  afterAll(async () => h.close());

  async function pages(who: SignedIn, query: string): Promise<{ ids: string[]; totals: number[]; sizes: number[] }> {
    const ids: string[] = [];
    const totals: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await h.call(who, 'GET', `/api/v1/incidents?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json<ListPage>();
      ids.push(...page.items.map((item) => item.incident.id));
      totals.push(page.total);
      sizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, totals, sizes };
  }

  it('given each principal and filters, when paging, then full pages hold exactly what the policy allows, in order', async () => {
    const all = await h.app.incidents.list();
    for (const who of ['admin', 'responder', 'viewer', 'outsider', 'reporter'] as const) {
      for (const [query, kind] of [['', undefined], ['&kind=incident', 'incident'], ['&kind=event&status=investigating', 'event']] as const) {
        const expected = all.filter((s) => policy.canSeeIncident(h.users[who], s) && (!kind || s.kind === kind)).map((s) => s.id);
        const { ids, totals, sizes } = await pages(who, query);
        expect(ids, `${who} ${query}`).toEqual(expected);
        expect(new Set(totals), `${who} ${query}`).toEqual(new Set([expected.length]));
        // Invisible restricted rows are skipped without leaving short pages behind.
        expect(sizes.slice(0, -1).every((n) => n === 2), `${who} ${query}`).toBe(true);
      }
    }
  });

  it('given an admin, when a page is listed, then the total is counted in SQL and only the page is read', async () => {
    const count = vi.spyOn(h.app.incidents, 'count');
    const heads = vi.spyOn(h.app.incidents, 'listHeads');
    const getMany = vi.spyOn(h.app.incidents, 'getMany');
    try {
      const page = (await h.call('admin', 'GET', '/api/v1/incidents?limit=3')).json<ListPage>();
      expect(page.items).toHaveLength(3);
      expect(page.total).toBe(16);
      expect(count).toHaveBeenCalledTimes(1);
      expect(heads.mock.calls.map(([filter]) => filter?.limit)).toEqual([4]);
      expect(getMany.mock.calls.reduce((n, [ids]) => n + ids.length, 0)).toBe(3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('given a responder, when a page is listed, then only restricted rows and the page are read whole', async () => {
    const heads = vi.spyOn(h.app.incidents, 'listHeads');
    const getMany = vi.spyOn(h.app.incidents, 'getMany');
    try {
      const page = (await h.call('responder', 'GET', '/api/v1/incidents?limit=3')).json<ListPage>();
      expect(page.items).toHaveLength(3);
      for (const [filter] of heads.mock.calls) expect(filter?.limit !== undefined || filter?.restricted === true).toBe(true);
      expect(getMany.mock.calls.reduce((n, [ids]) => n + ids.length, 0)).toBeLessThanOrEqual(7 + 3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('given SQLite, when a page after a cursor is planned, then it walks a covering list index without sorting', async () => {
    if (h.app.store.dialect !== 'sqlite') return;
    for (const filter of [{}, { kind: 'incident' as const }, { kind: 'incident' as const, restricted: false }, { status: ['investigating'] }]) {
      const compiled = incidentHeadsQuery(h.app.store.db, { ...filter, after: { reportedAt: '9999', id: 'ZZZ' }, limit: 51 }).compile();
      const plan = await h.app.store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
      const details = plan.rows.map((r) => r.detail).join('\n');
      expect(details, JSON.stringify(filter)).toMatch(/USING COVERING INDEX incidents_(status_)?list\b/);
      expect(details, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    }
  });
});
