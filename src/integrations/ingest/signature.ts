/**
 * Checking that an ingest request comes from its source: GitHub's HMAC-SHA256 of the raw
 * body (`X-Hub-Signature-256: sha256=<hex>`), or a bearer token compared by its SHA-256.
 * Other signed sources use the timestamped scheme of `delivery/webhook-signature.ts`.
 * Every comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../app/auth/secret-token.js';

export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyHmac(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The token that last matched each stored hash. In a storm one source sends the same
 * token thousands of times a second, and in a CPU profile of one, hashing it took 3 % of
 * the server's time; a token that matched once is compared byte for byte (still in
 * constant time) instead. A stored hash has one token, so any other token is wrong,
 * and it is hashed all the same: a wrong token costs what it always did. The tokens are
 * the ones every request carries through memory anyway; a hash no longer stored (a
 * removed source) only lingers until the map is next emptied.
 */
const matchedTokens = new Map<string, Buffer>();
const MATCHED_TOKENS_LIMIT = 256;

/** `authorization` is the whole header; `storedHash` the hex SHA-256 of the token. */
export function verifyBearer(storedHash: string, authorization: string | undefined): boolean {
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!m) return false;
  const token = Buffer.from(m[1]!, 'utf8');
  const matched = matchedTokens.get(storedHash);
  if (matched !== undefined && matched.length === token.length && timingSafeEqual(matched, token)) return true;
  const given = Buffer.from(sha256(m[1]!), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  if (matchedTokens.size >= MATCHED_TOKENS_LIMIT) matchedTokens.clear();
  matchedTokens.set(storedHash, token);
  return true;
}
