/**
 * What a schedule may be, as the API, the CLI and the store accept it: every field
 * checked, unknown keys refused, and the rules a valid rotation must keep (someone in
 * it, a real zone, a real date and time, overrides that do not overlap) reported on the
 * field that breaks them. Whether each handle is a known user is the app's question.
 */
import { z } from 'zod';
import type { OnCallSchedule, ScheduleOverride } from './on-call-schedule.js';
import { isKnownZone, parseClockTime, parseLocalDay } from './wall-time.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

const Zone = z.string().superRefine((zone, ctx) => {
  if (!isKnownZone(zone)) ctx.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone (e.g. Europe/Berlin)` });
});
const ClockTime = z.string().refine((t) => parseClockTime(t) !== undefined, 'must be a local time HH:MM, e.g. 09:00');
const Handle = z.string().regex(HANDLE, 'must be a user handle');
const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-12-08T09:00:00Z' });

export const RotationLayerSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    users: z.array(Handle).min(1, 'a rotation needs at least one person').max(200),
    shift: z.union([
      z.object({ days: z.number().int().min(1).max(366) }).strict(),
      z.object({ hours: z.number().int().min(1).max(24 * 31) }).strict(),
    ]),
    start: z.string().refine((d) => parseLocalDay(d) !== undefined, 'must be a date YYYY-MM-DD (the first hand-over)'),
    handover: ClockTime,
    timeZone: Zone,
    window: z.object({ from: ClockTime, to: ClockTime }).strict().optional(),
  })
  .strict();

export const OverrideInputSchema = z
  .object({ user: Handle, start: Instant, end: Instant })
  .strict()
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), { message: 'must be after start', path: ['end'] });

export const ScheduleDefinitionSchema = z
  .object({
    id: z.string().regex(SLUG, 'must be lower-case letters, digits and -, e.g. primary-oncall'),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    timeZone: Zone,
    layers: z.array(RotationLayerSchema).min(1, 'a schedule needs at least one rotation layer').max(10),
  })
  .strict();

export type ScheduleDefinition = z.infer<typeof ScheduleDefinitionSchema>;
export type OverrideInput = z.infer<typeof OverrideInputSchema>;

/** The override this one overlaps, if any (intervals are [start, end)). */
export function overlappingOverride(existing: readonly ScheduleOverride[], candidate: { start: string; end: string }): ScheduleOverride | undefined {
  const start = Date.parse(candidate.start);
  const end = Date.parse(candidate.end);
  return existing.find((o) => Date.parse(o.start) < end && start < Date.parse(o.end));
}

export function scheduleOf(definition: ScheduleDefinition, overrides: readonly ScheduleOverride[]): OnCallSchedule {
  return { ...definition, overrides };
}
