/**
 * The plan-message routes over HTTP: preview, send to a real loopback receiver, the
 * incident's delivery record, a leftover placeholder refused with a 4xx naming it (and
 * nothing stored or sent), review by someone other than the author, and bad input on
 * every new route named by its field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
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

async function setUp(): Promise<{ harness: HttpHarness; receiver: HttpReceiver; id: string }> {
  const harness = await createHttpHarness();
  const receiver = await startHttpReceiver([200]);
  h = harness;
  hook = receiver;
  await setChannelEndpoint(harness.app.store.db, { channel: 'responders-chat', kind: 'slack', target: receiver.url }, harness.app.time.now());
  await setChannelEndpoint(harness.app.store.db, { channel: 'leadership-mail', kind: 'webhook', target: receiver.url }, harness.app.time.now());
  const id = await harness.report('responder');
  return { harness, receiver, id };
}

describe('message routes', () => {
  it('previews, sends and records a broadcast; the incident shows its deliveries', async () => {
    const { harness, receiver, id } = await setUp();
    const preview = await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages/preview`, { template: 'broadcast' });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ template: 'broadcast', audience: 'responders', approvalsNeeded: 0, recipients: [`slack ${receiver.url}`] });
    expect(preview.json().body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);

    const sent = await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages`, { template: 'broadcast', body: 'Build server isolated; credentials rotating.' });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ status: 'sent', author: 'responder' });
    await harness.app.scheduler.tick();
    expect(receiver.requests).toHaveLength(1);

    const deliveries = await harness.call('viewer', 'GET', `/api/v1/incidents/${id}/deliveries`);
    expect(deliveries.json().items).toMatchObject([{ template: 'broadcast', status: 'sent', attempts: 1, lastError: null }]);
    const listed = await harness.call('viewer', 'GET', `/api/v1/incidents/${id}/messages`);
    expect(listed.json().items).toMatchObject([{ id: sent.json().id, status: 'sent' }]);
  });

  it('refuses a leftover placeholder with a 400 naming it, and stores and sends nothing', async () => {
    const { harness, receiver, id } = await setUp();
    const before = (await harness.app.incidents.timeline(id)).length;
    const refused = await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages`, { template: 'broadcast', body: 'Affected: <affected versions>' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'FB_ERR_MESSAGE_PLACEHOLDER', fields: [{ path: 'body', message: expect.stringContaining('<affected versions>') }] });
    await harness.app.scheduler.tick();
    expect(receiver.requests).toHaveLength(0);
    expect((await harness.call('viewer', 'GET', `/api/v1/incidents/${id}/messages`)).json().items).toEqual([]);
    expect((await harness.call('viewer', 'GET', `/api/v1/incidents/${id}/deliveries`)).json().items).toEqual([]);
    expect(await harness.app.incidents.timeline(id)).toHaveLength(before);
  });

  it('holds an external disclosure for two reviewers other than the author', async () => {
    const { harness, receiver, id } = await setUp();
    const body = 'We are investigating suspicious logins. No customer data is known to be affected. Next update tomorrow.';
    const held = (await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages`, { template: 'externalDisclosure', audience: 'leadership', body })).json();
    expect(held).toMatchObject({ status: 'review', approvalsNeeded: 2 });
    const own = await harness.call('responder', 'POST', `/api/v1/messages/${held.id}/approve`, {});
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('FB_ERR_MESSAGE_REVIEWER');
    expect((await harness.call('viewer', 'POST', `/api/v1/messages/${held.id}/approve`, {})).statusCode).toBe(403);
    expect((await harness.call('admin', 'POST', `/api/v1/messages/${held.id}/approve`, {})).json()).toMatchObject({ status: 'review', approvedBy: ['admin'] });
    expect((await harness.call('outsider', 'POST', `/api/v1/messages/${held.id}/approve`, {})).json()).toMatchObject({ status: 'sent', approvedBy: ['admin', 'outsider'] });
    await harness.app.scheduler.tick();
    expect(receiver.requests).toHaveLength(1);
  });

  it('names the field of bad input on every new route', async () => {
    const { harness, id } = await setUp();
    const bad = async (method: string, url: string, payload: unknown, field: string) => {
      const response = await harness.call('responder', method, url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(field);
    };
    await bad('POST', `/api/v1/incidents/${id}/messages/preview`, { template: '' }, 'template');
    await bad('POST', `/api/v1/incidents/${id}/messages/preview`, { template: 'nope' }, 'template');
    await bad('POST', `/api/v1/incidents/${id}/messages/preview`, { template: 'broadcast', audience: 'nobody' }, 'audience');
    const unknown = await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages/preview`, { template: 'broadcast', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().fields)).toContain('colour');
    await bad('POST', `/api/v1/incidents/${id}/messages`, { template: 'broadcast', variables: { 'bad name': 'x' } }, 'variables.bad name');
    await bad('POST', `/api/v1/incidents/${id}/messages`, { template: 'broadcast', body: '' }, 'body');
    const held = (await harness.call('responder', 'POST', `/api/v1/incidents/${id}/messages`, { template: 'externalDisclosure', audience: 'leadership', body: 'A plain notice.' })).json();
    await bad('POST', `/api/v1/messages/${held.id}/reject`, { reason: ' ' }, 'reason');
    await bad('POST', `/api/v1/messages/${held.id}/reject`, {}, 'reason');
    expect((await harness.call('admin', 'GET', `/api/v1/incidents/${id}/messages`)).json().items).toMatchObject([{ status: 'review', approvedBy: [] }]);
  });
});
