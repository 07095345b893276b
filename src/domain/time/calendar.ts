/**
 * Adds plan durations to instants on the organisation's calendar: calendar units in its
 * time zone, business days skipping weekends and its holiday list. Pure: the instant and
 * the calendar are arguments, nothing reads the system clock.
 */
import { TZDate } from '@date-fns/tz';
// Subpath imports: the package root pulls in every date-fns function (slow CLI start).
import { addDays } from 'date-fns/addDays';
import { addHours } from 'date-fns/addHours';
import { addMinutes } from 'date-fns/addMinutes';
import { addMonths } from 'date-fns/addMonths';
import { addWeeks } from 'date-fns/addWeeks';
import { addYears } from 'date-fns/addYears';
import { format } from 'date-fns/format';
import { isWeekend } from 'date-fns/isWeekend';
import type { Duration } from './duration.js';

export interface BusinessCalendar {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Holidays as `YYYY-MM-DD` in that time zone. */
  readonly holidays: readonly string[];
}

export const UTC_CALENDAR: BusinessCalendar = { timeZone: 'UTC', holidays: [] };

function isBusinessDay(day: TZDate, holidays: ReadonlySet<string>): boolean {
  return !isWeekend(day) && !holidays.has(format(day, 'yyyy-MM-dd'));
}

/**
 * `n` business days after `start`, at the same wall-clock time. A start outside business
 * hours on a non-business day counts from the next business day, as regulators do.
 */
function addBusinessDaysSkippingHolidays(start: TZDate, n: number, holidays: ReadonlySet<string>): TZDate {
  let day = start;
  let remaining = n;
  while (remaining > 0) {
    day = addDays(day, 1);
    if (isBusinessDay(day, holidays)) remaining -= 1;
  }
  return day;
}

export function addDuration(at: Date, duration: Duration, calendar: BusinessCalendar = UTC_CALENDAR): Date {
  const start = new TZDate(at.getTime(), calendar.timeZone);
  const { amount } = duration;
  switch (duration.unit) {
    case 'minute':
      return new Date(addMinutes(start, amount).getTime());
    case 'hour':
      return new Date(addMinutes(start, Math.round(amount * 60)).getTime());
    case 'day':
      return Number.isInteger(amount)
        ? new Date(addDays(start, amount).getTime())
        : new Date(addHours(start, Math.round(amount * 24)).getTime());
    case 'week':
      return Number.isInteger(amount)
        ? new Date(addWeeks(start, amount).getTime())
        : new Date(addDays(start, Math.round(amount * 7)).getTime());
    case 'month':
      return new Date(addMonths(start, amount).getTime());
    case 'year':
      return new Date(addYears(start, amount).getTime());
    case 'businessDay':
      return new Date(addBusinessDaysSkippingHolidays(start, amount, new Set(calendar.holidays)).getTime());
    default: {
      const unreachable: never = duration.unit;
      throw new Error(`unknown duration unit ${String(unreachable)}`);
    }
  }
}
