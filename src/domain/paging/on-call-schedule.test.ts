import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everyoneOn, type OnCallSchedule, onCallAt, type RotationLayer, shiftsBetween } from './on-call-schedule.js';
import { overlappingOverride, ScheduleDefinitionSchema } from './schedule-input.js';
import { wallTimeToInstant } from './wall-time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Zones with DST in spring/autumn (north and south), at midnight (Santiago), and none (Kolkata). */
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Kolkata', 'Europe/London'] as const;

// ---- The oracle: wall time read with Intl alone, hand-overs walked one by one. ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallOf(instant: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']));
}

/** Brute force: scan every quarter hour around the wall time for instants that read as it. */
function oracleInstant(day: number, minutes: number, zone: string): number {
  const target = day * DAY + minutes * MINUTE;
  const hits: number[] = [];
  let lastBefore: number | undefined;
  for (let t = target - 16 * HOUR; t <= target + 16 * HOUR; t += 15 * MINUTE) {
    const wall = wallOf(t, zone);
    if (wall === target) hits.push(t);
    if (wall < target) lastBefore = t;
  }
  if (hits.length > 0) return hits[0]!;
  // In the gap: continue from the last instant before it, at its offset.
  return lastBefore! + (target - wallOf(lastBefore!, zone));
}

function oracleLayerUser(layer: RotationLayer, at: number): string | undefined {
  const firstDay = Date.parse(`${layer.start}T00:00:00Z`) / DAY;
  const [h, m] = layer.handover.split(':').map(Number) as [number, number];
  const first = oracleInstant(firstDay, h * 60 + m, layer.timeZone);
  const start = (k: number) => ('days' in layer.shift ? oracleInstant(firstDay + k * layer.shift.days, h * 60 + m, layer.timeZone) : first + k * layer.shift.hours * HOUR);
  if (at < start(0)) return undefined;
  let k = 0;
  while (start(k + 1) <= at) k += 1;
  if (layer.window) {
    const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    const from = minutesOf(layer.window.from);
    const to = minutesOf(layer.window.to);
    const wall = (wallOf(at, layer.timeZone) % DAY) / MINUTE;
    const inside = from === to || (from < to ? wall >= from && wall < to : wall >= from || wall < to);
    if (!inside) return undefined;
  }
  return layer.users[k % layer.users.length];
}

function oracleOnCall(schedule: OnCallSchedule, at: number): string | undefined {
  const override = schedule.overrides.find((o) => Date.parse(o.start) <= at && at < Date.parse(o.end));
  if (override) return override.user;
  for (const layer of [...schedule.layers].reverse()) {
    const user = oracleLayerUser(layer, at);
    if (user) return user;
  }
  return undefined;
}

// ---- Generators ----

const quarterHour = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const layerArb: fc.Arbitrary<RotationLayer> = fc.record({
  name: fc.constantFrom('base', 'europe', 'americas'),
  users: fc.array(fc.constantFrom('ana', 'bo', 'cy', 'dee', 'eli'), { minLength: 1, maxLength: 4 }),
  shift: fc.oneof(fc.integer({ min: 1, max: 14 }).map((days) => ({ days })), fc.integer({ min: 1, max: 48 }).map((hours) => ({ hours }))),
  // A start in February or August, so the walk crosses spring and autumn changes on both hemispheres.
  start: fc.constantFrom('2026-02-20', '2026-03-01', '2026-08-25', '2026-09-30', '2026-10-20'),
  handover: quarterHour,
  timeZone: fc.constantFrom(...ZONES),
  window: fc.option(fc.record({ from: quarterHour, to: quarterHour }), { nil: undefined }),
}).map((l) => (l.window === undefined ? { ...l, window: undefined } : l));

const scheduleArb: fc.Arbitrary<OnCallSchedule> = fc
  .record({
    layers: fc.array(layerArb, { minLength: 1, maxLength: 3 }),
    override: fc.option(fc.record({ user: fc.constantFrom('zed', 'ana'), offsetHours: fc.integer({ min: 0, max: 24 * 90 }), lengthHours: fc.integer({ min: 1, max: 72 }) }), { nil: undefined }),
  })
  .map(({ layers, override }) => {
    const base = Date.parse('2026-02-20T00:00:00Z');
    const overrides = override
      ? [{ id: 'o1', user: override.user, start: new Date(base + override.offsetHours * HOUR).toISOString(), end: new Date(base + (override.offsetHours + override.lengthHours) * HOUR).toISOString() }]
      : [];
    return { id: 's', name: 'S', timeZone: 'UTC', layers: layers.map((l) => JSON.parse(JSON.stringify(l)) as RotationLayer), overrides };
  });

const instantArb = fc.integer({ min: Date.parse('2026-02-18T00:00:00Z') / MINUTE, max: Date.parse('2027-01-20T00:00:00Z') / MINUTE }).map((m) => m * MINUTE);

