import { describe, expect, it } from 'vitest';
import { formatForReader } from './reader-time.js';

describe('times for the reader', () => {
  it('writes an instant in the reader’s zone, with the zone named, across DST', () => {
    expect(formatForReader('2026-12-08T02:12:00Z', 'Europe/Berlin')).toBe('Tue, 8 Dec 2026, 03:12 CET');
    expect(formatForReader('2026-07-08T02:12:00Z', 'Europe/Berlin')).toBe('Wed, 8 Jul 2026, 04:12 CEST');
    expect(formatForReader('2026-12-08T02:12:00Z', 'America/New_York')).toBe('Mon, 7 Dec 2026, 21:12 GMT-5');
  });
});
