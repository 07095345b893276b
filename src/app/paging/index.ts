/**
 * Reaching people. On-call schedules (who is on call when, their history, overrides) and
 * the lookup the pager asks of them; escalation and pages grow here beside them.
 */
export type { OnCallLookup } from './on-call-lookup.js';
export { presentSchedule, type ScheduleDetail, scheduleDetail, type ScheduleSummary } from './schedule-view.js';
export { MAX_SHIFT_SPAN_DAYS, requireUsers, type ScheduleChange, type ScheduleRecord, ScheduleService } from './schedule-service.js';
