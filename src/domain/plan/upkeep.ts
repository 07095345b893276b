/**
 * Keeping the plan alive: reminders for the plan review, the tabletop exercise and the
 * verification of contacts at the cadence the plan sets (`clocks.planReview`, `tabletop`,
 * `contactVerification`). Each is due one cadence after it was last done, or after the
 * plan was first loaded when it never was. Pure: dates in, reminders out.
 */
import { type Plan, planDuration } from './plan-schema.js';
import { addDuration } from '../time/calendar.js';

export const UPKEEP_KINDS = ['planReview', 'tabletop', 'contactVerification'] as const;
export type UpkeepKind = (typeof UPKEEP_KINDS)[number];

export const UPKEEP_LABELS: Record<UpkeepKind, string> = {
  planReview: 'Review the plan',
  tabletop: 'Run a tabletop exercise',
  contactVerification: 'Verify team contacts and channels',
};

export interface UpkeepReminder {
  readonly planId: string;
  readonly kind: UpkeepKind;
  readonly label: string;
  readonly cadence: string;
  readonly lastDoneAt: string | null;
  readonly dueAt: string;
  readonly state: 'pending' | 'overdue';
}

/** The next due date for each upkeep activity the plan has a cadence for. */
export function upkeepReminders(plan: Plan, lastDone: Partial<Record<UpkeepKind, string>>, since: string, at: Date): UpkeepReminder[] {
  const calendar = { timeZone: plan.timeZone, holidays: plan.holidays };
  return UPKEEP_KINDS.flatMap((kind) => {
    const cadence = plan.clocks[kind];
    if (!cadence) return [];
    const last = lastDone[kind] ?? null;
    const due = addDuration(new Date(last ?? since), planDuration(cadence), calendar);
    return [{ planId: plan.id, kind, label: UPKEEP_LABELS[kind], cadence, lastDoneAt: last, dueAt: due.toISOString(), state: at.getTime() > due.getTime() ? 'overdue' : 'pending' }];
  });
}
