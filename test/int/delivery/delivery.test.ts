/**
 * Delivery over real loopback receivers: signed generic webhooks, retries with backoff
 * against a receiver that fails twice, dead-lettering, Slack/Teams payload shapes, the
 * review queue, and e-mail through a real smtp-server. Time is a manual clock; the
 * jitter source is pinned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
import { OUTBOUND_REFUSED_REASON, OutboundGuard } from '../../../src/integrations/outbound/index.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../../../src/integrations/delivery/webhook-signature.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';
import { firedEvents, giveContact, reportIncident } from '../scheduler/scheduler-fixtures.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from './loopback-receivers.js';

const SECRET = 'whsec_0123456789abcdef0123';
let app: TestApp | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const close of closers.splice(0)) await close();
});

async function receiver(script?: number[]): Promise<HttpReceiver> {
  const r = await startHttpReceiver(script);
  closers.push(r.close);
  return r;
}

/** Reported and triaged (low) under nist-team-procedures but not acknowledged. */
async function triagedUnacknowledged(a: TestApp): Promise<string> {
  const id = await reportIncident(a, 'nist-team-procedures');
  await a.incidents.execute(id, { type: 'triage', decision: 'confirm', severity: 'low' }, { actor: 'rita' });
  return id;
}

/** Makes `ivy` responder and lets escalation level 1 (+10 min) fire: the only clock due then. */
async function escalateToResponder(a: TestApp): Promise<string> {
  const id = await triagedUnacknowledged(a);
  await a.incidents.execute(id, { type: 'assign_role', role: 'responder', to: 'ivy' }, { actor: 'rita' });
  a.time.advance(minutes(10));
  await a.scheduler.tick();
  return id;
}

describe('webhook delivery', () => {
  it('signs the body so the receiver verifies it with the shared secret', async () => {
    const hook = await receiver([200]);
    app = await createTestApp();
    await giveContact(app, 'ivy', 'webhook', hook.url, SECRET);
    const id = await escalateToResponder(app);

    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    const header = request.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, request.body, SECRET, { now: app.time.now() })).toMatchObject({ ok: true });
    expect(verifyWebhookSignature(header, request.body, 'another-secret-of-16+', { now: app.time.now() }).ok).toBe(false);
    expect(verifyWebhookSignature(header, request.body.replace('ack', 'ACK'), SECRET, { now: app.time.now() }).ok).toBe(false);
    // Replayed 10 minutes later: outside the 5-minute window.
    expect(verifyWebhookSignature(header, request.body, SECRET, { now: new Date(app.time.now().getTime() + minutes(10)) })).toMatchObject({ ok: false });

    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({ incident: id, clock: 'ack:escalation:1' });
    expect(String(body['subject'])).toContain(`[Low severity] ${id} needs you`);
    expect(String(body['body'])).toMatch(/Acknowledge \(stops the escalation\): http:\/\/\S+\/ack\/fback_[A-Za-z0-9_-]{43}/);

    const fired = (await firedEvents(app, id)).find((e) => e.data.clock === 'ack:escalation:1');
    expect(fired?.data.notified).toEqual(['ivy (webhook)']);
    const timeline = await app.incidents.timeline(id);
    expect(timeline.filter((e) => e.type === 'message_sent')).toHaveLength(1);
  });

  it('a receiver that answers 500 twice then 200 gets one successful delivery after three attempts', async () => {
    const hook = await receiver([500, 500, 200]);
    app = await createTestApp({ delivery: { random: () => 0.5 } });
    await giveContact(app, 'ivy', 'webhook', hook.url, SECRET);
    const id = await escalateToResponder(app);

    let [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'receiver answered HTTP 500 Internal Server Error' });
    // Backoff: 30 s × 2^0 with equal jitter at 0.5 → 22.5 s.
    expect(delivery!.nextAttemptAt).toBe(new Date(app.time.now().getTime() + 22_500).toISOString());

    app.time.advance(22_499);
    await app.scheduler.tick();
    expect(hook.requests).toHaveLength(1);

    app.time.advance(1);
    await app.scheduler.tick();
    [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    // 60 s × 0.75 = 45 s.
    expect(delivery!.nextAttemptAt).toBe(new Date(app.time.now().getTime() + 45_000).toISOString());

    app.time.advance(45_000);
    await app.scheduler.tick();
    await app.scheduler.tick();
    [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(hook.requests.filter((r) => r.status === 200)).toHaveLength(1);
    // Every attempt carried the same delivery id, so a receiver can de-duplicate.
    expect(new Set(hook.requests.map((r) => r.headers['x-firebreak-delivery'])).size).toBe(1);
    expect((await app.incidents.timeline(id)).filter((e) => e.type === 'message_sent')).toHaveLength(1);
  });

  it('dead-letters after the last attempt and counts it for the dashboard', async () => {
    const hook = await receiver([503]);
    app = await createTestApp({ delivery: { random: () => 0, retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 } } });
    await giveContact(app, 'ivy', 'webhook', hook.url, SECRET);
    await escalateToResponder(app);
    for (let i = 0; i < 5; i += 1) {
      app.time.advance(10_000);
      await app.scheduler.tick();
    }
    expect(hook.requests).toHaveLength(3);
    const [delivery] = await app.deliveries.list({ status: ['dead'] });
    expect(delivery).toMatchObject({ status: 'dead', attempts: 3, lastError: 'receiver answered HTTP 503 Service Unavailable', nextAttemptAt: null });
    expect(await app.deliveries.deadLetterCount()).toBe(1);
  });

  it('records a refused connection as a failed attempt with the reason', async () => {
    const hook = await receiver([200]);
    await hook.close();
    closers.splice(0);
    app = await createTestApp();
    await giveContact(app, 'ivy', 'webhook', hook.url);
    const id = await escalateToResponder(app);
    const [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery?.status).toBe('failed');
    expect(delivery?.lastError).toBe('request failed: the connection was refused');
  });

  it('sends Slack-shaped and Teams-shaped payloads to the role audience when the holder has no contact point', async () => {
    const slack = await receiver([200]);
    const teams = await receiver([200]);
    app = await createTestApp();
    await setChannelEndpoint(app.store.db, { channel: 'incident-channel', kind: 'slack', target: slack.url }, app.time.now());
    await setChannelEndpoint(app.store.db, { channel: 'on-call-mail', kind: 'teams', target: teams.url }, app.time.now());
    const id = await triagedUnacknowledged(app);
    app.time.advance(minutes(10));
    await app.scheduler.tick();

    const slackBody = JSON.parse(slack.requests[0]!.body) as { text: string };
    expect(slackBody.text).toMatch(new RegExp(`^\\*\\[Low severity\\] ${id} needs you`));
    // An audience is not a person: no acknowledge link, but the incident page.
    expect(slackBody.text).not.toContain('/ack/');
    const teamsBody = JSON.parse(teams.requests[0]!.body) as Record<string, string>;
    expect(teamsBody).toMatchObject({ '@type': 'MessageCard', '@context': 'https://schema.org/extensions' });
    expect(teamsBody['title']).toContain(`${id} needs you`);
    expect(slack.requests[0]!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
    const fired = (await firedEvents(app, id)).find((e) => e.data.clock === 'ack:escalation:1');
    expect(fired?.data.notified).toEqual(['audience:ir-team (slack)', 'audience:ir-team (teams)']);
  });
});

