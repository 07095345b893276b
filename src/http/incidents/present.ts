/**
 * The shapes of incidents that leave the server: the shared read model (`IncidentView`),
 * timeline entries with their one-line summary, verdicts, and the ETag of a version.
 */
import type { IncidentVerdict } from '../../app/incident-service.js';
import { type IncidentView, presentIncident } from '../../app/incident-view.js';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { deriveClocks } from '../../domain/clocks/clocks.js';
import { describeEvent } from '../../domain/incident/describe.js';
import type { IncidentEventEnvelope } from '../../domain/incident/events.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { ClockBody, IncidentViewBody, TimelineEventBody } from './schema.js';
import type { Clock } from '../../domain/clocks/clocks.js';

/**
 * The response schema documents the fields clients rely on and lets the rest through; the
 * full shape is `IncidentView`, which TypeScript cannot match to an open schema by itself.
 */
export async function presentView(app: FirebreakApp, state: IncidentState): Promise<IncidentViewBody> {
  const plan = await app.incidents.planOf(state);
  const view: IncidentView = presentIncident(plan, state, deriveClocks(plan, state, app.time.now()), app.time.now());
  return view as unknown as IncidentViewBody;
}

export function presentEvent(event: IncidentEventEnvelope): TimelineEventBody {
  const entry: IncidentEventEnvelope & { summary: string } = { ...event, summary: describeEvent(event) };
  return entry as unknown as TimelineEventBody;
}

export function presentClocks(clocks: readonly Clock[]): ClockBody[] {
  return clocks as unknown as ClockBody[];
}

export function presentVerdict(v: IncidentVerdict) {
  return {
    incidentId: v.incidentId,
    ok: v.verdict.ok && v.projectionMatches && v.problems.length === 0,
    problems: [...v.problems],
    events: v.verdict.ok ? v.verdict.events : v.verdict.seq - 1,
    projectionMatches: v.projectionMatches,
    ...(v.verdict.ok ? { head: v.verdict.head } : {}),
    ...(v.verdict.ok ? (v.projectionMatches ? {} : { brokenAt: { seq: 0, reason: 'the stored incident state differs from a replay of its log' } }) : { brokenAt: { seq: v.verdict.seq, reason: v.verdict.reason } }),
  };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
