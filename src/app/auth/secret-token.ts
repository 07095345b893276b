/**
 * Random secrets (session cookies, API tokens, CSRF tokens, setup links) and the SHA-256
 * digests under which they are stored: a leaked database holds no usable secret.
 */
import { createHash, randomBytes } from 'node:crypto';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** API tokens carry a prefix so they are recognisable (and findable by secret scanners). */
export const API_TOKEN_PREFIX = 'fbt_';

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomSecret(32)}`;
}
