/**
 * Every deadline an incident runs against, derived from its plan and its state at an
 * instant: acknowledgement (with the escalation ladder), triage, response, each checklist
 * item, next sitrep, shift length, retrospective and regulatory notifications.
 * Pure: `at` is an argument, so the same inputs always give the same clocks.
 */
import { commanderRole, findSeverity, itemDueOffset } from '../plan/plan-rules.js';
import { type Plan, planDuration } from '../plan/plan-schema.js';
import type { IncidentState } from '../incident/state.js';
import { stageDeadline } from '../regulatory/regulatory-stage.js';
import { addDuration, type BusinessCalendar } from '../time/calendar.js';
import type { Duration } from '../time/duration.js';

export type ClockKind = 'ack' | 'triage' | 'response' | 'checklist' | 'sitrep' | 'shift' | 'retrospective' | 'regulatory';
export type ClockState = 'pending' | 'met' | 'overdue';

export interface EscalationLevel {
  readonly level: number;
  readonly role: string;
  readonly at: string;
  readonly reached: boolean;
}

export interface Clock {
  /** Stable key, e.g. `ack`, `checklist:confirm-vulnerability`, `shift:ic`. */
  readonly id: string;
  readonly kind: ClockKind;
  readonly label: string;
  readonly dueAt: string;
  readonly state: ClockState;
  readonly metAt: string | null;
  /** Met, but after its deadline. */
  readonly late: boolean;
  /** The plan's duration this deadline came from, as written (e.g. `10m`). */
  readonly window: string;
  /** The role that owns the deadline, when the plan says. */
  readonly role: string | null;
  readonly escalation?: readonly EscalationLevel[];
}

function calendarOf(plan: Plan): BusinessCalendar {
  return { timeZone: plan.timeZone, holidays: plan.holidays };
}

interface ClockInput {
  readonly id: string;
  readonly kind: ClockKind;
  readonly label: string;
  readonly from: string;
  readonly window: Duration;
  readonly metAt: string | null;
  readonly role?: string | null;
}

function makeClock(plan: Plan, input: ClockInput, at: Date): Clock {
  const due = addDuration(new Date(input.from), input.window, calendarOf(plan));
  const met = input.metAt !== null;
  return {
    id: input.id,
    kind: input.kind,
    label: input.label,
    dueAt: due.toISOString(),
    state: met ? 'met' : at.getTime() > due.getTime() ? 'overdue' : 'pending',
    metAt: input.metAt,
    late: met && new Date(input.metAt!).getTime() > due.getTime(),
    window: input.window.text,
    role: input.role ?? null,
  };
}

function ackWindow(plan: Plan, state: IncidentState): Duration {
  const severity = state.severity ? findSeverity(plan, state.severity) : undefined;
  return planDuration(severity?.ackWithin ?? plan.clocks.escalation.after);
}

/** The escalation ladder: level k is reached `k × after` past the ack deadline. */
function escalationLadder(plan: Plan, ackDue: Date, at: Date, acknowledged: boolean): EscalationLevel[] {
  const step = planDuration(plan.clocks.escalation.after);
  let when = ackDue;
  return plan.clocks.escalation.path.map((role, index) => {
    if (index > 0) when = addDuration(when, step, calendarOf(plan));
    return { level: index + 1, role, at: when.toISOString(), reached: !acknowledged && at.getTime() > when.getTime() };
  });
}

function ackClock(plan: Plan, state: IncidentState, at: Date): Clock {
  const clock = makeClock(
    plan,
    { id: 'ack', kind: 'ack', label: 'Acknowledge the report', from: state.reportedAt, window: ackWindow(plan, state), metAt: state.acknowledgedAt },
    at,
  );
  return { ...clock, escalation: escalationLadder(plan, new Date(clock.dueAt), at, state.acknowledgedAt !== null) };
}

function checklistClocks(plan: Plan, state: IncidentState, at: Date): Clock[] {
  if (!state.declaredAt) return [];
  const clocks: Clock[] = [];
  for (const phase of plan.phases) {
    for (const item of phase.checklist) {
      const window = itemDueOffset(item, state.severity ?? undefined);
      if (!window) continue;
      clocks.push(
        makeClock(
          plan,
          {
            id: `checklist:${item.id}`,
            kind: 'checklist',
            label: item.text,
            from: state.declaredAt,
            window,
            metAt: state.completedItems[item.id]?.at ?? null,
            role: item.role ?? null,
          },
          at,
        ),
      );
    }
  }
  return clocks;
}

