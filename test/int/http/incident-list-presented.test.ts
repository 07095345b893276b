/**
 * List items are presented once and reused (src/http/incidents/presented-incidents.ts).
 * What a reused item shows must never be stale: it equals the incident page's view of the
 * same incident at every moment — after a clock passes its deadline, after a new event,
 * and for every principal, who still sees only what they may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

interface Clock {
  id: string;
  state: string;
  escalation?: { reached: boolean }[];
}
interface Item {
  incident: { id: string; version: number };
  clocks: Clock[];
  mostUrgentClock: Clock | null;
}

describe('presented list items', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder', { title: 'Beaconing from a build agent' });
  });
  afterAll(async () => h.close());

  async function listed(who: 'admin' | 'viewer' | 'outsider' = 'admin'): Promise<Item | undefined> {
    const response = await h.call(who, 'GET', '/api/v1/incidents?limit=50');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return response.json<{ items: Item[] }>().items.find((item) => item.incident.id === id);
  }

  async function page(): Promise<Item> {
    return (await h.call('admin', 'GET', `/api/v1/incidents/${id}`)).json<Item>();
  }

  it('matches the incident page as the clocks pass their deadlines', async () => {
    const first = await listed();
    expect(first).toEqual(await page());
    const ack = first!.clocks.find((c) => c.id === 'ack')!;
    expect(ack.state).toBe('pending');
    // Past the acknowledgement deadline and further escalation levels: a reused item would still say pending.
    for (const minutes of [5, 11, 31, 61, 24 * 60]) {
      h.app.time.advance(minutes * 60_000);
      const item = await listed();
      expect(item).toEqual(await page());
    }
    expect((await listed())!.clocks.find((c) => c.id === 'ack')!.state).toBe('overdue');
  });

  it('shows a new event at once', async () => {
    const before = (await listed())!;
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/ack`, {})).statusCode).toBe(200);
    const after = (await listed())!;
    expect(after.incident.version).toBe(before.incident.version + 1);
    expect(after.clocks.find((c) => c.id === 'ack')!.state).toBe('met');
    expect(after).toEqual(await page());
  });

  it('is still decided per caller: a restricted incident leaves the lists of those outside it', async () => {
    expect(await listed('outsider')).toBeDefined();
    expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/restriction`, { restricted: true, reason: 'insider suspected' })).statusCode).toBe(200);
    expect(await listed('outsider')).toBeUndefined();
    expect(await listed('admin')).toEqual(await page());
  });
});
