import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy.js';

describe('retry delays', () => {
  it('double each time with equal jitter, up to the cap', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });

  it('always stay between half and all of the capped exponential delay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, r) => {
        const full = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempts - 1));
        const delay = retryDelayMs(DEFAULT_RETRY_POLICY, attempts, () => r);
        return delay >= Math.floor(full / 2) && delay <= full;
      }),
    );
  });
});
