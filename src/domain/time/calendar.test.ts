import { TZDate } from '@date-fns/tz';
import { addDays, addHours, addMinutes, addMonths, addWeeks, addYears, format, isWeekend } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, type BusinessCalendar } from './calendar.js';
import type { Duration, DurationUnit } from './duration.js';

/**
 * The straightforward form of the calendar: date-fns on a TZDate, one time-zone lookup per
 * step. The fast form must agree with it everywhere, DST changes and holidays included.
 */
function referenceAddDuration(at: Date, duration: Duration, calendar: BusinessCalendar): Date {
  const start = new TZDate(at.getTime(), calendar.timeZone);
  const { amount } = duration;
  const holidays = new Set(calendar.holidays);
  switch (duration.unit) {
    case 'minute':
      return new Date(addMinutes(start, amount).getTime());
    case 'hour':
      return new Date(addMinutes(start, Math.round(amount * 60)).getTime());
    case 'day':
      return Number.isInteger(amount) ? new Date(addDays(start, amount).getTime()) : new Date(addHours(start, Math.round(amount * 24)).getTime());
    case 'week':
      return Number.isInteger(amount) ? new Date(addWeeks(start, amount).getTime()) : new Date(addDays(start, Math.round(amount * 7)).getTime());
    case 'month':
      return new Date(addMonths(start, amount).getTime());
    case 'year':
      return new Date(addYears(start, amount).getTime());
    case 'businessDay': {
      // Count the calendar days on dates alone, then move once: stepping the zoned time a
      // day at a time would drift by an hour for good when a step lands in a DST gap.
      let days = 0;
      let remaining = amount;
      while (remaining > 0) {
        days += 1;
        const day = addDays(start, days);
        if (!isWeekend(day) && !holidays.has(format(day, 'yyyy-MM-dd'))) remaining -= 1;
      }
      return new Date(addDays(start, days).getTime());
    }
  }
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Sao_Paulo', 'Europe/London'];

const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true });

const duration: fc.Arbitrary<Duration> = fc.oneof(
  fc.record({ unit: fc.constantFrom<DurationUnit>('minute', 'hour', 'day', 'week'), amount: fc.oneof(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.1, max: 30, noNaN: true })) }),
  fc.record({ unit: fc.constantFrom<DurationUnit>('month', 'year', 'businessDay'), amount: fc.integer({ min: 1, max: 40 }) }),
).map((d) => ({ ...d, text: `${d.amount} ${d.unit}` }));

const holidays = fc.uniqueArray(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2034-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { maxLength: 30 });

describe('addDuration', () => {
  it('agrees with date-fns on a zoned date in every zone, across DST changes and holidays', () => {
    fc.assert(
      fc.property(instant, duration, fc.constantFrom(...ZONES), holidays, (at, d, timeZone, days) => {
        const calendar = { timeZone, holidays: days };
        expect(addDuration(at, d, calendar).toISOString()).toBe(referenceAddDuration(at, d, calendar).toISOString());
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees at the DST changes themselves, where wall-clock times are missing or repeated', () => {
    // Europe/Berlin springs forward 2026-03-29 02:00 and falls back 2026-10-25 03:00; New York 2026-03-08 and 2026-11-01.
    const edges = ['2026-03-28T01:30:00Z', '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-10-24T00:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2026-03-07T07:30:00Z', '2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'];
    for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
      for (const edge of edges) {
        for (const unit of ['day', 'week', 'month', 'year', 'businessDay'] as const) {
          const d = { amount: 1, unit, text: `1 ${unit}` };
          const calendar = { timeZone, holidays: [] };
          expect(addDuration(new Date(edge), d, calendar).toISOString(), `${edge} + 1 ${unit} in ${timeZone}`).toBe(referenceAddDuration(new Date(edge), d, calendar).toISOString());
        }
      }
    }
  });

  it('keeps the wall-clock time when the days counted pass a DST gap', () => {
    // Saturday 02:30 in Berlin; Sunday 02:30 does not exist (clocks jump to 03:00). Stepping
    // day by day used to carry 03:30 on to Monday; the deadline is Monday 02:30 CEST.
    const due = addDuration(new Date('2026-03-28T01:30:00Z'), { amount: 1, unit: 'businessDay', text: '1 business day' }, { timeZone: 'Europe/Berlin', holidays: [] });
    expect(due.toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });

  it('answers the same when asked again (memoised) and keeps calendars apart', () => {
    const at = new Date('2026-12-23T09:00:00Z');
    const five = { amount: 5, unit: 'businessDay' as const, text: '5 business days' };
    const plain = { timeZone: 'Europe/Berlin', holidays: [] };
    const christmas = { timeZone: 'Europe/Berlin', holidays: ['2026-12-24', '2026-12-25', '2026-12-31'] };
    expect(addDuration(at, five, plain).toISOString()).toBe('2026-12-30T09:00:00.000Z');
    expect(addDuration(at, five, christmas).toISOString()).toBe('2027-01-04T09:00:00.000Z');
    expect(addDuration(at, five, plain).toISOString()).toBe('2026-12-30T09:00:00.000Z');
    expect(addDuration(at, five, { timeZone: 'America/New_York', holidays: [] }).toISOString()).toBe('2026-12-30T09:00:00.000Z');
  });
});
