/**
 * Scores a drill: each of the plan's clocks that came due during the exercise (met on
 * time, late, or missed) and each action the scenario expected (done within its deadline
 * from the start, late, or not done). The score is the share of both done on time.
 * Pure: the plan, state, log, scenario and the instant of scoring are the inputs.
 */
import { type Clock, deriveClocks } from '../clocks/clocks.js';
import type { IncidentEventEnvelope } from '../incident/events.js';
import type { IncidentState } from '../incident/state.js';
import { type Plan, planDuration } from '../plan/plan-schema.js';
import { addDuration } from '../time/calendar.js';
import type { DrillScenario } from './drill-scenario.js';

export type Outcome = 'on_time' | 'late' | 'missed' | 'pending';

export interface ExpectedActionResult {
  readonly action: string;
  readonly description: string | null;
  readonly dueAt: string;
  readonly doneAt: string | null;
  readonly doneBy: string | null;
  readonly outcome: Outcome;
}

export interface ClockResult {
  readonly id: string;
  readonly label: string;
  readonly dueAt: string;
  readonly metAt: string | null;
  readonly outcome: Outcome;
}

export interface DrillReport {
  readonly incidentId: string;
  readonly title: string;
  readonly startedAt: string;
  readonly clocks: readonly ClockResult[];
  readonly expected: readonly ExpectedActionResult[];
  readonly onTime: number;
  readonly scored: number;
  /** onTime ÷ scored, 0..1; null when nothing could be scored yet. */
  readonly score: number | null;
}

/** The first event that fulfils an expected action (injects, written by the drill, do not count). */
function fulfilling(action: string, events: readonly IncidentEventEnvelope[]): IncidentEventEnvelope | undefined {
  const [kind, arg] = action.split(':') as [string, string | undefined];
  return events.find((e) => {
    switch (kind) {
      case 'acknowledge':
        return e.type === 'acknowledged';
      case 'sitrep':
        return e.type === 'sitrep_posted';
      case 'resolve':
        return e.type === 'resolved';
      case 'evidence':
        return e.type === 'evidence_added';
      case 'assign':
        return (e.type === 'role_assigned' && e.data.role === arg) || (e.type === 'handoff_confirmed' && e.data.role === arg);
      case 'checklist':
        return e.type === 'checklist_item_completed' && e.data.item === arg;
      case 'phase':
        return e.type === 'phase_entered' && e.data.phase === arg;
      case 'flag':
        return e.type === 'flag_set' && e.data.flag === arg;
      default:
        return false;
    }
  });
}

function clockOutcome(clock: Clock): Outcome {
  if (clock.state === 'overdue') return 'missed';
  if (clock.state === 'pending') return 'pending';
  return clock.late ? 'late' : 'on_time';
}

export function scoreDrill(plan: Plan, state: IncidentState, events: readonly IncidentEventEnvelope[], scenario: DrillScenario, startedAt: string, at: Date): DrillReport {
  const calendar = { timeZone: plan.timeZone, holidays: plan.holidays };
  const clocks = deriveClocks(plan, state, at)
    .filter((c) => c.kind !== 'sitrep' && c.kind !== 'shift')
    .map((c) => ({ id: c.id, label: c.label, dueAt: c.dueAt, metAt: c.metAt, outcome: clockOutcome(c) }));
  const expected = scenario.expectedActions.map((e) => {
    const due = addDuration(new Date(startedAt), planDuration(e.within), calendar);
    const done = fulfilling(e.action, events);
    const outcome: Outcome = done ? (new Date(done.occurredAt) <= due ? 'on_time' : 'late') : at > due ? 'missed' : 'pending';
    return { action: e.action, description: e.description ?? null, dueAt: due.toISOString(), doneAt: done?.occurredAt ?? null, doneBy: done?.actor ?? null, outcome };
  });
  const decided = [...clocks, ...expected].filter((r) => r.outcome !== 'pending');
  const onTime = decided.filter((r) => r.outcome === 'on_time').length;
  return {
    incidentId: state.id,
    title: state.title,
    startedAt,
    clocks,
    expected,
    onTime,
    scored: decided.length,
    score: decided.length ? onTime / decided.length : null,
  };
}
