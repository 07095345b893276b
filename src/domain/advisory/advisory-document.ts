/**
 * One advisory as the exports see it: a published revision (or the working copy, for a
 * preview) with its scores, credit, timeline and revision history resolved. Markdown, OSV,
 * CSAF and the GitHub JSON are all rendered from this one shape, so they cannot disagree.
 */
import { type AdvisoryContent, type AdvisoryCvss, creditedName, primaryCvss, scoreContent } from './advisory-content.js';
import type { CvssSeverity } from './cvss.js';
import type { AdvisoryRevision, AdvisoryState } from './state.js';
import type { AdvisoryTimelineEntry } from './timeline.js';

export interface AdvisoryDocument {
  readonly id: string;
  readonly incidentId: string;
  readonly content: AdvisoryContent;
  readonly cvss: AdvisoryCvss;
  readonly severity: CvssSeverity | null;
  readonly credit: string | null;
  readonly timeline: readonly AdvisoryTimelineEntry[];
  /** `final` for a published revision, `draft` for a preview of the working copy. */
  readonly status: 'draft' | 'final';
  /** 0 for a draft preview. */
  readonly revision: number;
  readonly revisions: readonly { readonly revision: number; readonly date: string; readonly summary: string }[];
  readonly initialReleaseAt: string;
  readonly currentReleaseAt: string;
}

function fromContent(state: AdvisoryState, content: AdvisoryContent) {
  const cvss = scoreContent(content);
  return { id: state.id, incidentId: state.incidentId, content, cvss, severity: primaryCvss(cvss)?.severity ?? null, credit: creditedName(content, state.reporter) };
}

/** A published revision with the history up to it. */
export function revisionDocument(state: AdvisoryState, revision: AdvisoryRevision): AdvisoryDocument {
  const history = state.revisions
    .filter((r) => r.revision <= revision.revision)
    .sort((a, b) => a.revision - b.revision)
    .map((r) => ({ revision: r.revision, date: r.releaseAt, summary: r.summary }));
  return {
    ...fromContent(state, revision.content),
    timeline: revision.timeline,
    status: 'final',
    revision: revision.revision,
    revisions: history,
    initialReleaseAt: history[0]?.date ?? revision.releaseAt,
    currentReleaseAt: revision.releaseAt,
  };
}

/** The working copy as it would read if published at `at` (for previews and review). */
export function draftDocument(state: AdvisoryState, timeline: readonly AdvisoryTimelineEntry[], at: string): AdvisoryDocument {
  return {
    ...fromContent(state, state.content),
    timeline,
    status: 'draft',
    revision: 0,
    revisions: [{ revision: 0, date: at, summary: 'Draft' }],
    initialReleaseAt: at,
    currentReleaseAt: at,
  };
}
