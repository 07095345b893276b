/**
 * Signing and verifying Firebreak's generic webhooks. Every request carries
 * `X-Firebreak-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A receiver recomputes the HMAC over the raw body it got, compares in constant time and
 * refuses a timestamp outside its replay window (default 5 minutes), so a captured request
 * cannot be replayed later. See docs/webhooks.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Firebreak-Signature';
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export function signatureOf(secret: string, unixSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(body).digest('hex');
}

export function signatureHeader(secret: string, at: Date, body: string | Buffer): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

/** On success, the v1 signature that matched: a replay of the request carries the same one. */
export type SignatureVerdict = { readonly ok: true; readonly signature: string } | { readonly ok: false; readonly reason: string };

/** Checks a received signature header against the raw body and the shared secret. */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string | Buffer,
  secret: string,
  options: { now?: Date; replayWindowSeconds?: number } = {},
): SignatureVerdict {
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const [key, ...rest] = piece.trim().split('=');
    if (!key || rest.length === 0) continue;
    parts.set(key, [...(parts.get(key) ?? []), rest.join('=')]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return { ok: false, reason: 'signature header has no valid t=<unix seconds>' };
  const window = options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > window) return { ok: false, reason: `timestamp is ${now - t} s away from now; the replay window is ${window} s` };
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  const match = (parts.get('v1') ?? []).find((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true, signature: match.toLowerCase() } : { ok: false, reason: 'no v1 signature matches the body and the shared secret' };
}
