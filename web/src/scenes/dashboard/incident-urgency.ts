/**
 * The order of the dashboard: what is burning first. Incidents with an overdue clock
 * come first (longest overdue on top), then by severity (most severe first), then by
 * the next deadline; incidents without an open clock come last.
 */
import type { IncidentView, PlanSummary } from '../../api/types.js';

export function severityRankOf(plans: readonly PlanSummary[] | undefined, view: IncidentView): number {
  const severity = view.incident.severity;
  if (!severity) return Number.MAX_SAFE_INTEGER;
  const rank = plans?.find((p) => p.id === view.plan.id)?.severities.findIndex((s) => s.id === severity) ?? -1;
  return rank < 0 ? Number.MAX_SAFE_INTEGER : rank;
}

export function byUrgency(plans: readonly PlanSummary[] | undefined, now: number) {
  return (a: IncidentView, b: IncidentView): number => {
    const dueA = a.mostUrgentClock ? new Date(a.mostUrgentClock.dueAt).getTime() : Number.POSITIVE_INFINITY;
    const dueB = b.mostUrgentClock ? new Date(b.mostUrgentClock.dueAt).getTime() : Number.POSITIVE_INFINITY;
    const overdueA = dueA < now ? 0 : 1;
    const overdueB = dueB < now ? 0 : 1;
    if (overdueA !== overdueB) return overdueA - overdueB;
    if (overdueA === 0) return dueA - dueB;
    return severityRankOf(plans, a) - severityRankOf(plans, b) || dueA - dueB || a.incident.reportedAt.localeCompare(b.incident.reportedAt);
  };
}

/** The Incident Commander (or whoever holds the plan's commander role), if any. */
export function commanderOf(view: IncidentView): string | null {
  return view.roles.find((r) => r.id === view.commanderRole)?.holder ?? null;
}
