/**
 * Ingest requests cannot be replayed, and cannot make the server read what it will
 * refuse (issue 30, finding 4), on both back ends through the real HTTP endpoint:
 * - a signed generic source signs a timestamp with the body; a stale timestamp, the
 *   old body-only header and the same signed request sent twice are refused, and the
 *   refused requests change nothing;
 * - an unknown source is refused before its body is read, and a body over its source
 *   kind's limit is refused from its declared length or as it streams in.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { signatureHeader } from '../../src/integrations/delivery/webhook-signature.js';
import { signBody } from '../../src/integrations/ingest/signature.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let server: FastifyInstance;
let secret: string;

beforeAll(async () => {
  app = await createTestApp();
  server = await buildServer({ app, logger: false });
  secret = (await app.intake.addSource({ name: 'signed', kind: 'generic', auth: 'hmac', plan: 'nist-800-61r3', actor: 'admin' })).secret!;
  await app.intake.addSource({ name: 'tokened', kind: 'generic', plan: 'nist-800-61r3', actor: 'admin' });
});
afterAll(async () => {
  await server.close();
  await app.close();
});

const body = (title: string) => JSON.stringify({ title, rule: 'replay-test', severity: 'high' });
const send = (headers: Record<string, string>, payload: string | Readable, source = 'signed') =>
  server.inject({ method: 'POST', url: `/api/v1/ingest/${source}`, headers: { 'content-type': 'application/json', ...headers }, payload });

async function stored() {
  return { alerts: await app.intake.listAlerts({ source: 'signed' }), incidents: (await app.incidents.list({})).length };
}

describe('signed ingest requests', () => {
  it('accepts a fresh timestamped signature once, and refuses the same request sent again with 409, changing nothing', async () => {
    const payload = body('Web shell upload on app-3');
    const header = signatureHeader(secret, app.time.now(), payload);
    const first = await send({ 'x-firebreak-signature': header }, payload);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ created: 1 });
    const before = await stored();
    const replay = await send({ 'x-firebreak-signature': header }, payload);
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'FB_ERR_INGEST_REPLAYED' });
    expect(await stored()).toEqual(before);
  });

  it('refuses a timestamp outside the five-minute window, a wrong secret and the old body-only header with 401 naming the scheme', async () => {
    const payload = body('Port scan from 203.0.113.9');
    const before = await stored();
    const stale = await send({ 'x-firebreak-signature': signatureHeader(secret, new Date(app.time.now().getTime() - 301_000), payload) }, payload);
    const wrong = await send({ 'x-firebreak-signature': signatureHeader('not-the-secret-at-all', app.time.now(), payload) }, payload);
    const bodyOnly = await send({ 'x-firebreak-signature-256': signBody(secret, payload) }, payload);
    for (const response of [stale, wrong, bodyOnly]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toContain('X-Firebreak-Signature: t=<unix seconds>');
    }
    expect(stale.json().detail).toContain('replay window is 300 s');
    expect(await stored()).toEqual(before);
  });

  it('signs the exact bytes: a body changed after signing is refused', async () => {
    const payload = body('Credential stuffing against /login');
    const header = signatureHeader(secret, app.time.now(), payload);
    expect((await send({ 'x-firebreak-signature': header }, payload.replace('login', 'logout'))).statusCode).toBe(401);
  });
});

describe('limits before the body is read', () => {
  it('answers an unknown source 404 without reading a body it declares to be 20 MiB', async () => {
    let pulled = 0;
    const huge = new Readable({
      read() {
        pulled += 1;
        this.push(pulled > 320 ? null : Buffer.alloc(64 * 1024, 0x20));
      },
    });
    const response = await send({ 'content-length': String(20 * 1024 * 1024) }, huge, 'no-such-source');
    expect(response.statusCode).toBe(404);
    // Only what the stream buffers ahead was pulled, far from the 320 chunks declared.
    expect(pulled).toBeLessThan(40);
  });

  it('refuses a generic body over 1 MiB from its declared length, and a streamed one as it passes the limit, with 413 naming the limit', async () => {
    const big = JSON.stringify({ title: 'x', summary: 'y'.repeat(1024 * 1024 + 10) });
    const declared = await send({ authorization: 'Bearer whatever' }, big, 'tokened');
    expect(declared.statusCode).toBe(413);
    expect(declared.json().detail).toContain('generic bodies may be at most 1048576 bytes');
    let chunks = 0;
    const streamed = new Readable({
      read() {
        chunks += 1;
        this.push(chunks > 40 ? null : Buffer.alloc(64 * 1024, 0x20));
      },
    });
    const response = await send({ authorization: 'Bearer whatever', 'transfer-encoding': 'chunked' }, streamed, 'tokened');
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toContain('at most 1048576 bytes');
  });
});

describe('Alertmanager groups of any size', () => {
  it('takes a group of 1,500 alerts (Alertmanager does not retry a 4xx; a refused group is lost)', async () => {
    await app.intake.addSource({ name: 'am-big', kind: 'alertmanager', plan: 'nist-800-61r3', actor: 'admin' }).then(async (added) => {
      const alerts = Array.from({ length: 1500 }, (_, i) => ({
        status: 'firing',
        labels: { alertname: 'HighErrorRate', instance: `web-${i}`, severity: 'warning' },
        annotations: { summary: `Error rate high on web-${i}` },
        startsAt: '2026-03-02T08:55:00Z',
        fingerprint: `fp${String(i).padStart(6, '0')}`,
      }));
      const group = JSON.stringify({ version: '4', receiver: 'firebreak', status: 'firing', alerts, groupKey: '{}:{alertname="HighErrorRate"}', truncatedAlerts: 0, externalURL: 'http://alertmanager:9093' });
      const response = await send({ authorization: `Bearer ${added.secret}` }, group, 'am-big');
      expect(response.statusCode, response.body.slice(0, 300)).toBe(202);
      expect(response.json().received).toBe(1500);
    });
  });
});
