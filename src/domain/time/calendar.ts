/**
 * Adds plan durations to instants on the organisation's calendar: minutes and hours as
 * elapsed time, calendar units (days, weeks, months, years) on the wall clock of its time
 * zone, business days skipping weekends and its holiday list. Pure: the instant and the
 * calendar are arguments, nothing reads the system clock.
 *
 * Every list and incident page derives each incident's clocks anew, so this is on the hot
 * path of almost every request. Calendar units therefore convert to the zone's wall clock
 * once, step over days with plain UTC arithmetic on that wall-clock reading, and convert
 * back once — instead of one time-zone lookup per day stepped — and results are memoised,
 * since the same incident asks the same questions on every request.
 */
import { TZDate } from '@date-fns/tz';
import type { Duration } from './duration.js';

export interface BusinessCalendar {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Holidays as `YYYY-MM-DD` in that time zone. */
  readonly holidays: readonly string[];
}

export const UTC_CALENDAR: BusinessCalendar = { timeZone: 'UTC', holidays: [] };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A wall-clock reading in the calendar's zone, held as the UTC instant with the same
 * fields, so day steps, weekdays and `YYYY-MM-DD` need no time-zone data.
 */
type WallClock = Date;

function toWallClock(at: Date, timeZone: string): WallClock {
  const zoned = new TZDate(at.getTime(), timeZone);
  return new Date(
    Date.UTC(zoned.getFullYear(), zoned.getMonth(), zoned.getDate(), zoned.getHours(), zoned.getMinutes(), zoned.getSeconds(), zoned.getMilliseconds()),
  );
}

/** The instant at that wall-clock reading; a reading that falls in a DST gap moves forward, as `Date` does. */
function fromWallClock(wall: WallClock, timeZone: string): Date {
  const zoned = new TZDate(
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
    wall.getUTCMilliseconds(),
    timeZone,
  );
  return new Date(zoned.getTime());
}

function isBusinessDay(wall: WallClock, holidays: ReadonlySet<string>): boolean {
  const weekday = wall.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(wall.toISOString().slice(0, 10));
}

/**
 * `n` business days after `start`, at the same wall-clock time. A start outside business
 * hours on a non-business day counts from the next business day, as regulators do.
 */
function addBusinessDays(start: WallClock, n: number, holidays: ReadonlySet<string>): WallClock {
  let day = start.getTime();
  let remaining = n;
  while (remaining > 0) {
    day += DAY_MS;
    if (isBusinessDay(new Date(day), holidays)) remaining -= 1;
  }
  return new Date(day);
}

/** Months added on the wall clock; the 31st plus a month is the last day of a shorter month. */
function addMonths(wall: WallClock, months: number): WallClock {
  const target = new Date(wall.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(wall.getUTCDate(), lastDay));
  return target;
}

/** Calendar units on the wall clock; `null` for the elapsed-time units. */
function addOnWallClock(wall: WallClock, duration: Duration, holidays: ReadonlySet<string>): WallClock {
  const { amount } = duration;
  switch (duration.unit) {
    case 'day':
      return new Date(wall.getTime() + amount * DAY_MS);
    case 'week':
      return new Date(wall.getTime() + Math.round(amount * 7) * DAY_MS);
    case 'month':
      return addMonths(wall, amount);
    case 'year':
      return addMonths(wall, amount * 12);
    case 'businessDay':
      return addBusinessDays(wall, amount, holidays);
    case 'minute':
    case 'hour':
      throw new Error(`${duration.unit} is elapsed time, not a calendar unit`);
    default: {
      const unreachable: never = duration.unit;
      throw new Error(`unknown duration unit ${String(unreachable)}`);
    }
  }
}

/** Elapsed-time units (the same length in every zone and season), or `null` for calendar units. */
function elapsedMs(duration: Duration): number | null {
  const { amount } = duration;
  switch (duration.unit) {
    case 'minute':
      return amount * MINUTE_MS;
    case 'hour':
      return Math.round(amount * 60) * MINUTE_MS;
    case 'day':
      // A fraction of a day is a number of hours, not a calendar step.
      return Number.isInteger(amount) ? null : Math.round(amount * 24) * 60 * MINUTE_MS;
    default:
      return null;
  }
}

interface CalendarMemo {
  readonly holidays: ReadonlySet<string>;
  readonly results: Map<string, number>;
}

/** Bounded so a long-running server's memo cannot grow without end; cleared when full. */
const MEMO_LIMIT = 50_000;
// Keyed by the holiday list itself: a loaded plan keeps one array for its whole life.
const memos = new WeakMap<readonly string[], Map<string, CalendarMemo>>();

function memoFor(calendar: BusinessCalendar): CalendarMemo {
  let byZone = memos.get(calendar.holidays);
  if (!byZone) {
    byZone = new Map();
    memos.set(calendar.holidays, byZone);
  }
  let memo = byZone.get(calendar.timeZone);
  if (!memo) {
    memo = { holidays: new Set(calendar.holidays), results: new Map() };
    byZone.set(calendar.timeZone, memo);
  }
  return memo;
}

export function addDuration(at: Date, duration: Duration, calendar: BusinessCalendar = UTC_CALENDAR): Date {
  const elapsed = elapsedMs(duration);
  if (elapsed !== null) return new Date(at.getTime() + elapsed);

  const memo = memoFor(calendar);
  const key = `${at.getTime()} ${duration.amount} ${duration.unit}`;
  const known = memo.results.get(key);
  if (known !== undefined) return new Date(known);

  const wall = addOnWallClock(toWallClock(at, calendar.timeZone), duration, memo.holidays);
  const due = fromWallClock(wall, calendar.timeZone);
  if (memo.results.size >= MEMO_LIMIT) memo.results.clear();
  memo.results.set(key, due.getTime());
  return due;
}
