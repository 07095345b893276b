import { describe, expect, it } from 'vitest';
import { addDuration } from './calendar.js';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['10m', 10, 'minute'],
    ['4h', 4, 'hour'],
    ['72 hours', 72, 'hour'],
    ['5 business days', 5, 'businessDay'],
    ['2w', 2, 'week'],
    ['1 month', 1, 'month'],
    ['quarterly', 3, 'month'],
    ['twice daily', 12, 'hour'],
    ['1y', 1, 'year'],
  ])('reads %s', (text, amount, unit) => {
    expect(parseDuration(text)).toEqual({ ok: true, duration: { amount, unit, text } });
  });

  it.each(['5 parsecs', 'soon', '', '-3h', '0m', '1.5 business days'])('refuses %j with a reason', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/duration|unit|zero|whole/);
  });
});

describe('addDuration', () => {
  const calendar = { timeZone: 'Europe/Berlin', holidays: ['2026-04-06'] };

  it('counts business days over a weekend and a holiday', () => {
    // Thursday 2 April 2026 10:00 Berlin; Fri 3 = 1, (Sat, Sun, Easter Monday skipped), Tue 7 = 2.
    const start = new Date('2026-04-02T08:00:00Z');
    const due = addDuration(start, { amount: 2, unit: 'businessDay', text: '2 business days' }, calendar);
    expect(due.toISOString()).toBe('2026-04-07T08:00:00.000Z');
  });

  it('adds months on the calendar', () => {
    const due = addDuration(new Date('2026-01-31T12:00:00Z'), { amount: 1, unit: 'month', text: '1 month' });
    expect(due.toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });

  it('adds hours as elapsed time across a daylight-saving change', () => {
    const due = addDuration(new Date('2026-03-28T12:00:00Z'), { amount: 24, unit: 'hour', text: '24h' }, calendar);
    expect(due.toISOString()).toBe('2026-03-29T12:00:00.000Z');
  });
});
