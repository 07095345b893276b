/**
 * Reaching people: on-call schedules (who is on call when, their history, overrides), the
 * lookup the pager asks of them, escalation policies as data, the pager that pages each
 * escalation step (the one escalation mechanism), acknowledge links, page wording in the
 * reader's zone, and reachability (would a plan's escalation reach anybody now?).
 */
export * from './ack-links.js';
export type { OnCallLookup } from './on-call-lookup.js';
export * from './page-message.js';
export * from './pager.js';
export * from './paging-service.js';
export * from './policy-store.js';
export { presentSchedule, type ScheduleDetail, scheduleDetail, type ScheduleSummary } from './schedule-view.js';
export { MAX_SHIFT_SPAN_DAYS, requireUsers, type ScheduleChange, type ScheduleRecord, ScheduleService } from './schedule-service.js';
