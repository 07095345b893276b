/**
 * Alert identity. Two alerts are the same when the source says so (its own stable id), or
 * else when the same rule fired on the same resource. The fingerprint is a SHA-256 over a
 * canonical encoding of that basis, so it is stable across processes and versions.
 */
import { canonicalDigest } from '../chain/canonical-json.js';
import type { AlertResource } from './alert.js';

export interface FingerprintBasis {
  readonly source: string;
  readonly sourceId?: string | undefined;
  readonly rule: string;
  readonly resource: AlertResource;
  /** Extra stable identity the source offers (e.g. SARIF partialFingerprints). */
  readonly extra?: Readonly<Record<string, string>> | undefined;
}

export function fingerprintOf(basis: FingerprintBasis): string {
  const identity =
    basis.sourceId !== undefined && basis.sourceId !== ''
      ? { source: basis.source, id: basis.sourceId }
      : { source: basis.source, rule: basis.rule, resource: basis.resource, ...(basis.extra ? { extra: basis.extra } : {}) };
  return rememberedDigest(identity);
}

/** A caller-supplied fingerprint is used as given, namespaced so it cannot collide with ours. */
export function explicitFingerprint(source: string, given: string): string {
  return rememberedDigest({ source, fingerprint: given });
}

/** Most identities remembered; the memo is emptied when it is full, so it stays small. */
const REMEMBERED_LIMIT = 1024;
const remembered = new Map<string, string>();

/**
 * In an alert storm one identity arrives thousands of times a second. Its plain JSON text
 * and a map lookup cost a fraction of the canonical encoding and SHA-256 they save. The
 * text is an exact key: identities are made of strings only, so the same text is the same
 * identity (another key order is only a miss, computed afresh).
 */
function rememberedDigest(identity: Readonly<Record<string, unknown>>): string {
  const key = JSON.stringify(identity);
  let digest = remembered.get(key);
  if (digest === undefined) {
    digest = canonicalDigest(identity);
    if (remembered.size >= REMEMBERED_LIMIT) remembered.clear();
    remembered.set(key, digest);
  }
  return digest;
}
