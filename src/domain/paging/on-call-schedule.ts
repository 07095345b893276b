/**
 * On-call schedules: who is on call at any instant, the shifts between two instants and
 * the gaps where nobody is. Pure: the schedule and the instant are arguments.
 *
 * A schedule is layers of rotations plus overrides.
 * - A layer rotates through its people, one shift each, in order, from its first
 *   hand-over (a local date and time in the layer's zone). Shifts counted in days
 *   (daily, weekly, every N days) hand over at the same wall-clock time every time, so a
 *   09:00 Berlin hand-over stays at 09:00 across DST; shifts counted in hours are elapsed
 *   time (a 12-hour shift is 12 hours even on the night the clocks change).
 * - A layer may be limited to a daily window of its zone (follow-the-sun: Europe covers
 *   08:00–20:00 Berlin, the Americas the rest); outside it the layer has nobody.
 * - Later layers take precedence where they have someone; an override (one person over an
 *   interval, "I take Tuesday") takes precedence over every layer.
 * Wall times become instants by the rule in `wall-time.ts`.
 */
import { instantToWallTime, type LocalDay, parseClockTime, parseLocalDay, wallTimeToInstant } from './wall-time.js';

const HOUR_MS = 3_600_000;

export type ShiftLength = { readonly days: number } | { readonly hours: number };

export interface RotationLayer {
  readonly name: string;
  /** User handles, in rotation order; a handle may appear more than once. */
  readonly users: readonly string[];
  readonly shift: ShiftLength;
  /** Local date of the first hand-over, `YYYY-MM-DD`. */
  readonly start: string;
  /** Local time of the hand-over, `HH:MM`. */
  readonly handover: string;
  readonly timeZone: string;
  /** Daily window (local `HH:MM`, `to` may be past midnight) outside which the layer has nobody. */
  readonly window?: { readonly from: string; readonly to: string };
}

export interface ScheduleOverride {
  readonly id: string;
  readonly user: string;
  /** ISO instants, `start` inclusive, `end` exclusive. */
  readonly start: string;
  readonly end: string;
}

export interface OnCallSchedule {
  readonly id: string;
  readonly name: string;
  /** The zone the schedule is shown in by default. */
  readonly timeZone: string;
  readonly layers: readonly RotationLayer[];
  readonly overrides: readonly ScheduleOverride[];
}

export interface Shift {
  readonly user: string;
  readonly start: string;
  readonly end: string;
  /** The layer's name, or `override`. */
  readonly source: string;
}

export interface Gap {
  readonly start: string;
  readonly end: string;
}

interface CompiledLayer {
  readonly layer: RotationLayer;
  readonly firstDay: LocalDay;
  readonly handoverMinutes: number;
  readonly window?: { readonly from: number; readonly to: number };
}

function compile(layer: RotationLayer): CompiledLayer {
  const firstDay = parseLocalDay(layer.start);
  const handoverMinutes = parseClockTime(layer.handover);
  if (firstDay === undefined || handoverMinutes === undefined) throw new Error(`layer ${layer.name} was not validated`);
  const from = layer.window ? parseClockTime(layer.window.from) : undefined;
  const to = layer.window ? parseClockTime(layer.window.to) : undefined;
  return { layer, firstDay, handoverMinutes, ...(from !== undefined && to !== undefined ? { window: { from, to } } : {}) };
}

/** The instant shift `k` of a layer starts (k may be any integer). */
function shiftStart(compiled: CompiledLayer, k: number): number {
  const { layer, firstDay, handoverMinutes } = compiled;
  if ('days' in layer.shift) return wallTimeToInstant(firstDay + k * layer.shift.days, handoverMinutes, layer.timeZone);
  return wallTimeToInstant(firstDay, handoverMinutes, layer.timeZone) + k * layer.shift.hours * HOUR_MS;
}

/** The index of the shift in force at `at` (negative before the first hand-over). */
function shiftIndexAt(compiled: CompiledLayer, at: number): number {
  const { layer } = compiled;
  const first = shiftStart(compiled, 0);
  const lengthMs = ('days' in layer.shift ? layer.shift.days * 24 : layer.shift.hours) * HOUR_MS;
  // An estimate from elapsed time, off by at most one where DST moved a hand-over.
  let k = Math.floor((at - first) / lengthMs);
  while (shiftStart(compiled, k) > at) k -= 1;
  while (shiftStart(compiled, k + 1) <= at) k += 1;
  return k;
}

