/**
 * The delivery routes: the dashboard's dead-letter figure, the message record with status
 * and attempts, retrying a dead-lettered message (then really sent to a loopback
 * receiver), contact points and channel endpoints (secrets never returned), and bad input
 * refused with the field named and nothing stored. Dead-lettering itself (retries with
 * backoff against a failing receiver) is proven in test/int/delivery; here the row is set
 * dead directly to keep the test quick.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { type HttpReceiver, startHttpReceiver } from '../delivery/loopback-receivers.js';

let h: HttpHarness | undefined;
let hook: HttpReceiver | undefined;
afterEach(async () => {
  await hook?.close();
  await h?.close();
  h = undefined;
  hook = undefined;
});

async function deadLetter(harness: HttpHarness, target: string): Promise<string> {
  const [id] = await harness.app.deliveries.enqueueNow([
    { incidentId: null, recipient: 'ivy', destination: { channel: 'webhook', target, secret: null }, subject: 'Escalation', body: 'INC-2026-0001 is not acknowledged', review: false },
  ]);
  await harness.app.store.db.updateTable('deliveries').set({ status: 'dead', attempts: 5, last_error: 'receiver answered HTTP 503 Service Unavailable', next_attempt_at: null }).where('id', '=', id!).execute();
  return id!;
}

describe('delivery routes', () => {
  it('shows a dead letter on the dashboard and the record, and retrying it sends it', async () => {
    h = await createHttpHarness();
    hook = await startHttpReceiver([200]);
    const id = await deadLetter(h, hook.url);

    const dashboard = (await h.call('viewer', 'GET', '/api/v1/dashboard')).json();
    expect(dashboard.deliveries).toMatchObject({ deadLetters: 1, byStatus: { dead: 1 } });
    const listed = await h.call('admin', 'GET', '/api/v1/deliveries?status=dead,failed');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ deadLetters: 1, items: [{ id, status: 'dead', attempts: 5, lastError: 'receiver answered HTTP 503 Service Unavailable' }] });

    const retried = await h.call('admin', 'POST', `/api/v1/deliveries/${id}/retry`, {});
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: 'queued', attempts: 0 });
    expect((await h.call('admin', 'POST', `/api/v1/deliveries/${id}/retry`, {})).json()).toMatchObject({ code: 'FB_ERR_DELIVERY_NOT_DEAD' });
    expect(await h.app.deliveries.processDue()).toBe(1);
    expect(hook.requests).toHaveLength(1);
    expect((await h.app.deliveries.get(id)).status).toBe('sent');
    expect((await h.call('viewer', 'GET', '/api/v1/dashboard')).json().deliveries.deadLetters).toBe(0);
  });

  it('refuses bad input with the field named, and stores nothing', async () => {
    h = await createHttpHarness();
    const badStatus = await h.call('admin', 'GET', '/api/v1/deliveries?status=lost');
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.body).toContain('status');
    const badLimit = await h.call('admin', 'GET', '/api/v1/deliveries?limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.body).toContain('limit');
    const badKind = await h.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'pager', target: 'x' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.body).toContain('kind');
    const badMail = await h.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'email', target: 'not-an-address' });
    expect(badMail.statusCode).toBe(400);
    expect(badMail.body).toContain('target');
    const shortSecret = await h.call('admin', 'PUT', '/api/v1/channels/ir-team', { kind: 'webhook', target: 'http://127.0.0.1:9/hook', secret: 'short' });
    expect(shortSecret.statusCode).toBe(400);
    expect(shortSecret.body).toContain('secret');
    expect((await h.call('admin', 'POST', '/api/v1/deliveries/nope/retry', {})).statusCode).toBe(404);
    expect((await h.call('admin', 'GET', '/api/v1/contacts')).json().items).toEqual([]);
    expect((await h.call('admin', 'GET', '/api/v1/channels')).json().items).toEqual([]);
  });

  it('manages contact points and channel endpoints, never returning a secret', async () => {
    h = await createHttpHarness();
    const secret = 'a-shared-secret-of-length';
    const added = await h.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'webhook', target: 'http://127.0.0.1:9/ivy', secret });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ user: 'ivy', kind: 'webhook', target: 'http://127.0.0.1:9/ivy', signed: true });
    expect((await h.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'webhook', target: 'http://127.0.0.1:9/ivy' })).statusCode).toBe(409);
    const set = await h.call('admin', 'PUT', '/api/v1/channels/ir-team', { kind: 'slack', target: 'http://127.0.0.1:9/slack' });
    expect(set.json()).toMatchObject({ channel: 'ir-team', kind: 'slack', signed: false });
    const listing = (await h.call('admin', 'GET', '/api/v1/contacts?user=ivy')).body + (await h.call('admin', 'GET', '/api/v1/channels')).body;
    expect(listing).not.toContain(secret);
    expect((await h.call('admin', 'DELETE', '/api/v1/contacts/ivy?kind=webhook')).json()).toEqual({ removed: 1 });
    expect((await h.call('admin', 'DELETE', '/api/v1/contacts/ivy')).statusCode).toBe(404);
  });
});
