/**
 * A person's on-call shifts as an iCalendar feed (RFC 5545), written by `ical-generator`
 * so calendar apps (Google, Outlook, Apple, Thunderbird) subscribe to it as they do to
 * any published calendar. Each shift is one event with a stable UID, so a re-fetched feed
 * updates events instead of duplicating them; times are UTC instants, so no zone
 * database is needed on the reader's side.
 */
import ical from 'ical-generator';
import type { Shift } from '../../domain/paging/on-call-schedule.js';

export interface CalendarShift extends Shift {
  readonly scheduleId: string;
  readonly scheduleName: string;
}

export function shiftCalendar(owner: string, shifts: readonly CalendarShift[], links: { readonly schedule: (id: string) => string }): string {
  const calendar = ical({ name: `Firebreak on-call: ${owner}`, prodId: { company: 'Firebreak', product: 'on-call', language: 'EN' }, ttl: 900 });
  for (const shift of shifts) {
    calendar.createEvent({
      id: `${shift.scheduleId}/${shift.start}/${shift.user}@firebreak`,
      start: new Date(shift.start),
      end: new Date(shift.end),
      summary: `On call: ${shift.scheduleName}`,
      description: `${shift.user} is on call for ${shift.scheduleName}${shift.source === 'override' ? ' (override)' : ` (${shift.source} rotation)`}.`,
      url: links.schedule(shift.scheduleId),
    });
  }
  return calendar.toString();
}
