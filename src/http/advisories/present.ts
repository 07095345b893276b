/**
 * The shapes of advisories that leave the server: a summary row for lists and the full
 * view the editor works from (content, review state, revisions, what publishing still
 * needs, scores, the timeline read from the incident log). Statuses are as of now, so an
 * embargo that has ended reads as published without any job having run.
 */
import { openPublishGates } from '../../app/advisory-service.js';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { publishProblems } from '../../domain/advisory/advisory-content.js';
import type { CvssScore } from '../../domain/advisory/cvss.js';
import type { AdvisoryEventEnvelope } from '../../domain/advisory/events.js';
import { type AdvisoryState, effectiveStatus } from '../../domain/advisory/state.js';
import { buildTimeline } from '../../domain/advisory/timeline.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { AdvisoryViewBody } from './schema.js';

function scores(state: AdvisoryState) {
  return [state.cvss.v3, state.cvss.v4]
    .filter((s): s is CvssScore => s !== null)
    .map((s) => ({ vector: s.vector, version: s.version, baseScore: s.baseScore, severity: s.severity }));
}

export function presentSummary(state: AdvisoryState, now: Date) {
  return {
    id: state.id,
    incidentId: state.incidentId,
    status: effectiveStatus(state, now),
    title: state.content.title,
    severity: state.severity,
    cvss: scores(state),
    updatedAt: state.updatedAt,
    version: state.version,
  };
}

/** Approvals of the working copy since it last went public (an edit or a publish starts over). */
function approvals(events: readonly AdvisoryEventEnvelope[]) {
  const current: { by: string; at: string; note?: string }[] = [];
  for (const event of events) {
    if (event.type === 'approved') current.push({ by: event.actor, at: event.recordedAt, ...(event.data.note ? { note: event.data.note } : {}) });
    if (event.type === 'edited' || event.type === 'changes_requested' || event.type === 'published' || event.type === 'scheduled') current.length = 0;
  }
  return current;
}

export async function presentAdvisory(app: FirebreakApp, state: AdvisoryState, incident: IncidentState): Promise<AdvisoryViewBody> {
  const now = app.time.now();
  const [events, plan] = await Promise.all([app.advisories.events(state.id), app.incidents.planOf(incident)]);
  return {
    id: state.id,
    incidentId: state.incidentId,
    status: effectiveStatus(state, now),
    version: state.version,
    content: state.content,
    severity: state.severity,
    author: state.author,
    authors: [...state.authors],
    submittedBy: state.submittedBy,
    approvedBy: state.approvedBy,
    approvals: approvals(events),
    revisions: [...state.revisions]
      .sort((a, b) => a.revision - b.revision)
      .map((r) => ({ number: r.revision, publishedAt: r.releaseAt, summary: r.summary, embargoed: r.embargoed && new Date(r.releaseAt) > now, publishedBy: r.publishedBy, approvedBy: r.approvedBy })),
    missingForPublish: publishProblems(state.content).map(({ field, problem }) => ({ field, problem })),
    openGates: openPublishGates(plan, incident),
    cvss: scores(state),
    timeline: buildTimeline(incident, state.content, null),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}