function insideWindow(compiled: CompiledLayer, at: number): boolean {
  if (!compiled.window) return true;
  const { from, to } = compiled.window;
  const { minutes } = instantToWallTime(at, compiled.layer.timeZone);
  if (from === to) return true;
  return from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
}

function layerUserAt(compiled: CompiledLayer, at: number): string | undefined {
  const k = shiftIndexAt(compiled, at);
  if (k < 0 || !insideWindow(compiled, at)) return undefined;
  const users = compiled.layer.users;
  return users[k % users.length];
}

function resolveAt(schedule: OnCallSchedule, layers: readonly CompiledLayer[], at: number): { user: string; source: string } | undefined {
  const override = schedule.overrides.find((o) => Date.parse(o.start) <= at && at < Date.parse(o.end));
  if (override) return { user: override.user, source: 'override' };
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const user = layerUserAt(layers[i]!, at);
    if (user !== undefined) return { user, source: layers[i]!.layer.name };
  }
  return undefined;
}

/** Who is on call at `at`, or undefined in a gap. */
export function onCallAt(schedule: OnCallSchedule, at: Date): string | undefined {
  return resolveAt(schedule, schedule.layers.map(compile), at.getTime())?.user;
}

/** Everyone who has a place in any layer's rotation or an override, in first-seen order. */
export function everyoneOn(schedule: OnCallSchedule): string[] {
  return [...new Set([...schedule.layers.flatMap((l) => l.users), ...schedule.overrides.map((o) => o.user)])];
}

/** Every instant in [from, to) where the answer may change: hand-overs, window edges, overrides. */
function boundaries(schedule: OnCallSchedule, layers: readonly CompiledLayer[], from: number, to: number): number[] {
  const points = new Set<number>([from]);
  for (const compiled of layers) {
    for (let k = Math.max(0, shiftIndexAt(compiled, from)); ; k += 1) {
      const start = shiftStart(compiled, k);
      if (start >= to) break;
      if (start > from) points.add(start);
    }
    if (compiled.window) {
      const zone = compiled.layer.timeZone;
      const firstDay = instantToWallTime(from, zone).day - 1;
      const lastDay = instantToWallTime(to, zone).day + 1;
      for (let day = firstDay; day <= lastDay; day += 1) {
        for (const minutes of [compiled.window.from, compiled.window.to]) {
          const edge = wallTimeToInstant(day, minutes, zone);
          if (edge > from && edge < to) points.add(edge);
        }
      }
    }
  }
  for (const o of schedule.overrides) {
    for (const edge of [Date.parse(o.start), Date.parse(o.end)]) if (edge > from && edge < to) points.add(edge);
  }
  return [...points].sort((a, b) => a - b);
}

/** The final shifts (after layers and overrides) that overlap [from, to), clipped to it, with the gaps between. */
export function shiftsBetween(schedule: OnCallSchedule, from: Date, to: Date): { shifts: Shift[]; gaps: Gap[] } {
  const layers = schedule.layers.map(compile);
  const end = to.getTime();
  const points = boundaries(schedule, layers, from.getTime(), end);
  const shifts: Shift[] = [];
  const gaps: Gap[] = [];
  points.forEach((start, i) => {
    const stop = points[i + 1] ?? end;
    const who = resolveAt(schedule, layers, start);
    const iso = { start: new Date(start).toISOString(), end: new Date(stop).toISOString() };
    if (!who) {
      const last = gaps.at(-1);
      if (last && last.end === iso.start) gaps[gaps.length - 1] = { ...last, end: iso.end };
      else gaps.push(iso);
      return;
    }
    const last = shifts.at(-1);
    if (last && last.user === who.user && last.source === who.source && last.end === iso.start) shifts[shifts.length - 1] = { ...last, end: iso.end };
    else shifts.push({ user: who.user, source: who.source, ...iso });
  });
  return { shifts, gaps };
}
