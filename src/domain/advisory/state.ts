/**
 * The state of one advisory, derived from its log by `evolve`. It holds the working copy
 * (what the team edits and reviews) apart from the revisions that went public, so editing
 * a published advisory never changes what readers see until the edit is approved and
 * published as the next revision.
 */
import type { ReporterInfo } from '../incident/events.js';
import { type AdvisoryContent, type AdvisoryCvss, mergeChanges, primaryCvss, scoreContent } from './advisory-content.js';
import type { CvssSeverity } from './cvss.js';
import type { ADVISORY_EVENT_TYPES, AdvisoryEnvelope, AdvisoryEventEnvelope, AdvisoryEventOf, AdvisoryEventType, RevisionData } from './events.js';

/**
 * The working copy's lifecycle: draft → in_review → approved → scheduled (embargo) or
 * published; a later revision makes it `updated`. Editing sends it back to draft.
 */
export type AdvisoryStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'updated';

export interface AdvisoryRevision extends RevisionData {
  readonly recordedAt: string;
  readonly publishedBy: string;
  readonly approvedBy: string | null;
  /** True while it waits for its embargo date (a `scheduled` event). */
  readonly embargoed: boolean;
}

export interface AdvisoryState {
  readonly id: string;
  readonly incidentId: string;
  readonly planId: string;
  readonly planVersion: string;
  readonly reporter: ReporterInfo;
  readonly status: AdvisoryStatus;
  readonly content: AdvisoryContent;
  readonly cvss: AdvisoryCvss;
  readonly severity: CvssSeverity | null;
  /** Who drafted it. */
  readonly author: string;
  /** Everyone who wrote the working copy since it last went public; none may approve it. */
  readonly authors: readonly string[];
  readonly submittedBy: string | null;
  readonly approvedBy: string | null;
  readonly revisions: readonly AdvisoryRevision[];
  readonly createdAt: string;
  readonly version: number;
  readonly lastHash: string;
  readonly updatedAt: string;
}

function derive(content: AdvisoryContent): Pick<AdvisoryState, 'cvss' | 'severity'> {
  const cvss = scoreContent(content);
  return { cvss, severity: primaryCvss(cvss)?.severity ?? null };
}

function initialState(event: AdvisoryEnvelope<AdvisoryEventOf<'drafted'>>): AdvisoryState {
  const data = event.data;
  return {
    id: event.advisoryId,
    incidentId: data.incidentId,
    planId: data.planId,
    planVersion: data.planVersion,
    reporter: data.reporter,
    status: 'draft',
    content: data.content,
    ...derive(data.content),
    author: event.actor,
    authors: [event.actor],
    submittedBy: null,
    approvedBy: null,
    revisions: [],
    createdAt: event.occurredAt,
    version: event.seq,
    lastHash: event.hash,
    updatedAt: event.recordedAt,
  };
}

function addRevision(state: AdvisoryState, event: AdvisoryEnvelope<AdvisoryEventOf<'scheduled' | 'published'>>): AdvisoryState {
  const revision: AdvisoryRevision = {
    ...event.data,
    recordedAt: event.recordedAt,
    publishedBy: event.actor,
    approvedBy: state.approvedBy,
    embargoed: event.type === 'scheduled',
  };
  // Publishing a scheduled revision early replaces it (same number, earlier release).
  const kept = state.revisions.filter((r) => r.revision !== revision.revision);
  const isUpdate = kept.length > 0;
  return {
    ...state,
    revisions: [...kept, revision],
    status: event.type === 'scheduled' ? 'scheduled' : isUpdate ? 'updated' : 'published',
    authors: [],
    submittedBy: null,
  };
}

function apply(state: AdvisoryState, event: AdvisoryEventEnvelope): AdvisoryState {
  switch (event.type) {
    case 'drafted':
      return state;
    case 'edited': {
      const content = mergeChanges(state.content, event.data.changes);
      return {
        ...state,
        content,
        ...derive(content),
        status: 'draft',
        approvedBy: null,
        submittedBy: null,
        authors: state.authors.includes(event.actor) ? state.authors : [...state.authors, event.actor],
      };
    }
    case 'submitted':
      return { ...state, status: 'in_review', submittedBy: event.actor };
    case 'approved':
      return { ...state, status: 'approved', approvedBy: event.actor };
    case 'changes_requested':
      return { ...state, status: 'draft', approvedBy: null, submittedBy: null };
    case 'scheduled':
    case 'published':
      return addRevision(state, event);
    default: {
      const unknown: never = event;
      throw new Error(`unknown advisory event ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveAdvisory(state: AdvisoryState | null, event: AdvisoryEventEnvelope): AdvisoryState {
  if (state === null) {
    if (event.type !== 'drafted') throw new Error(`log of advisory ${event.advisoryId} does not start with "drafted"`);
    return initialState(event);
  }
  return { ...apply(state, event), version: event.seq, lastHash: event.hash, updatedAt: event.recordedAt };
}

export function replayAdvisory(events: readonly AdvisoryEventEnvelope[]): AdvisoryState | null {
  return events.reduce<AdvisoryState | null>(evolveAdvisory, null);
}

/** The revision the public sees at `now`: the latest whose release time has come. */
export function publicRevision(state: Pick<AdvisoryState, 'revisions'>, now: Date): AdvisoryRevision | null {
  const visible = state.revisions.filter((r) => new Date(r.releaseAt).getTime() <= now.getTime());
  return visible.sort((a, b) => a.revision - b.revision).at(-1) ?? null;
}

/** The status as of `now`: a scheduled advisory whose embargo has ended is published. */
export function effectiveStatus(state: AdvisoryState, now: Date): AdvisoryStatus {
  if (state.status !== 'scheduled') return state.status;
  const pending = state.revisions.find((r) => r.embargoed && new Date(r.releaseAt).getTime() > now.getTime());
  if (pending) return 'scheduled';
  return state.revisions.filter((r) => new Date(r.releaseAt).getTime() <= now.getTime()).length > 1 ? 'updated' : 'published';
}

/** Compile-time check that `ADVISORY_EVENT_TYPES` lists every event type. */
type MissingEventType = Exclude<AdvisoryEventType, (typeof ADVISORY_EVENT_TYPES)[number]>;
export const ADVISORY_EVENT_TYPES_ARE_COMPLETE: MissingEventType extends never ? true : never = true;
