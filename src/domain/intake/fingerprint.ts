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
  return canonicalDigest(identity);
}

/** A caller-supplied fingerprint is used as given, namespaced so it cannot collide with ours. */
export function explicitFingerprint(source: string, given: string): string {
  return canonicalDigest({ source, fingerprint: given });
}
