import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDigest } from '../chain/canonical-json.js';
import { explicitFingerprint, type FingerprintBasis, fingerprintOf } from './fingerprint.js';

const text = fc.string({ maxLength: 12 });
const resource = fc.record({ repository: text, path: text, host: text, package: text }, { requiredKeys: [] });
const basis: fc.Arbitrary<FingerprintBasis> = fc.record(
  { source: text, sourceId: fc.option(text, { nil: undefined }), rule: text, resource, extra: fc.option(fc.dictionary(text, text, { maxKeys: 3 }), { nil: undefined }) },
  { requiredKeys: ['source', 'rule', 'resource'] },
);

/** The identity as the fingerprint has always been defined, hashed without the memo. */
function expected(b: FingerprintBasis): string {
  if (b.sourceId !== undefined && b.sourceId !== '') return canonicalDigest({ source: b.source, id: b.sourceId });
  return canonicalDigest({ source: b.source, rule: b.rule, resource: b.resource, ...(b.extra ? { extra: b.extra } : {}) });
}

describe('fingerprintOf', () => {
  it('is the digest of the canonical identity, the first time and every time after (the memo changes no fingerprint)', () => {
    fc.assert(
      fc.property(fc.array(basis, { minLength: 1, maxLength: 20 }), (bases) => {
        // Twice over, so the second pass is answered from the memo.
        for (const b of [...bases, ...bases]) expect(fingerprintOf(b)).toBe(expected(b));
      }),
      { numRuns: 300 },
    );
  });

  it('gives one fingerprint for one identity whatever the order of its resource fields', () => {
    const a = fingerprintOf({ source: 'generic', rule: 'r', resource: { host: 'h', path: 'p' } });
    const b = fingerprintOf({ source: 'generic', rule: 'r', resource: { path: 'p', host: 'h' } });
    expect(a).toBe(b);
    expect(fingerprintOf({ source: 'generic', rule: 'r', resource: { path: 'p', host: 'h2' } })).not.toBe(a);
  });

  it('stays right after the memo has filled and been emptied', () => {
    const first = { source: 'generic', rule: 'first', resource: {} };
    const digest = fingerprintOf(first);
    for (let i = 0; i < 3000; i++) fingerprintOf({ source: 'generic', rule: `rule-${i}`, resource: {} });
    expect(fingerprintOf(first)).toBe(digest);
    expect(explicitFingerprint('generic', 'abc')).toBe(canonicalDigest({ source: 'generic', fingerprint: 'abc' }));
  });
});
