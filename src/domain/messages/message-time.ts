/**
 * Times in a message that leaves Firebreak are written for a person, in a time zone the
 * sender chose (the plan's, or the recipient's own), never as raw ISO 8601: a responder
 * reading "2026-12-07T13:05:00.000Z" on a phone at 3 a.m. has to do arithmetic first.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** One instant as "Mon 7 Dec 2026, 14:05 (Europe/Berlin)" or "…, 13:05 UTC". */
export function formatInstant(at: Date, timeZone: string): string {
  const text = format(new TZDate(at.getTime(), timeZone), 'EEE d MMM yyyy, HH:mm');
  return timeZone === 'UTC' ? `${text} UTC` : `${text} (${timeZone})`;
}

/** `text` with every ISO 8601 instant in it rewritten by `formatInstant`. */
export function localizeInstants(text: string, timeZone: string): string {
  return text.replace(ISO_INSTANT, (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : formatInstant(at, timeZone);
  });
}
