/**
 * The response times of one incident, read from its state: time to discovery (from when
 * the incident became active to when someone reported it), to acknowledge, to contain and
 * to resolve. Used by the post-incident report and by the metrics across incidents.
 *
 * Containment is taken from, in order: the `contained` flag (explicit), leaving a phase
 * whose id or name says "contain" for a later phase, completing a checklist item whose id
 * says "contain" or "mitigat", and finally resolution (an incident resolved is contained).
 */
import type { IncidentState } from '../incident/state.js';
import type { Plan } from '../plan/plan-schema.js';

export interface ResponseTimes {
  readonly detectedAt: string | null;
  readonly reportedAt: string;
  readonly acknowledgedAt: string | null;
  readonly containedAt: string | null;
  readonly resolvedAt: string | null;
  readonly timeToDiscoveryMs: number | null;
  readonly timeToAcknowledgeMs: number | null;
  readonly timeToContainMs: number | null;
  readonly timeToResolveMs: number | null;
}

function between(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, new Date(to).getTime() - new Date(from).getTime());
}

function earliest(values: readonly string[]): string | null {
  return values.length ? [...values].sort()[0]! : null;
}

export function containedAt(plan: Plan, state: IncidentState): string | null {
  if (state.flags['contained']) return state.flags['contained'];
  const containIndex = plan.phases.findIndex((p) => /contain/i.test(p.id) || /contain/i.test(p.name));
  if (containIndex >= 0) {
    const indexOf = (id: string) => plan.phases.findIndex((p) => p.id === id);
    let inContainment = false;
    for (const entry of state.phaseHistory) {
      const index = indexOf(entry.phase);
      if (index === containIndex) inContainment = true;
      else if (inContainment && index > containIndex) return entry.at;
    }
  }
  const items = Object.entries(state.completedItems)
    .filter(([id]) => /contain|mitigat/i.test(id))
    .map(([, done]) => done.at);
  return earliest(items) ?? state.resolvedAt;
}

/** `detectedAt`: when the incident became active, if the review established it. */
export function responseTimes(plan: Plan, state: IncidentState, detectedAt: string | null = null): ResponseTimes {
  const contained = containedAt(plan, state);
  return {
    detectedAt,
    reportedAt: state.reportedAt,
    acknowledgedAt: state.acknowledgedAt,
    containedAt: contained,
    resolvedAt: state.resolvedAt,
    timeToDiscoveryMs: between(detectedAt, state.reportedAt),
    timeToAcknowledgeMs: between(state.reportedAt, state.acknowledgedAt),
    timeToContainMs: between(state.reportedAt, contained),
    timeToResolveMs: between(state.reportedAt, state.resolvedAt),
  };
}

/** "45 min", "3 h 5 min", "2 d 4 h": for reports and the CLI. */
export function formatDuration(ms: number | null): string | null {
  if (ms === null) return null;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
