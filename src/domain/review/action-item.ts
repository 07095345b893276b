/**
 * Action items that come out of an incident or its review: an owner, a due date, a
 * priority, a link to the team's tracker and a status. `deferred` needs a reason (a
 * conscious decision). An incident is "closed-reviewed" only when it is closed, its review
 * is complete and every action item is done or deferred (`afterStatus`).
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { z } from 'zod';
import type { IncidentState, IncidentStatus } from '../incident/state.js';

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'deferred'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];

export interface ActionItem {
  readonly id: string;
  readonly incidentId: string;
  readonly title: string;
  readonly owner: string | null;
  /** YYYY-MM-DD in the plan's time zone. */
  readonly dueDate: string | null;
  readonly priority: ActionPriority;
  readonly trackerUrl: string | null;
  readonly status: ActionStatus;
  readonly statusReason: string | null;
  /** For "update the plan" items: the plan version the change lands in. */
  readonly planId: string | null;
  readonly planVersion: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

const DateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date');

export const ActionItemInputSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(500),
  owner: z.string().trim().min(1).max(200).optional(),
  dueDate: DateText.optional(),
  priority: z.enum(ACTION_PRIORITIES).default('medium'),
  trackerUrl: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
    .optional(),
  planId: z.string().trim().min(1).optional(),
  planVersion: z.string().trim().min(1).optional(),
});
export type ActionItemInput = z.input<typeof ActionItemInputSchema>;

export const ActionItemPatchSchema = ActionItemInputSchema.partial().extend({
  status: z.enum(ACTION_STATUSES).optional(),
  reason: z.string().trim().min(1).max(2000).optional(),
});
export type ActionItemPatch = z.input<typeof ActionItemPatchSchema>;

/** Checks a status change; returns the problem, or null when allowed. */
export function statusChangeProblem(from: ActionStatus, to: ActionStatus, reason: string | undefined): { path: string; message: string } | null {
  if (to === 'deferred' && !reason) return { path: 'reason', message: 'deferring an action item needs a reason' };
  if (from === 'done' && to !== 'open') return { path: 'status', message: 'a done item can only be reopened (status open)' };
  return null;
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function dateIn(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd');
}

export function isOpen(item: Pick<ActionItem, 'status'>): boolean {
  return item.status === 'open' || item.status === 'in_progress';
}

/** Overdue: still open and its due date is before `today` (YYYY-MM-DD). */
export function isOverdue(item: Pick<ActionItem, 'status' | 'dueDate'>, today: string): boolean {
  return isOpen(item) && item.dueDate !== null && item.dueDate < today;
}

export type AfterStatus = IncidentStatus | 'awaiting-review' | 'awaiting-actions' | 'closed-reviewed';

/** The incident's status including the after-incident work. */
export function afterStatus(state: Pick<IncidentState, 'status' | 'kind' | 'reviewCompletedAt'>, items: readonly Pick<ActionItem, 'status'>[]): AfterStatus {
  if (state.status !== 'closed' || state.kind !== 'incident') return state.status;
  if (!state.reviewCompletedAt) return 'awaiting-review';
  if (items.some(isOpen)) return 'awaiting-actions';
  return 'closed-reviewed';
}