describe('wall time in a zone', () => {
  it('turns wall times into instants as a brute-force scan does, in gaps and repeated hours too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / DAY, max: Date.parse('2026-12-31T00:00:00Z') / DAY }), fc.integer({ min: 0, max: 95 }), (zone, day, q) => {
        expect(wallTimeToInstant(day, q * 15, zone)).toBe(oracleInstant(day, q * 15, zone));
      }),
      { numRuns: 400 },
    );
  });

  it('moves a skipped time forward and takes the earlier of a repeated one (Berlin 2026)', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
    expect(new Date(wallTimeToInstant(day('2026-03-29'), 150, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(wallTimeToInstant(day('2026-10-25'), 150, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('who is on call', () => {
  it('equals a hand-over-by-hand-over walk of every rotation, across DST in several zones', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (schedule, at) => {
        expect(onCallAt(schedule, new Date(at))).toBe(oracleOnCall(schedule, at));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a weekly 09:00 Berlin hand-over at 09:00 local across the spring change', () => {
    const schedule: OnCallSchedule = {
      id: 'p',
      name: 'Primary',
      timeZone: 'Europe/Berlin',
      layers: [{ name: 'weekly', users: ['ana', 'bo'], shift: { days: 7 }, start: '2026-03-23', handover: '09:00', timeZone: 'Europe/Berlin' }],
      overrides: [],
    };
    // 09:00 CET is 08:00Z before the change; 09:00 CEST is 07:00Z after it.
    expect(onCallAt(schedule, new Date('2026-03-30T06:59:00Z'))).toBe('ana');
    expect(onCallAt(schedule, new Date('2026-03-30T07:00:00Z'))).toBe('bo');
    expect(onCallAt(schedule, new Date('2026-03-23T07:59:00Z'))).toBeUndefined();
  });

  it('lets a later layer win inside its window and an override win over all', () => {
    const schedule: OnCallSchedule = {
      id: 'f',
      name: 'Follow the sun',
      timeZone: 'UTC',
      layers: [
        { name: 'americas', users: ['cy'], shift: { days: 1 }, start: '2026-06-01', handover: '00:00', timeZone: 'America/New_York' },
        { name: 'europe', users: ['ana', 'bo'], shift: { days: 7 }, start: '2026-06-01', handover: '08:00', timeZone: 'Europe/Berlin', window: { from: '08:00', to: '20:00' } },
      ],
      overrides: [{ id: 'o', user: 'dee', start: '2026-06-02T10:00:00Z', end: '2026-06-02T11:00:00Z' }],
    };
    expect(onCallAt(schedule, new Date('2026-06-02T09:00:00Z'))).toBe('ana'); // 11:00 Berlin
    expect(onCallAt(schedule, new Date('2026-06-02T10:30:00Z'))).toBe('dee');
    expect(onCallAt(schedule, new Date('2026-06-02T19:00:00Z'))).toBe('cy'); // 21:00 Berlin
    expect(everyoneOn(schedule)).toEqual(['cy', 'ana', 'bo', 'dee']);
  });
});

describe('shifts and gaps', () => {
  it('tile the range without holes, and each instant falls in the shift of whoever is on call', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, fc.integer({ min: 1, max: 10 * 24 }), fc.integer({ min: 0, max: 1000 }), (schedule, from, hours, probe) => {
        const to = from + hours * HOUR;
        const { shifts, gaps } = shiftsBetween(schedule, new Date(from), new Date(to));
        const pieces = [...shifts.map((s) => ({ ...s, who: s.user as string | undefined })), ...gaps.map((g) => ({ ...g, who: undefined }))].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        expect(pieces[0]!.start).toBe(new Date(from).toISOString());
        expect(pieces.at(-1)!.end).toBe(new Date(to).toISOString());
        for (let i = 1; i < pieces.length; i += 1) expect(pieces[i]!.start).toBe(pieces[i - 1]!.end);
        const at = from + Math.floor((probe / 1001) * (to - from));
        const piece = pieces.find((p) => Date.parse(p.start) <= at && at < Date.parse(p.end))!;
        expect(piece.who).toBe(onCallAt(schedule, new Date(at)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('schedule input', () => {
  it('refuses a rotation of nobody, an unknown zone, a bad hand-over time and unknown keys, naming each field', () => {
    const result = ScheduleDefinitionSchema.safeParse({
      id: 'primary',
      name: 'Primary',
      timeZone: 'Mars/Olympus',
      layers: [{ name: 'l', users: [], shift: { days: 7 }, start: '2026-02-30', handover: '25:00', timeZone: 'Europe/Berlin', handsover: 'x' }],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeZone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Berlin)',
        'layers.0.users: a rotation needs at least one person',
        'layers.0.start: must be a date YYYY-MM-DD (the first hand-over)',
        'layers.0.handover: must be a local time HH:MM, e.g. 09:00',
      ]),
    );
    expect(paths.some((p) => p.includes('handsover'))).toBe(true);
  });

  it('finds an overlapping override and lets back-to-back ones be', () => {
    const existing = [{ id: 'a', user: 'ana', start: '2026-06-02T00:00:00Z', end: '2026-06-03T00:00:00Z' }];
    expect(overlappingOverride(existing, { start: '2026-06-02T12:00:00Z', end: '2026-06-04T00:00:00Z' })?.id).toBe('a');
    expect(overlappingOverride(existing, { start: '2026-06-03T00:00:00Z', end: '2026-06-04T00:00:00Z' })).toBeUndefined();
  });
});