function sitrepClock(plan: Plan, state: IncidentState, at: Date): Clock[] {
  if (state.status !== 'active' || !state.declaredAt || !state.severity) return [];
  const cadence = findSeverity(plan, state.severity)?.sitrepEvery;
  if (!cadence) return [];
  const last = state.sitreps.at(-1)?.at ?? state.declaredAt;
  const owner = Object.keys(state.roles).find((r) => plan.roles.find((p) => p.id === r)?.communications) ?? commanderRole(plan).id;
  return [
    makeClock(plan, { id: 'sitrep', kind: 'sitrep', label: 'Post the next situation report', from: last, window: planDuration(cadence), metAt: null, role: owner }, at),
  ];
}

function shiftClocks(plan: Plan, state: IncidentState, at: Date): Clock[] {
  if (state.status !== 'active' || !plan.clocks.shiftMax) return [];
  const window = planDuration(plan.clocks.shiftMax);
  return Object.entries(state.roles).map(([role, holding]) =>
    makeClock(plan, { id: `shift:${role}`, kind: 'shift', label: `${holding.holder}'s shift as ${role}`, from: holding.since, window, metAt: null, role }, at),
  );
}

/** One clock per regulatory stage that has a deadline by now (its start has happened). */
function regulatoryClocks(plan: Plan, state: IncidentState, at: Date): Clock[] {
  return plan.regulatory.flatMap((reg) => {
    const { dueAt } = stageDeadline(plan, state, reg);
    if (!dueAt) return [];
    const metAt = state.regulatoryFiled[reg.id]?.at ?? null;
    const due = Date.parse(dueAt);
    const clock: Clock = {
      id: `regulatory:${reg.id}`,
      kind: 'regulatory',
      label: `${reg.name} (${reg.citation ?? reg.regulation})`,
      dueAt,
      state: metAt !== null ? 'met' : at.getTime() > due ? 'overdue' : 'pending',
      metAt,
      late: metAt !== null && Date.parse(metAt) > due,
      window: reg.notLaterThan ? `${reg.within ?? '-'} (no later than ${reg.notLaterThan.within})` : (reg.within ?? ''),
      role: reg.role ?? null,
    };
    return [clock];
  });
}

/** All clocks of an incident at instant `at`, most urgent first (overdue, then by due time). */
export function deriveClocks(plan: Plan, state: IncidentState, at: Date): Clock[] {
  const clocks: Clock[] = [ackClock(plan, state, at)];
  clocks.push(
    makeClock(plan, { id: 'triage', kind: 'triage', label: 'Triage: confirm or dismiss', from: state.reportedAt, window: planDuration(plan.clocks.triageWithin), metAt: state.triagedAt }, at),
  );
  if (state.severity) {
    const severity = findSeverity(plan, state.severity);
    const commander = commanderRole(plan).id;
    if (severity) {
      clocks.push(
        makeClock(
          plan,
          { id: 'response', kind: 'response', label: `Start the response (${commander} assigned)`, from: state.reportedAt, window: planDuration(severity.respondWithin), metAt: state.rolesFirstFilledAt[commander] ?? null, role: commander },
          at,
        ),
      );
    }
  }
  clocks.push(...checklistClocks(plan, state, at), ...sitrepClock(plan, state, at), ...shiftClocks(plan, state, at));
  const retroBase = plan.clocks.retrospectiveFrom === 'closed' ? state.closedAt : state.resolvedAt;
  if (retroBase && state.kind === 'incident') {
    clocks.push(
      makeClock(plan, { id: 'retrospective', kind: 'retrospective', label: 'Hold the post-incident review', from: retroBase, window: planDuration(plan.clocks.retrospectiveDue), metAt: state.reviewCompletedAt, role: commanderRole(plan).id }, at),
    );
  }
  clocks.push(...regulatoryClocks(plan, state, at));
  return clocks.sort(byUrgency);
}

const STATE_ORDER: Record<ClockState, number> = { overdue: 0, pending: 1, met: 2 };

export function byUrgency(a: Clock, b: Clock): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.dueAt.localeCompare(b.dueAt);
}

/** The single most urgent open clock, for lists and dashboards. */
export function mostUrgentClock(clocks: readonly Clock[]): Clock | undefined {
  return [...clocks].filter((c) => c.state !== 'met').sort(byUrgency)[0];
}

/**
 * The last instant (ms since the epoch) at which every clock is still in the state it has
 * at `at`: a pending clock turns overdue, and an escalation level is reached, only once
 * the instant passes its time. `Infinity` when nothing is left to pass. Lets a presented
 * incident be reused until then.
 */
export function clocksSteadyUntil(clocks: readonly Clock[], at: Date): number {
  let until = Number.POSITIVE_INFINITY;
  const now = at.getTime();
  const consider = (iso: string) => {
    const t = Date.parse(iso);
    if (t >= now && t < until) until = t;
  };
  for (const clock of clocks) {
    if (clock.state === 'pending') consider(clock.dueAt);
    if (clock.state === 'met') continue;
    for (const level of clock.escalation ?? []) if (!level.reached) consider(level.at);
  }
  return until;
}
