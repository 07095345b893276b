/**
 * A canonical JSON encoding (keys sorted, no insignificant white space, `undefined`
 * members dropped), so that the same event always hashes to the same bytes no matter
 * which process, database or JSON column type stored it.
 */
import { hash } from 'node:crypto';
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('cannot encode a non-finite number');
    return JSON.stringify(value);
  }
  // Plain loops and string appends: every event sealed and every alert fingerprinted goes
  // through here, and the intermediate arrays of entries/filter/map cost more than the work.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort orders by UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/** The hex SHA-256 of `value`'s canonical encoding: what hash chains, fingerprints and document hashes are made of. */
export function canonicalDigest(value: unknown): string {
  // One-shot: a Hash object costs more than the digest of a short text.
  return hash('sha256', canonicalJson(value), 'hex');
}
