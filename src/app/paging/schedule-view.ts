/**
 * The one shape a schedule leaves Firebreak in (API answers, CLI output): its definition,
 * overrides and version, who is on call now, and — for one schedule — the shifts and
 * gaps over a span with who is on call at its start.
 */
import { type Gap, onCallAt, type Shift } from '../../domain/paging/on-call-schedule.js';
import type { ScheduleRecord, ScheduleService } from './schedule-service.js';

export interface ScheduleSummary extends Record<string, unknown> {
  readonly id: string;
  readonly name: string;
  readonly onCallNow: string | null;
  readonly version: number;
}

export interface ScheduleDetail extends ScheduleSummary {
  readonly from: string;
  readonly to: string;
  readonly onCallAtFrom: string | null;
  readonly shifts: readonly Shift[];
  readonly gaps: readonly Gap[];
}

export function presentSchedule(record: ScheduleRecord, now: Date): ScheduleSummary {
  return { ...record.schedule, version: record.version, updatedAt: record.updatedAt, updatedBy: record.updatedBy, onCallNow: onCallAt(record.schedule, now) ?? null };
}

export async function scheduleDetail(schedules: ScheduleService, id: string, now: Date, from: Date, days: number): Promise<ScheduleDetail> {
  const record = await schedules.get(id);
  const to = new Date(from.getTime() + days * 86_400_000);
  const span = await schedules.shifts(id, from, to);
  return { ...presentSchedule(record, now), from: from.toISOString(), to: to.toISOString(), onCallAtFrom: onCallAt(record.schedule, from) ?? null, ...span };
}
