import { describe, expect, it } from 'vitest';
import { formatInstant, localizeInstants } from './message-time.js';

describe('message times', () => {
  it('writes an instant in the given zone, across a DST change', () => {
    expect(formatInstant(new Date('2026-12-07T13:05:00Z'), 'UTC')).toBe('Mon 7 Dec 2026, 13:05 UTC');
    expect(formatInstant(new Date('2026-12-07T13:05:00Z'), 'Europe/Berlin')).toBe('Mon 7 Dec 2026, 14:05 (Europe/Berlin)');
    expect(formatInstant(new Date('2026-07-07T13:05:00Z'), 'Europe/Berlin')).toBe('Tue 7 Jul 2026, 15:05 (Europe/Berlin)');
  });

  it('rewrites every ISO instant in a body and leaves other text as it was', () => {
    expect(localizeInstants('Reported 2026-12-07T13:05:00.000Z, next 2026-12-07T14:05:00Z; ref 2026-12-07.', 'America/New_York')).toBe(
      'Reported Mon 7 Dec 2026, 08:05 (America/New_York), next Mon 7 Dec 2026, 09:05 (America/New_York); ref 2026-12-07.',
    );
  });
});
