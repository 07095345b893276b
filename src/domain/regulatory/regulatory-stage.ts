/**
 * Where each regulatory stage of an incident stands, derived from the plan and the log:
 * when it started (its trigger, another fact, or the latest filing of an earlier stage),
 * when it is due (the earlier of its limits, on the plan's calendar), and every filing
 * with its reference, report hash and reason. One shape for the clocks, the incident page,
 * the cross-incident list and the plan-conformance report. Pure: `at` is an argument.
 */
import type { IncidentState, RegulatoryFiling } from '../incident/state.js';
import { type Plan, planDuration, type RegulatoryClock } from '../plan/plan-schema.js';
import { addDuration, type BusinessCalendar } from '../time/calendar.js';

/**
 * `waiting`: its start has not happened (or an earlier stage is unfiled); `open`: started,
 * not filed, before its deadline (or it has none); `overdue`; `filed` and `filed-late`.
 */
export type RegulatoryStageState = 'waiting' | 'open' | 'overdue' | 'filed' | 'filed-late';

export interface RegulatoryStageStatus {
  /** The plan clock id, e.g. `cra-art14-vulnerability-notification`. */
  readonly id: string;
  /** The regime the stage belongs to (library entry id, or the clock id for a plan's own). */
  readonly regime: string;
  readonly name: string;
  readonly regulation: string;
  readonly citation: string | null;
  readonly authority: string | null;
  readonly role: string | null;
  /** What starts it, as the plan says: `flag:actively-exploited`, `filed:<stage>`. */
  readonly startsFrom: string;
  readonly startedAt: string | null;
  /** The stage that must be filed first, and whether it has been. */
  readonly follows: string | null;
  readonly dueAt: string | null;
  readonly state: RegulatoryStageState;
  readonly repeatable: boolean;
  readonly filedAt: string | null;
  readonly filedBy: string | null;
  readonly reference: string | null;
  readonly reportSha256: string | null;
  /** The reason recorded with a late (or phased) first filing. */
  readonly lateReason: string | null;
  readonly filings: readonly RegulatoryFiling[];
  readonly library: RegulatoryClock['library'] | null;
}

function calendarOf(plan: Plan): BusinessCalendar {
  return { timeZone: plan.timeZone, holidays: plan.holidays };
}

/** When a start condition happened, or null while it has not. `filed:` means the latest filing. */
export function startInstant(state: IncidentState, start: string): string | null {
  if (start === 'reported') return state.reportedAt;
  if (start === 'declared') return state.declaredAt;
  if (start.startsWith('flag:')) return state.flags[start.slice('flag:'.length)] ?? null;
  if (start.startsWith('filed:')) return state.regulatoryFilings[start.slice('filed:'.length)]?.at(-1)?.at ?? null;
  return null;
}

/** The stage's start and deadline: the earlier of its limits that have started. */
export function stageDeadline(plan: Plan, state: IncidentState, clock: RegulatoryClock): { startedAt: string | null; dueAt: string | null } {
  const limits = [
    { from: startInstant(state, clock.trigger), within: clock.within },
    ...(clock.notLaterThan ? [{ from: startInstant(state, clock.notLaterThan.trigger), within: clock.notLaterThan.within }] : []),
  ].filter((l): l is { from: string; within: string | undefined } => l.from !== null);
  if (limits.length === 0) return { startedAt: null, dueAt: null };
  const startedAt = limits.map((l) => l.from).sort()[0]!;
  const dues = limits.flatMap((l) => (l.within ? [addDuration(new Date(l.from), planDuration(l.within), calendarOf(plan)).getTime()] : []));
  return { startedAt, dueAt: dues.length ? new Date(Math.min(...dues)).toISOString() : null };
}

export function regulatoryStageStatus(plan: Plan, state: IncidentState, clock: RegulatoryClock, at: Date): RegulatoryStageStatus {
  const { startedAt, dueAt } = stageDeadline(plan, state, clock);
  const filings = state.regulatoryFilings[clock.id] ?? [];
  const first = filings[0];
  const earlierUnfiled = clock.follows !== undefined && !state.regulatoryFiled[clock.follows];
  const overdue = dueAt !== null && at.getTime() > Date.parse(dueAt);
  const stageState: RegulatoryStageState = first
    ? first.late
      ? 'filed-late'
      : 'filed'
    : overdue
      ? 'overdue'
      : startedAt === null || earlierUnfiled
        ? 'waiting'
        : 'open';
  return {
    id: clock.id,
    regime: clock.regime ?? clock.id,
    name: clock.name,
    regulation: clock.regulation,
    citation: clock.citation ?? null,
    authority: clock.authority ?? null,
    role: clock.role ?? null,
    startsFrom: clock.trigger,
    startedAt,
    follows: clock.follows ?? null,
    dueAt,
    state: stageState,
    repeatable: clock.repeatable,
    filedAt: first?.at ?? null,
    filedBy: first?.by ?? null,
    reference: first?.reference ?? null,
    reportSha256: first?.reportSha256 ?? null,
    lateReason: first?.late ? first.reason : null,
    filings,
    library: clock.library ?? null,
  };
}

/** Every regulatory stage of the plan for this incident, in plan order. */
export function regulatoryStages(plan: Plan, state: IncidentState, at: Date): RegulatoryStageStatus[] {
  return plan.regulatory.map((clock) => regulatoryStageStatus(plan, state, clock, at));
}
