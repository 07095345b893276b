/**
 * What a vulnerability reporter is told about their report: one of five plain stages,
 * derived from the incident's state and log (never stored separately), with the instant
 * each stage was reached. Only facts safe to show outside the team appear here.
 */
import type { IncidentEventEnvelope } from '../incident/events.js';
import type { IncidentState } from '../incident/state.js';

export type ReporterStage = 'received' | 'acknowledged' | 'confirmed' | 'fixed' | 'disclosed' | 'declined';

export const REPORTER_STAGE_TEXT: Readonly<Record<ReporterStage, string>> = {
  received: 'Received: your report is waiting for the team to acknowledge it.',
  acknowledged: 'Acknowledged: the team has seen your report and is assessing it.',
  confirmed: 'Confirmed: the team confirmed the vulnerability and is working on a fix.',
  fixed: 'Fixed: the team reports the issue as fixed.',
  disclosed: 'Disclosed: the issue has been publicly disclosed.',
  declined: 'Closed: the team assessed the report and did not confirm a vulnerability.',
};

export interface ReporterStatus {
  readonly stage: ReporterStage;
  readonly history: readonly { readonly stage: ReporterStage; readonly at: string }[];
}

/** Flags a team sets to say the issue is public (until advisories record it themselves). */
const DISCLOSED_FLAGS = new Set(['disclosed', 'advisory-published', 'public-disclosure']);

export function reporterStatus(state: IncidentState, events: readonly IncidentEventEnvelope[]): ReporterStatus {
  const history: { stage: ReporterStage; at: string }[] = [{ stage: 'received', at: state.reportedAt }];
  const reach = (stage: ReporterStage, at: string | null) => {
    if (at !== null && !history.some((h) => h.stage === stage)) history.push({ stage, at });
  };
  reach('acknowledged', state.acknowledgedAt);
  // Confirming implies the report was seen, even if nobody pressed "acknowledge".
  if (state.declaredAt) reach('acknowledged', state.declaredAt);
  reach('confirmed', state.declaredAt);
  if (state.kind === 'incident' && (state.status === 'resolved' || state.status === 'closed')) reach('fixed', state.resolvedAt ?? state.closedAt);
  for (const event of events) {
    const type = event.type as string;
    if (type === 'advisory_published' || (event.type === 'flag_set' && DISCLOSED_FLAGS.has(event.data.flag))) reach('disclosed', event.occurredAt);
  }
  if (state.status === 'dismissed') reach('declined', state.triagedAt ?? state.closedAt);
  history.sort((a, b) => a.at.localeCompare(b.at));
  const order: ReporterStage[] = ['received', 'acknowledged', 'confirmed', 'fixed', 'disclosed'];
  const stage: ReporterStage =
    state.status === 'dismissed' ? 'declined' : order.filter((s) => history.some((h) => h.stage === s)).at(-1) ?? 'received';
  return { stage, history };
}
