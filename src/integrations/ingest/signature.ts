/**
 * Checking that an ingest request comes from its source: an HMAC-SHA256 of the raw body
 * (`X-Hub-Signature-256: sha256=<hex>`, GitHub's scheme, which Firebreak also accepts as
 * `X-Firebreak-Signature-256` from other sources), or a bearer token compared by its
 * SHA-256. Every comparison is constant-time.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyHmac(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function hashToken(token: string): string {
  // One-shot: every ingest request checks its token, and a Hash object costs more than the digest.
  return hash('sha256', token, 'hex');
}

/** `authorization` is the whole header; `storedHash` the hex SHA-256 of the token. */
export function verifyBearer(storedHash: string, authorization: string | undefined): boolean {
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!m) return false;
  const given = Buffer.from(hashToken(m[1]!), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
