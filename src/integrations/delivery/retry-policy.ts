/**
 * When to try a failed delivery again: exponential backoff with jitter, then give up
 * (dead-letter). Randomness is injected so tests can pin the jitter.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included, before a message is dead-lettered. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/**
 * Delay before attempt `attempts + 1`, after `attempts` failures: base × 2^(attempts−1),
 * capped, with "equal jitter" (half fixed, half random) so retries from many servers spread.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
