/**
 * Which clocks of an incident must act, and when: the incident's derived clocks
 * (`deriveClocks`) turned into durable schedule entries with stable keys. Pure.
 *
 * Keys: `ack:escalation:<step>` (the next step of the acknowledgement escalation: one row
 * at a time, since when step n+1 is due depends on which level step n paged — see
 * app/paging/pager.ts), `triage`,
 * `response`, `checklist:<item>`, `sitrep:<n>` (the n-th sitrep, so each cadence interval
 * fires once), `shift:<role>:<since>` (one per holder's stint), `retrospective`,
 * `regulatory:<id>`. A met clock, or one that no longer applies (the incident was
 * resolved, closed or dismissed), is absent: the sync cancels its row.
 */
import { deriveClocks } from '../../domain/clocks/clocks.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { Plan } from '../../domain/plan/plan-schema.js';

export interface ScheduleDetails {
  readonly label: string;
  readonly role: string | null;
  /** The plan's window, as written (e.g. `10m`). */
  readonly window: string;
  readonly level?: number;
  /** For shift clocks: who holds the role and since when. */
  readonly holder?: string;
  readonly since?: string;
  /** For plan-cadence clocks: which upkeep activity (`planReview`, `tabletop`, `contactVerification`). */
  readonly upkeep?: string;
}

export interface ScheduleEntry {
  readonly clockKey: string;
  readonly kind: string;
  readonly dueAt: string;
  readonly details: ScheduleDetails;
}

/** Kinds that still matter once an incident is resolved, closed or dismissed. */
const AFTER_RESOLUTION = new Set(['retrospective', 'regulatory']);

/**
 * The escalation step waiting to be paged: the one the last fired step named, else step 1 —
 * at the report when the plan names a policy (level 1 is paged the moment it is reported),
 * at the acknowledgement deadline for a plain role path. Undefined once the ladder is done.
 */
function escalationStepDue(plan: Plan, state: IncidentState, ackDueAt: string): { step: number; at: string; role: string | null } | undefined {
  if (state.escalationNext === null) return undefined;
  const { path, policy } = plan.clocks.escalation;
  const step = state.escalationNext?.step ?? 1;
  const at = state.escalationNext?.at ?? (policy ? state.reportedAt : ackDueAt);
  return { step, at, role: policy ? null : (path[(step - 1) % path.length] ?? null) };
}

export function desiredSchedule(plan: Plan, state: IncidentState): ScheduleEntry[] {
  const responding = state.status === 'active' || state.status === 'investigating';
  const entries: ScheduleEntry[] = [];
  for (const clock of deriveClocks(plan, state, new Date(state.reportedAt))) {
    if (clock.state === 'met') continue;
    if (!responding && !AFTER_RESOLUTION.has(clock.kind)) continue;
    const base = { label: clock.label, role: clock.role, window: clock.window };
    switch (clock.kind) {
      case 'ack': {
        const step = escalationStepDue(plan, state, clock.dueAt);
        if (step) entries.push({ clockKey: `ack:escalation:${step.step}`, kind: 'ack', dueAt: step.at, details: { ...base, role: step.role, level: step.step } });
        break;
      }
      case 'sitrep':
        entries.push({ clockKey: `sitrep:${state.sitreps.length + 1}`, kind: 'sitrep', dueAt: clock.dueAt, details: base });
        break;
      case 'shift': {
        const role = clock.role ?? clock.id.slice('shift:'.length);
        const holding = state.roles[role];
        if (!holding) break;
        entries.push({
          clockKey: `shift:${role}:${holding.since}`,
          kind: 'shift',
          dueAt: clock.dueAt,
          details: { ...base, role, holder: holding.holder, since: holding.since },
        });
        break;
      }
      default:
        entries.push({ clockKey: clock.id, kind: clock.kind, dueAt: clock.dueAt, details: base });
    }
  }
  return entries;
}
