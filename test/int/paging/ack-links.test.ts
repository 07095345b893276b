/**
 * Acknowledge links under abuse, and the pager's fall-through, over the real HTTP server
 * (inject) with a real webhook receiver catching the pages: a GET never acknowledges;
 * reuse, expiry, tampering and a token in the URL only get a 4xx page and change nothing;
 * a token acknowledges only its own incident, as its own person; guessing runs into the
 * per-address budget. A vacant-role level falls through to the next at once. A plan whose
 * escalation reaches nobody is named on the dashboard and in the start-up warning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reachabilityWarnings } from '../../../src/app/paging/paging-service.js';
import { addContactPoint } from '../../../src/integrations/delivery/contact-points.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { minutes } from '../../support/test-app.js';
import { firedEvents } from '../scheduler/scheduler-fixtures.js';
import { type HttpReceiver, startHttpReceiver } from '../delivery/loopback-receivers.js';
import { addPerson, POLICY_PLAN, policyPlanDir } from './paging-fixtures.js';

let h: HttpHarness;
let hook: HttpReceiver;
let plans: ReturnType<typeof policyPlanDir>;

beforeEach(async () => {
  hook = await startHttpReceiver([200]);
  plans = policyPlanDir('ic-then-ivy');
  h = await createHttpHarness({}, { planDirs: [plans.dir] });
  await addPerson(h, 'ivy');
  await addContactPoint(h.app.store.db, { user: 'ivy', kind: 'webhook', target: hook.url }, h.app.time.now());
  await h.app.paging.savePolicy({ id: 'ic-then-ivy', name: 'IC, then Ivy', levels: [{ targets: [{ role: 'ic' }], wait: '5m' }, { targets: [{ user: 'ivy' }], wait: '10m' }] }, 'admin');
});

afterEach(async () => {
  await h.close();
  await hook.close();
  plans.remove();
});

async function reportAndPage(title = 'Strange process on the CI runner'): Promise<{ id: string; token: string }> {
  const { state } = await h.app.incidents.report(POLICY_PLAN, { type: 'report', title, reporter: { anonymous: false, name: 'rita' } }, { actor: 'rita' });
  await h.app.scheduler.tick();
  const last = hook.requests.at(-1);
  const token = /\/ack\/(fback_[A-Za-z0-9_-]+)/.exec(last ? (JSON.parse(last.body) as { body: string }).body : '')?.[1];
  if (!token) throw new Error('no page with an acknowledge link arrived');
  return { id: state.id, token };
}

const form = (token: string) => ({ payload: `token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const post = (token: string) => h.server.inject({ method: 'POST', url: '/ack', ...form(token) });

describe('fall-through', () => {
  it('pages level 2 at once when level 1 is a vacant role, and says why on the timeline', async () => {
    const { id } = await reportAndPage();
    const [fired] = await firedEvents(h.app, id);
    expect(fired!.occurredAt).toBe((await h.app.incidents.get(id)).reportedAt);
    expect(fired!.data).toMatchObject({ clock: 'ack:escalation:1', level: 2, policy: 'ic-then-ivy', notified: ['ivy (webhook)'], fellThrough: [{ level: 1, reason: 'role ic is vacant' }], next: null });
  });
});

describe('acknowledge links', () => {
  it('a GET (a link scanner) shows the confirm page and acknowledges nothing; the POST acknowledges as the link’s person', async () => {
    const { id, token } = await reportAndPage();
    const get = await h.server.inject({ method: 'GET', url: `/ack/${token}` });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-security-policy']).toContain("default-src 'none'");
    expect(get.body).toContain('<form method="post" action="/ack">');
    expect(get.body).not.toContain('<script');
    expect(get.body).toContain('Strange process on the CI runner');
    expect((await h.app.incidents.get(id)).acknowledgedAt).toBeNull();

    const done = await post(token);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`${id} acknowledged`);
    const state = await h.app.incidents.get(id);
    expect([state.acknowledgedBy, state.acknowledgedAt]).toEqual(['ivy', h.app.time.now().toISOString()]);
  });

  it('a reused link gets 410 and changes nothing', async () => {
    const { id, token } = await reportAndPage();
    expect((await post(token)).statusCode).toBe(200);
    const version = (await h.app.incidents.get(id)).version;
    const again = await post(token);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already used');
    expect((await h.server.inject({ method: 'GET', url: `/ack/${token}` })).statusCode).toBe(410);
    expect((await h.app.incidents.get(id)).version).toBe(version);
  });

  it('an expired link gets 410 and changes nothing; the escalation goes on', async () => {
    const { id, token } = await reportAndPage();
    h.app.time.advance(minutes(24 * 60));
    const late = await post(token);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('expired');
    const state = await h.app.incidents.get(id);
    expect(state.acknowledgedAt).toBeNull();
  });

  it('a tampered or made-up token gets 404 and changes nothing', async () => {
    const { id, token } = await reportAndPage();
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [tampered, 'fback_short', 'not-a-token', `${token}x`]) {
      expect((await post(bad)).statusCode).toBe(404);
      expect((await h.server.inject({ method: 'GET', url: `/ack/${encodeURIComponent(bad)}` })).statusCode).toBe(404);
    }
    expect((await h.app.incidents.get(id)).acknowledgedAt).toBeNull();
  });

  it('a token acknowledges only its own incident, and only with the token in the body', async () => {
    const first = await reportAndPage('First');
    const second = await reportAndPage('Second');
    // The URL alone is not enough: no form body, no acknowledgement.
    expect((await h.server.inject({ method: 'POST', url: `/ack/${first.token}` })).statusCode).toBe(404);
    const empty = await h.server.inject({ method: 'POST', url: '/ack', ...form('') });
    expect(empty.statusCode).toBe(400);
    expect((await h.app.incidents.get(first.id)).acknowledgedAt).toBeNull();

    expect((await post(first.token)).statusCode).toBe(200);
    expect((await h.app.incidents.get(first.id)).acknowledgedBy).toBe('ivy');
    expect((await h.app.incidents.get(second.id)).acknowledgedAt).toBeNull();
    const ack = (await h.app.incidents.timeline(first.id)).filter((e) => e.type === 'acknowledged');
    expect(ack.map((e) => [e.actor, e.data])).toEqual([['ivy', { by: 'ivy', via: 'link' }]]);
  });

  it('guessing runs into the per-address budget (429) long before it could find a token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) statuses.push((await h.server.inject({ method: 'GET', url: `/ack/fback_guess${i}`, remoteAddress: '203.0.113.9' })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it('an acknowledgement from the API says so on the timeline, and no further step is paged', async () => {
    const { id } = await reportAndPage();
    const response = await h.call('responder', 'POST', `/api/v1/incidents/${id}/ack`, {});
    expect(response.statusCode).toBe(200);
    const ack = (await h.app.incidents.timeline(id)).filter((e) => e.type === 'acknowledged');
    expect(ack.map((e) => e.data)).toEqual([{ by: 'responder', via: 'api' }]);
    const pagesBefore = hook.requests.length;
    h.app.time.advance(minutes(60));
    await h.app.scheduler.tick();
    expect(hook.requests.length).toBe(pagesBefore);
  });
});

describe('reachability', () => {
  it('names a plan whose escalation reaches nobody on the dashboard and in the start-up warning, and not once it can', async () => {
    const dashboard = async () => (await h.call('viewer', 'GET', '/api/v1/dashboard')).json() as { unreachablePlans: { planId: string; problems: string[] }[] };
    // Built-in plans escalate to roles nobody holds yet, with no channel configured.
    const before = await dashboard();
    const nist = before.unreachablePlans.find((p) => p.planId === 'nist-800-61r3');
    expect(nist?.problems).toEqual(expect.arrayContaining(['level 1: role ic is vacant', 'level 2: role tech-lead is vacant']));
    expect(nist?.problems.some((p) => /has no channel configured \(firebreak channels set/.test(p))).toBe(true);
    expect(before.unreachablePlans.some((p) => p.planId === POLICY_PLAN)).toBe(false);
    const warnings = reachabilityWarnings(await h.app.paging.reachability());
    expect(warnings.find((w) => w.startsWith('plan nist-800-61r3 '))).toMatch(/would page nobody — level 1: role ic is vacant/);

    // Ivy loses her only contact point: the policy plan now reaches nobody either.
    await h.app.store.db.deleteFrom('contact_points').where('user_handle', '=', 'ivy').execute();
    const after = await dashboard();
    expect(after.unreachablePlans.find((p) => p.planId === POLICY_PLAN)?.problems).toEqual(expect.arrayContaining(['level 1: role ic is vacant', 'level 2: ivy has no contact point']));
  });
});
