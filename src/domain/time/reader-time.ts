/**
 * Instants written for a person to read in their own time zone, in messages that leave
 * Firebreak (pages, reminders): "Tue, 8 Dec 2026, 03:12 CET". Raw ISO strings are for
 * machines; a responder woken at 3 a.m. should not have to convert from UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatForReader(iso: string, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formatters.set(timeZone, format);
  }
  return format.format(new Date(iso));
}
