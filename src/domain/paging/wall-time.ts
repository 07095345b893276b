/**
 * Wall-clock time in an IANA zone, turned into instants by one explicit rule, so that
 * every hand-over, window edge and shift a schedule computes agrees across DST changes.
 *
 * The rule is the "compatible" disambiguation of TC39 Temporal (and of RFC 5545 for
 * local times): a wall time that does not exist (the hour skipped in spring) moves
 * forward by the length of the gap (02:30 → 03:30); a wall time that exists twice (the
 * hour repeated in autumn) is the earlier of the two instants. `@date-fns/tz` supplies
 * the zone offsets; the rule is ours, because the library's own constructor picks the
 * earlier instant in some zones and the later in others.
 */
import { tzOffset } from '@date-fns/tz';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A local calendar date, `YYYY-MM-DD`, held as a day count since 1970-01-01. */
export type LocalDay = number;

export function parseLocalDay(text: string): LocalDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(match[3]) || back.getUTCMonth() !== Number(match[2]) - 1) return undefined;
  return ms / DAY_MS;
}

export function formatLocalDay(day: LocalDay): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `HH:MM` as minutes after local midnight (00:00–23:59). */
export function parseClockTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in summer: 120). */
function offsetMinutes(zone: string, instantMs: number): number {
  return tzOffset(zone, new Date(instantMs));
}

/** The instant of a wall time (day + minutes after midnight) in a zone, by the rule above. */
export function wallTimeToInstant(day: LocalDay, minutes: number, zone: string): number {
  const asUtc = day * DAY_MS + minutes * MINUTE_MS;
  // The offsets a day either side bracket any transition near this wall time.
  const before = offsetMinutes(zone, asUtc - DAY_MS);
  const after = offsetMinutes(zone, asUtc + DAY_MS);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * MINUTE_MS)
    .filter((instant) => asUtc - offsetMinutes(zone, instant) * MINUTE_MS === instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In the gap: read the wall time with the offset in force before the gap.
  return asUtc - before * MINUTE_MS;
}

/** The local day and minutes after midnight of an instant in a zone. */
export function instantToWallTime(instantMs: number, zone: string): { readonly day: LocalDay; readonly minutes: number } {
  const local = instantMs + offsetMinutes(zone, instantMs) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, minutes: Math.floor((local - day * DAY_MS) / MINUTE_MS) };
}
