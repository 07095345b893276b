/**
 * The whole paging path, with real parts: an alert ingested over loopback HTTP → level 1
 * (the on-call person of `primary`) paged by e-mail (a real smtp-server) and webhook (a
 * real HTTP receiver) as soon as the scheduler runs → nobody acknowledges → level 2 (the
 * `secondary` schedule, whose hourly rotation changed hands since the report) paged after
 * its 10-minute wait → the acknowledge link from that e-mail opened in Chromium (GET shows
 * the confirm page and changes nothing; the button POSTs) → the escalation stops: with the
 * clock moved past every later level, no page is sent → the timeline holds every page and
 * the acknowledgement, and `verify` passes. Time is a manual clock.
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { addContactPoint } from '../../../src/integrations/delivery/contact-points.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { minutes } from '../../support/test-app.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '../delivery/loopback-receivers.js';
import { ackLinkIn, addPerson, POLICY_PLAN, policyPlanDir } from './paging-fixtures.js';

const START = '2026-03-02T09:55:00.000Z';
let h: HttpHarness;
let smtp: SmtpReceiver;
let hook: HttpReceiver;
let browser: Browser;
let plans: ReturnType<typeof policyPlanDir>;
let baseUrl: string;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  hook = await startHttpReceiver([200]);
  plans = policyPlanDir('security-oncall');
  h = await createHttpHarness({}, { start: START, planDirs: [plans.dir], delivery: { mail: { smtpUrl: smtp.url, from: 'Firebreak <pager@example.org>' } } });
  baseUrl = await h.listen();
  browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await smtp?.close();
  await hook?.close();
  plans?.remove();
});

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
const hooksFor = (handle: string) => hook.requests.filter((r) => (JSON.parse(r.body) as { body: string }).body.includes(`/ack/`) && r.headers['x-firebreak-delivery'] && hookOwners.get(String(r.headers['x-firebreak-delivery'])) === handle);
const hookOwners = new Map<string, string>();

async function learnHookOwners(): Promise<void> {
  for (const d of await h.app.deliveries.list({})) if (d.channel === 'webhook') hookOwners.set(d.id, d.recipient);
}

describe('paging end to end', () => {
  it('pages level 1 on ingest, level 2 after its wait to whoever is on call then, and stops at the link acknowledgement', { timeout: 120_000 }, async () => {
    const { app } = h;
    for (const [handle, zone] of [['ivy', 'Europe/Berlin'], ['jon', 'America/New_York'], ['kim', 'Asia/Tokyo']] as const) {
      await addPerson(h, handle, zone);
      await addContactPoint(app.store.db, { user: handle, kind: 'email', target: `${handle}@example.org` }, app.time.now());
      await addContactPoint(app.store.db, { user: handle, kind: 'webhook', target: `${hook.url}?to=${handle}` }, app.time.now());
    }
    await app.schedules.create({ id: 'primary', name: 'Primary', timeZone: 'UTC', layers: [{ name: 'Days', users: ['ivy'], shift: { days: 1 }, start: '2026-03-01', handover: '00:00', timeZone: 'UTC' }] }, 'admin');
    // Hourly hand-overs: jon holds 09:00–10:00 UTC, kim 10:00–11:00.
    await app.schedules.create({ id: 'secondary', name: 'Secondary', timeZone: 'UTC', layers: [{ name: 'Hours', users: ['kim', 'jon'], shift: { hours: 1 }, start: '2026-03-02', handover: '00:00', timeZone: 'UTC' }] }, 'admin');
    await app.paging.savePolicy(
      {
        id: 'security-oncall',
        name: 'Security on call',
        levels: [
          { targets: [{ schedule: 'primary', mode: 'on-call' }], wait: '10m' },
          { targets: [{ schedule: 'secondary', mode: 'on-call' }], wait: '10m' },
          { targets: [{ user: 'jon' }], wait: '10m' },
        ],
        repeat: 1,
      },
      'admin',
    );
    expect(await app.schedules.onCallAt('secondary', app.time.now())).toEqual(['jon']);

    const source = await app.intake.addSource({ name: 'monitor', kind: 'generic', plan: POLICY_PLAN, actor: 'admin' });
    const ingested = await fetch(`${baseUrl}/api/v1/ingest/monitor`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${source.secret}` },
      body: JSON.stringify({ title: 'Outbound traffic to a known C2 address', rule: 'c2-egress', host: 'build-01', severity: 'critical' }),
    });
    expect(ingested.status).toBeLessThan(300);
    const [event] = await app.incidents.list({ planId: POLICY_PLAN });
    const id = event!.id;

    // Level 1 is due the moment the event was reported; one scheduler pass pages it.
    const pending = (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).filter((r) => r.kind === 'ack');
    expect(pending.map((r) => [r.clockKey, r.dueAt])).toEqual([['ack:escalation:1', event!.reportedAt]]);
    await app.scheduler.tick();
    expect(mailsTo('ivy@example.org')).toHaveLength(1);
    await learnHookOwners();
    expect(hooksFor('ivy')).toHaveLength(1);
    const ivyMail = mailsTo('ivy@example.org')[0]!.raw.replace(/=\r?\n/g, '');
    expect(ivyMail).toContain(id);
    expect(ivyMail).toContain('Outbound traffic to a known C2 address');
    expect(ivyMail).toContain(`${baseUrl}/incidents/${id}`);
    // The deadlines in ivy's own zone (Berlin: UTC+1 in March), not raw ISO.
    expect(ivyMail).toMatch(/Reported Mon, 2 Mar 2026, 10:55 CET/);
    expect(ackLinkIn(mailsTo('ivy@example.org')[0]!.raw)).toMatch(new RegExp(`^${baseUrl}/ack/fback_`));
    // No acknowledge link is kept anywhere a reader of the records could take it from.
    for (const d of await app.deliveries.list({ incidentId: id })) expect(d.body).not.toMatch(/fback_/);

    // Nobody acknowledges; level 2 waits exactly 10 minutes. Meanwhile secondary changed hands.
    app.time.advance(minutes(10) - 1);
    await app.scheduler.tick();
    expect(smtp.mails).toHaveLength(1);
    app.time.advance(1);
    await app.scheduler.tick();
    expect(await app.schedules.onCallAt('secondary', app.time.now())).toEqual(['kim']);
    expect(mailsTo('jon@example.org')).toHaveLength(0);
    expect(mailsTo('kim@example.org')).toHaveLength(1);
    await learnHookOwners();
    expect(hooksFor('kim')).toHaveLength(1);
    expect(mailsTo('kim@example.org')[0]!.raw.replace(/=\r?\n/g, '')).toContain('Reported Mon, 2 Mar 2026, 18:55 GMT+9');

    // The link from kim's e-mail, in a real browser: the GET only asks.
    const link = ackLinkIn(mailsTo('kim@example.org')[0]!.raw);
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: `Acknowledge ${id}?` }).waitFor();
    await page.getByText('Outbound traffic to a known C2 address').waitFor();
    await page.getByText(/You acknowledge as Kim Person \(kim\)/).waitFor();
    expect((await app.incidents.get(id)).acknowledgedAt).toBeNull();
    await page.getByRole('button', { name: 'Acknowledge as kim' }).click();
    await page.getByRole('heading', { name: `${id} acknowledged` }).waitFor();

    const acknowledged = await app.incidents.get(id);
    expect(acknowledged.acknowledgedBy).toBe('kim');
    expect((await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).filter((r) => r.kind === 'ack')).toEqual([]);

    // Past every later level (and the repeat): nothing more is paged.
    const sentBefore = { mails: smtp.mails.length, hooks: hook.requests.length };
    for (let i = 0; i < 8; i += 1) {
      app.time.advance(minutes(10));
      await app.scheduler.tick();
    }
    expect({ mails: smtp.mails.length, hooks: hook.requests.length }).toEqual(sentBefore);

    const timeline = await app.incidents.timeline(id);
    const pages = timeline.filter((e) => e.type === 'clock_fired' && String((e.data as { clock: string }).clock).startsWith('ack:escalation:'));
    expect(pages.map((e) => [e.occurredAt, (e.data as { level: number }).level, (e.data as { notified: string[] }).notified])).toEqual([
      [event!.reportedAt, 1, ['ivy (email)', 'ivy (webhook)']],
      ['2026-03-02T10:05:00.000Z', 2, ['kim (email)', 'kim (webhook)']],
    ]);
    const sent = timeline.filter((e) => e.type === 'message_sent').map((e) => [(e.data as { recipient: string }).recipient, (e.data as { channel: string }).channel]);
    expect(sent.sort()).toEqual([['ivy', 'email'], ['ivy', 'webhook'], ['kim', 'email'], ['kim', 'webhook']]);
    const ack = timeline.filter((e) => e.type === 'acknowledged');
    expect(ack.map((e) => e.data)).toEqual([{ by: 'kim', via: 'link' }]);
    expect(ack[0]!.actor).toBe('kim');
    const [verdict] = await app.incidents.verify([id]);
    expect(verdict).toMatchObject({ incidentId: id, projectionMatches: true });
    expect(verdict!.verdict.ok).toBe(true);
  });
});
