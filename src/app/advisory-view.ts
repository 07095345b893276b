/**
 * The advisory read model shared by the HTTP API and the CLI (local or `--server`): a
 * summary row for lists and the full view an editor works from (content, review state,
 * revisions, what publishing still needs, scores, the timeline read from the incident
 * log). Statuses are as of `now`, so an embargo that has ended reads as published
 * without any job having run.
 */
import { publishProblems } from '../domain/advisory/advisory-content.js';
import type { CvssScore, CvssSeverity, CvssVersion } from '../domain/advisory/cvss.js';
import type { AdvisoryContent } from '../domain/advisory/advisory-content.js';
import type { AdvisoryEventEnvelope } from '../domain/advisory/events.js';
import { type AdvisoryState, type AdvisoryStatus, effectiveStatus } from '../domain/advisory/state.js';
import { type AdvisoryTimelineEntry, buildTimeline } from '../domain/advisory/timeline.js';
import type { ChainVerdict } from '../domain/chain/hash-chain.js';
import type { IncidentState } from '../domain/incident/state.js';

export interface AdvisoryScoreView {
  readonly vector: string;
  readonly version: CvssVersion;
  readonly baseScore: number;
  readonly severity: CvssSeverity;
}

export interface AdvisorySummary {
  readonly id: string;
  readonly incidentId: string;
  readonly status: AdvisoryStatus;
  readonly title: string;
  readonly severity: CvssSeverity | null;
  readonly cvss: readonly AdvisoryScoreView[];
  readonly updatedAt: string;
  readonly version: number;
}

export interface AdvisoryView {
  readonly id: string;
  readonly incidentId: string;
  readonly status: AdvisoryStatus;
  readonly version: number;
  readonly content: AdvisoryContent;
  readonly severity: CvssSeverity | null;
  readonly author: string;
  readonly authors: readonly string[];
  readonly submittedBy: string | null;
  readonly approvedBy: string | null;
  readonly approvals: readonly { readonly by: string; readonly at: string; readonly note?: string }[];
  readonly revisions: readonly {
    readonly number: number;
    readonly publishedAt: string;
    readonly summary: string;
    readonly embargoed: boolean;
    readonly publishedBy: string;
    readonly approvedBy: string | null;
  }[];
  readonly missingForPublish: readonly { readonly field: string; readonly problem: string }[];
  /** Checklist items of the incident that gate publishing and are still open. */
  readonly openGates: readonly string[];
  readonly cvss: readonly AdvisoryScoreView[];
  readonly timeline: readonly AdvisoryTimelineEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

function scores(state: AdvisoryState): AdvisoryScoreView[] {
  return [state.cvss.v3, state.cvss.v4]
    .filter((s): s is CvssScore => s !== null)
    .map((s) => ({ vector: s.vector, version: s.version, baseScore: s.baseScore, severity: s.severity }));
}

export function presentAdvisorySummary(state: AdvisoryState, now: Date): AdvisorySummary {
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

/** Approvals of the working copy since it last changed or went public (those start review over). */
function approvals(events: readonly AdvisoryEventEnvelope[]) {
  const current: { by: string; at: string; note?: string }[] = [];
  for (const event of events) {
    if (event.type === 'approved') current.push({ by: event.actor, at: event.recordedAt, ...(event.data.note ? { note: event.data.note } : {}) });
    if (event.type === 'edited' || event.type === 'changes_requested' || event.type === 'published' || event.type === 'scheduled') current.length = 0;
  }
  return current;
}

export function presentAdvisory(
  state: AdvisoryState,
  context: { readonly incident: IncidentState; readonly events: readonly AdvisoryEventEnvelope[]; readonly openGates: readonly string[]; readonly now: Date },
): AdvisoryView {
  const { now } = context;
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
    approvals: approvals(context.events),
    revisions: [...state.revisions]
      .sort((a, b) => a.revision - b.revision)
      .map((r) => ({ number: r.revision, publishedAt: r.releaseAt, summary: r.summary, embargoed: r.embargoed && new Date(r.releaseAt) > now, publishedBy: r.publishedBy, approvedBy: r.approvedBy })),
    missingForPublish: publishProblems(state.content).map(({ field, problem }) => ({ field, problem })),
    openGates: [...context.openGates],
    cvss: scores(state),
    timeline: buildTimeline(context.incident, state.content, null),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}

/** The advisory's chain verdict as the API and the CLI report it. */
export interface AdvisoryVerdict {
  readonly advisoryId: string;
  readonly ok: boolean;
  readonly events: number;
  readonly projectionMatches: boolean;
  readonly head?: string;
  readonly brokenAt?: { readonly seq: number; readonly reason: string };
}

export function presentAdvisoryVerdict(advisoryId: string, result: { readonly verdict: ChainVerdict; readonly projectionMatches: boolean }): AdvisoryVerdict {
  const { verdict, projectionMatches } = result;
  if (!verdict.ok) return { advisoryId, ok: false, events: verdict.seq - 1, projectionMatches, brokenAt: { seq: verdict.seq, reason: verdict.reason } };
  return {
    advisoryId,
    ok: projectionMatches,
    events: verdict.events,
    projectionMatches,
    head: verdict.head,
    ...(projectionMatches ? {} : { brokenAt: { seq: 0, reason: 'the stored advisory state differs from a replay of its log' } }),
  };
}
