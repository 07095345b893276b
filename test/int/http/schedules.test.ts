/**
 * On-call schedules over the API, on both back ends: who is on call now and at any
 * instant, shifts and gaps, overrides, history; and every bad input — a rotation of
 * nobody, an unknown user, an overlapping override, a bad zone or hand-over time —
 * refused with a 4xx naming the field while nothing stored changes.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness;
beforeAll(async () => {
  // T0 is Monday 2 March 2026, 09:00 UTC (10:00 in Berlin).
  h = await createHttpHarness();
});
afterAll(async () => h.close());

const weekly = {
  id: 'primary-oncall',
  name: 'Primary on-call',
  timeZone: 'Europe/Berlin',
  layers: [{ name: 'weekly', users: ['responder', 'admin'], shift: { days: 7 }, start: '2026-02-23', handover: '09:00', timeZone: 'Europe/Berlin' }],
};

async function storedState() {
  const list = (await h.call('admin', 'GET', '/api/v1/schedules')).json();
  const history = await h.call('admin', 'GET', '/api/v1/schedules/primary-oncall/history');
  return { list, history: history.statusCode === 200 ? history.json() : history.statusCode };
}

describe('on-call schedules', () => {
  it('creates a schedule and says who is on call now, at any instant, and across DST', async () => {
    const created = await h.call('responder', 'POST', '/api/v1/schedules', weekly);
    expect(created.statusCode, created.body).toBe(201);
    // Hand-over Monday 23 Feb 09:00 Berlin → responder; 2 Mar 09:00 Berlin (08:00Z) → admin.
    expect(created.json().onCallNow).toBe('admin');
    const before = await h.call('viewer', 'GET', '/api/v1/schedules/primary-oncall?from=2026-03-02T07:59:00Z&days=28');
    expect(before.statusCode, before.body).toBe(200);
    const body = before.json();
    expect(body.onCallAtFrom).toBe('responder');
    expect(body.gaps).toEqual([]);
    // The clocks change on 29 March: the 30 March hand-over is still 09:00 in Berlin, now 07:00Z.
    expect(body.shifts.map((s: { user: string; start: string }) => `${s.user} ${s.start}`)).toEqual([
      'responder 2026-03-02T07:59:00.000Z',
      'admin 2026-03-02T08:00:00.000Z',
      'responder 2026-03-09T08:00:00.000Z',
      'admin 2026-03-16T08:00:00.000Z',
      'responder 2026-03-23T08:00:00.000Z',
      'admin 2026-03-30T07:00:00.000Z',
    ]);
  });

  it('puts an override on top, lists history, and takes the override away again', async () => {
    const added = await h.call('responder', 'POST', '/api/v1/schedules/primary-oncall/overrides', { user: 'viewer', start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' });
    expect(added.statusCode, added.body).toBe(201);
    const day = (await h.call('viewer', 'GET', '/api/v1/schedules/primary-oncall?from=2026-03-03T12:00:00Z&days=1')).json();
    expect(day.onCallAtFrom).toBe('viewer');
    const history = (await h.call('viewer', 'GET', '/api/v1/schedules/primary-oncall/history')).json();
    expect(history.changes.map((c: { change: string; changedBy: string }) => `${c.change} by ${c.changedBy}`)).toEqual(['created by responder', 'override-added by responder']);
    const removed = await h.call('admin', 'DELETE', `/api/v1/schedules/primary-oncall/overrides/${added.json().id}`);
    expect(removed.statusCode).toBe(204);
    expect((await h.call('viewer', 'GET', '/api/v1/schedules/primary-oncall?from=2026-03-03T12:00:00Z&days=1')).json().onCallAtFrom).toBe('admin');
  });

  it.each([
    ['a rotation of nobody', { ...weekly, id: 'empty', layers: [{ ...weekly.layers[0], users: [] }] }, 'layers.0.users', 400],
    ['an unknown user', { ...weekly, id: 'typo', layers: [{ ...weekly.layers[0], users: ['responder', 'bobb'] }] }, 'layers.0.users.1', 400],
    ['an unknown zone', { ...weekly, id: 'zone', timeZone: 'Europe/Atlantis' }, 'timeZone', 400],
    ['a bad hand-over time', { ...weekly, id: 'time', layers: [{ ...weekly.layers[0], handover: '9am' }] }, 'layers.0.handover', 400],
    ['a misspelt key', { ...weekly, id: 'typo-key', layers: [{ ...weekly.layers[0], handsover: '09:00' }] }, 'layers.0', 400],
    ['an id that exists', weekly, undefined, 409],
  ])('refuses %s naming the field, and changes nothing', async (_what, body, field, status) => {
    const before = await storedState();
    const response = await h.call('admin', 'POST', '/api/v1/schedules', body);
    expect(response.statusCode, response.body).toBe(status);
    if (field) expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(await storedState()).toEqual(before);
  });

  it('refuses an overlapping override, an unknown override user and an end before the start, and changes nothing', async () => {
    const first = await h.call('admin', 'POST', '/api/v1/schedules/primary-oncall/overrides', { user: 'viewer', start: '2026-03-10T00:00:00Z', end: '2026-03-11T00:00:00Z' });
    expect(first.statusCode).toBe(201);
    const before = await storedState();
    const overlap = await h.call('admin', 'POST', '/api/v1/schedules/primary-oncall/overrides', { user: 'responder', start: '2026-03-10T12:00:00Z', end: '2026-03-12T00:00:00Z' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().fields[0].path).toBe('start');
    expect(overlap.json().detail).toContain('viewer');
    const unknown = await h.call('admin', 'POST', '/api/v1/schedules/primary-oncall/overrides', { user: 'nobody-here', start: '2026-03-20T00:00:00Z', end: '2026-03-21T00:00:00Z' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().fields[0].path).toBe('user');
    const backwards = await h.call('admin', 'POST', '/api/v1/schedules/primary-oncall/overrides', { user: 'viewer', start: '2026-03-21T00:00:00Z', end: '2026-03-20T00:00:00Z' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().fields[0].path).toBe('end');
    expect(await storedState()).toEqual(before);
  });

  it('lets viewers read but not edit, and keeps reporters out', async () => {
    expect((await h.call('viewer', 'POST', '/api/v1/schedules', { ...weekly, id: 'viewer-made' })).statusCode).toBe(403);
    expect((await h.call('reporter', 'GET', '/api/v1/schedules')).statusCode).toBe(403);
    expect((await h.call('anonymous', 'GET', '/api/v1/schedules')).statusCode).toBe(401);
    expect((await h.call('viewer', 'GET', '/api/v1/schedules/no-such')).statusCode).toBe(404);
  });
});

describe('calendar feed of one person’s shifts', () => {
  async function feedUrl(who: 'responder' | 'admin'): Promise<string> {
    const response = await h.call(who, 'POST', '/api/v1/me/calendar-feed');
    expect(response.statusCode, response.body).toBe(201);
    return new URL(response.json().url).pathname;
  }

  it('is read back by a second iCalendar library (ical.js) as exactly the shifts the schedule computes', async () => {
    const secret = await h.report('responder', { title: 'Merger data exfiltration', summary: 'Board files copied', restricted: true });
    const path = await feedUrl('responder');
    const feed = await h.server.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(feed.body));
    const parsed = calendar
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v))
      .map((e) => ({ start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), summary: e.summary }));
    const now = h.app.time.now().getTime();
    const expected = await h.app.schedules.shiftsOf('responder', new Date(now - 7 * 86_400_000), new Date(now + 85 * 86_400_000));
    expect(expected.length).toBeGreaterThan(3);
    expect(parsed).toEqual(expected.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), summary: `On call: ${s.scheduleName}` })));
    // Only the owner's shifts: every event names the owner and nobody else.
    const descriptions = calendar.getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('description')));
    expect(descriptions.every((d) => d.startsWith('responder is on call for '))).toBe(true);
    expect(feed.body).not.toMatch(/admin|viewer/);
    // Nothing of any incident, least of all a restricted one the owner is a member of.
    expect(feed.body).not.toContain(secret);
    expect(feed.body).not.toMatch(/Merger|Board files|INC-/);
  });

  it('answers an unknown, malformed, rotated or revoked link with the same bare 404', async () => {
    const old = await feedUrl('admin');
    const current = await feedUrl('admin');
    expect(current).not.toBe(old);
    const answers = [];
    for (const url of [old, '/calendar/not-a-token.ics', `/calendar/${'A'.repeat(43)}.ics`, current.replace(/\.ics$/, '')]) {
      const response = await h.server.inject({ method: 'GET', url });
      answers.push([response.statusCode, response.body]);
    }
    expect(answers).toEqual(Array(4).fill([404, 'Not found\n']));
    expect((await h.server.inject({ method: 'GET', url: current })).statusCode).toBe(200);
    expect((await h.call('admin', 'DELETE', '/api/v1/me/calendar-feed')).statusCode).toBe(204);
    expect((await h.server.inject({ method: 'GET', url: current })).statusCode).toBe(404);
    expect((await h.call('admin', 'DELETE', '/api/v1/me/calendar-feed')).statusCode).toBe(404);
  });
});
