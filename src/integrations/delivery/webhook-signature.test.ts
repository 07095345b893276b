import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'whsec_test_0123456789';
const AT = new Date('2026-03-02T09:00:00Z');
const BODY = '{"id":"d1","subject":"hello"}';

describe('webhook signatures', () => {
  it('signs "t.body" with HMAC-SHA256, as documented', () => {
    const header = signatureHeader(SECRET, AT, BODY);
    const t = AT.getTime() / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex')}`);
    // The verdict names the signature that matched, which a receiver remembers to refuse replays.
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: AT })).toEqual({ ok: true, signature: header.split('v1=')[1] });
    expect(verifyWebhookSignature(header, Buffer.from(BODY), SECRET, { now: AT })).toEqual({ ok: true, signature: header.split('v1=')[1] });
  });

  it.each([
    ['no header', undefined, /missing/],
    ['no timestamp', 'v1=abcd', /no valid t=/],
    ['a garbage timestamp', 't=soon,v1=abcd', /no valid t=/],
    ['a wrong signature', `t=${AT.getTime() / 1000},v1=${'0'.repeat(64)}`, /no v1 signature matches/],
    ['a short signature', `t=${AT.getTime() / 1000},v1=abc`, /no v1 signature matches/],
  ])('refuses %s', (_what, header, reason) => {
    const verdict = verifyWebhookSignature(header, BODY, SECRET, { now: AT });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('accepts within the replay window and refuses outside it, in both directions', () => {
    const header = signatureHeader(SECRET, AT, BODY);
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: new Date(AT.getTime() + 300_000) }).ok).toBe(true);
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: new Date(AT.getTime() + 301_000) }).ok).toBe(false);
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: new Date(AT.getTime() - 301_000) }).ok).toBe(false);
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: new Date(AT.getTime() + 3_600_000), replayWindowSeconds: 7200 }).ok).toBe(true);
  });

  it('accepts any matching v1 among several (secret rotation)', () => {
    const good = signatureHeader(SECRET, AT, BODY);
    const t = AT.getTime() / 1000;
    const header = `t=${t},v1=${'f'.repeat(64)},${good.split(',')[1]}`;
    expect(verifyWebhookSignature(header, BODY, SECRET, { now: AT }).ok).toBe(true);
  });
});
