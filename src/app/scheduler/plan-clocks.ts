/**
 * Plan-cadence clocks: the plan review, tabletop exercise and contact verification the
 * plan asks for (`clocks.planReview`, `tabletop`, `contactVerification`) as durable
 * `scheduled_clocks` rows, fired by the same worker as incident clocks. They belong to a
 * plan, not an incident: their rows carry the scope `plan:<plan id>` in `incident_id`, and
 * firing one records a `reminded:<kind>` row in `plan_activities` (where plan upkeep keeps
 * what was done) and queues a reminder to the plan's commander audience.
 *
 * Keys: `upkeep:<kind>:<last done at, or "never">`, so each cycle is its own row: doing
 * the activity cancels the pending row and schedules the next cycle's.
 */
import type { Transaction } from 'kysely';
import { commanderRole } from '../../domain/plan/plan-rules.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import type { UpkeepReminder } from '../../domain/plan/upkeep.js';
import type { NewDelivery } from '../../integrations/delivery/delivery-service.js';
import type { Database } from '../../store/database.js';
import { renderString } from '../template-renderer.js';
import type { ScheduleEntry } from './clock-schedule.js';
import { audienceRecipients } from './clock-notices.js';
import type { ScheduledClock } from './schedule-store.js';

export const PLAN_SCOPE_PREFIX = 'plan:';
export const PLAN_CLOCKS_ACTOR = 'firebreak-scheduler';

export function planScope(planId: string): string {
  return `${PLAN_SCOPE_PREFIX}${planId}`;
}

export function isPlanScope(scope: string): boolean {
  return scope.startsWith(PLAN_SCOPE_PREFIX);
}

/** The rows a plan's upkeep reminders should have. */
export function desiredPlanSchedule(plan: Plan, reminders: readonly UpkeepReminder[]): ScheduleEntry[] {
  const role = plan.roles.find((r) => r.commander)?.id ?? null;
  return reminders
    .filter((r) => r.planId === plan.id)
    .map((r) => ({
      clockKey: `upkeep:${r.kind}:${r.lastDoneAt ?? 'never'}`,
      kind: 'upkeep',
      dueAt: r.dueAt,
      details: { label: r.label, role, window: r.cadence, upkeep: r.kind },
    }));
}

const SUBJECT = '[plan upkeep] {{ label }} for {{ plan }} was due at {{ dueAt }}';
const BODY = [
  '{{ label }} for the plan {{ plan }} ({{ planName }}) was due at {{ dueAt }} (every {{ cadence }}).',
  'When it is done, record it: firebreak plan upkeep {{ plan }} {{ kind }} --note "<what was done>"',
].join('\n');

/** The audiences told about a plan's upkeep: the commander's audience, else the broadcast audience, else every audience a severity notifies. */
function upkeepAudiences(plan: Plan): string[] {
  const ic = commanderRole(plan).id;
  if (plan.audiences.some((a) => a.id === ic)) return [ic];
  const broadcast = plan.templates.broadcast.audience;
  if (broadcast) return [broadcast];
  return [...new Set(plan.severities.flatMap((s) => s.notify))];
}

/**
 * Records fired plan clocks: one `reminded:<kind>` activity per row, and the reminder
 * messages (queued in the same transaction). Returns the messages to enqueue.
 */
export async function recordPlanClocks(trx: Transaction<Database>, planOf: (planId: string) => Promise<Plan | undefined>, rows: readonly ScheduledClock[], now: Date): Promise<NewDelivery[]> {
  const messages: NewDelivery[] = [];
  for (const row of rows) {
    const planId = row.incidentId.slice(PLAN_SCOPE_PREFIX.length);
    const plan = await planOf(planId);
    const kind = (row.details as { upkeep?: string }).upkeep ?? row.clockKey.split(':')[1] ?? 'upkeep';
    const recipients = plan ? (await Promise.all(upkeepAudiences(plan).map((a) => audienceRecipients(trx, plan, a)))).flat() : [];
    const context = { plan: planId, planName: plan?.name ?? planId, label: row.details.label, dueAt: row.dueAt, cadence: row.details.window, kind };
    const subject = renderString(SUBJECT, context).trim();
    const body = renderString(BODY, context).trim();
    for (const r of recipients) {
      messages.push({ incidentId: null, clock: `${row.incidentId}/${row.clockKey}`, template: 'planUpkeepReminder', recipient: r.label, destination: r.destination, subject, body, review: false });
    }
    const told = recipients.map((r) => `${r.label} (${r.destination.channel})`);
    await trx
      .insertInto('plan_activities')
      .values({
        plan_id: planId,
        kind: `reminded:${kind}`,
        done_at: now.toISOString(),
        done_by: PLAN_CLOCKS_ACTOR,
        note: `${row.details.label} was due at ${row.dueAt}${row.late ? ' (reminded late)' : ''}; told ${told.length > 0 ? told.join(', ') : 'nobody (no channel configured)'}`,
      })
      .execute();
  }
  return messages;
}
