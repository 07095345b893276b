/**
 * Delivery targets that point inside are refused when they are set, through the API, on
 * a server without an allow-list (the harness's loopback allowance is replaced by a strict
 * guard here): each answer is a 400 naming `target`, and nothing is stored. The same
 * targets are accepted once the operator allows them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OutboundGuard, type OutboundResolver } from '../../../src/integrations/outbound/index.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

const INTERNAL_TARGETS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://127.0.0.1:5432/',
  'http://[::1]:22/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://127.1/',
  'http://0177.0.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://localhost:5432/',
  'http://localhost./',
  'http://10.1.2.3/hook',
  'http://192.168.0.10/hook',
  'http://100.64.0.1/',
  'https://loopback.example.org/hook',
];

/** `loopback.example.org` resolves to 127.0.0.1, as a hostile DNS record would make it. */
const resolver: OutboundResolver = async (hostname) => {
  if (hostname === 'loopback.example.org') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

describe('delivery targets that point inside, without an allow-list', () => {
  let strict: HttpHarness;
  beforeAll(async () => {
    strict = await createHttpHarness({}, { delivery: { outbound: new OutboundGuard({ resolve: resolver }) } });
  });
  afterAll(() => strict.close());

  it.each(INTERNAL_TARGETS)('refuses %s as a contact point and as a channel endpoint, storing nothing', async (target) => {
    const harness = strict;
    const contact = await harness.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'webhook', target });
    expect(contact.statusCode).toBe(400);
    expect(contact.json()).toMatchObject({ code: 'FB_ERR_OUTBOUND_TARGET_REFUSED', fields: [{ path: 'target' }] });
    expect(contact.json().detail).toContain('FIREBREAK_OUTBOUND_ALLOW');
    const channel = await harness.call('admin', 'PUT', '/api/v1/channels/security-chat', { kind: 'slack', target });
    expect(channel.statusCode).toBe(400);
    expect(channel.json()).toMatchObject({ code: 'FB_ERR_OUTBOUND_TARGET_REFUSED', fields: [{ path: 'target' }] });
    expect((await harness.call('admin', 'GET', '/api/v1/contacts')).json()).toEqual({ items: [] });
    expect((await harness.call('admin', 'GET', '/api/v1/channels')).json()).toEqual({ items: [] });
  });

});

describe('an operator allow-list', () => {
  let harness: HttpHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('accepts internal targets the operator allows, and public ones', async () => {
    const outbound = new OutboundGuard({ allow: '127.0.0.0/8, loopback.example.org', resolve: resolver });
    harness = await createHttpHarness({}, { delivery: { outbound } });
    for (const target of ['http://127.0.0.1:9000/hook', 'https://loopback.example.org/hook', 'https://203.0.113.9.nip.example/hook', 'https://8.8.8.8/hook']) {
      const response = await harness.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'webhook', target });
      expect(response.statusCode, target).toBe(201);
    }
    expect((await harness.call('admin', 'PUT', '/api/v1/channels/security-chat', { kind: 'slack', target: 'http://127.0.0.1:9000/chat' })).statusCode).toBe(200);
    expect((await harness.call('admin', 'POST', '/api/v1/contacts', { user: 'ivy', kind: 'webhook', target: 'http://10.0.0.1/' })).statusCode).toBe(400);
  });
});
