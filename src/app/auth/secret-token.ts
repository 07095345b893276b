/**
 * Random secrets (session cookies, API tokens, CSRF tokens, setup links) and the SHA-256
 * digests under which they are stored: a leaked database holds no usable secret.
 */
import { hash, randomBytes } from 'node:crypto';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * The hex SHA-256 under which a secret is stored and looked up: session cookies, API
 * tokens, reporters' status links and ingest sources' bearer tokens. One-shot: it runs on
 * every authenticated request, and a Hash object costs more than the digest.
 */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** API tokens carry a prefix so they are recognisable (and findable by secret scanners). */
export const API_TOKEN_PREFIX = 'fbt_';

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomSecret(32)}`;
}