describe('the outbound guard at delivery time', () => {
  it('records every internal target as failed with one reason, whether or not a port listens there, and sends nothing', async () => {
    const hook = await receiver([200]);
    const closed = await receiver([200]);
    await closed.close();
    const smtp: SmtpReceiver = await startSmtpReceiver();
    closers.push(smtp.close);
    // No allow-list: what a server runs with by default. The rows stand for targets stored
    // before a DNS change or before this check existed.
    app = await createTestApp({ delivery: { outbound: new OutboundGuard(), mail: { smtpUrl: smtp.url, from: 'Firebreak <firebreak@example.org>' } } });
    const now = app.time.now().toISOString();
    await app.store.db
      .insertInto('contact_points')
      .values([hook.url, closed.url, 'http://[::1]:22/'].map((target) => ({ user_handle: 'ivy', kind: 'webhook' as const, target, secret: null, created_at: now })))
      .execute();
    await giveContact(app, 'ivy', 'email', 'ivy@example.org');
    const id = await escalateToResponder(app);
    const deliveries = await app.deliveries.list({ incidentId: id });
    expect(deliveries).toHaveLength(4);
    for (const d of deliveries) expect(d).toMatchObject({ status: 'failed', lastError: OUTBOUND_REFUSED_REASON });
    expect(hook.requests).toEqual([]);
    expect(smtp.mails).toEqual([]);
  });
});

describe('review queue', () => {
  it('holds a message for review and sends it only after approval', async () => {
    const hook = await receiver([200]);
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    const [deliveryId] = await app.deliveries.enqueueNow([
      { incidentId: id, template: 'externalDisclosure', recipient: 'audience:stakeholders', destination: { channel: 'webhook', target: hook.url, secret: null }, subject: 'Security notice', body: 'We are handling an incident.', review: true },
    ]);
    await app.scheduler.tick();
    expect(hook.requests).toHaveLength(0);
    expect((await app.deliveries.get(deliveryId!)).status).toBe('review');

    await expect(app.deliveries.review('no-such-id', 'approve', 'lee')).rejects.toMatchObject({ code: 'FB_ERR_DELIVERY_NOT_FOUND' });
    await app.deliveries.review(deliveryId!, 'approve', 'lee');
    await expect(app.deliveries.review(deliveryId!, 'approve', 'lee')).rejects.toMatchObject({ code: 'FB_ERR_DELIVERY_NOT_IN_REVIEW' });
    await app.scheduler.tick();
    expect(hook.requests).toHaveLength(1);
    expect((await app.deliveries.get(deliveryId!)).status).toBe('sent');
  });
});

describe('e-mail delivery', () => {
  it('delivers the rendered subject and body to a real SMTP server', async () => {
    const smtp: SmtpReceiver = await startSmtpReceiver();
    closers.push(smtp.close);
    app = await createTestApp({ delivery: { mail: { smtpUrl: smtp.url, from: 'Firebreak <firebreak@example.org>' } } });
    await giveContact(app, 'ivy', 'email', 'ivy@example.org');
    const id = await escalateToResponder(app);

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('firebreak@example.org');
    expect(mail.to).toEqual(['ivy@example.org']);
    const unfolded = mail.raw.replace(/\r\n(?=[ \t])/g, '');
    expect(unfolded).toContain(`Subject: [Low severity] ${id} needs you: Suspicious logins on the build server\r\n`);
    expect(mail.raw.replace(/=\r\n/g, '')).toMatch(/Acknowledge \(stops the escalation\): http:\/\/\S+\/ack\/fback_/);
    const [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 });
  });

  it('without SMTP settings an e-mail fails with a reason naming the setting', async () => {
    app = await createTestApp();
    await giveContact(app, 'ivy', 'email', 'ivy@example.org');
    const id = await escalateToResponder(app);
    const [delivery] = await app.deliveries.list({ incidentId: id });
    expect(delivery?.lastError).toContain('FIREBREAK_SMTP_URL');
  });
});
