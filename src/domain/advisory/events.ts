/**
 * Everything that happens to an advisory, as facts in its own hash-chained log (one log
 * per advisory, like an incident's). Its state is only ever derived from these (`state.ts`).
 * Who and when live in the envelope; payloads hold what the fact needs.
 */
import type { ReporterInfo } from '../incident/events.js';
import type { AdvisoryChanges, AdvisoryContent } from './advisory-content.js';
import type { AdvisoryTimelineEntry } from './timeline.js';

/** A version of the advisory as it went (or goes, at `releaseAt`) public. */
export interface RevisionData {
  readonly revision: number;
  /** When it becomes public: now for `published`, the embargo's end for `scheduled`. */
  readonly releaseAt: string;
  readonly content: AdvisoryContent;
  readonly timeline: readonly AdvisoryTimelineEntry[];
  /** What changed, for the revision history. */
  readonly summary: string;
}

export type AdvisoryEvent =
  | {
      readonly type: 'drafted';
      readonly data: {
        readonly incidentId: string;
        readonly planId: string;
        readonly planVersion: string;
        readonly reporter: ReporterInfo;
        readonly content: AdvisoryContent;
      };
    }
  | { readonly type: 'edited'; readonly data: { readonly changes: AdvisoryChanges } }
  | { readonly type: 'submitted'; readonly data: { readonly note?: string } }
  | { readonly type: 'approved'; readonly data: { readonly note?: string } }
  | { readonly type: 'changes_requested'; readonly data: { readonly reason: string } }
  | { readonly type: 'scheduled'; readonly data: RevisionData }
  | { readonly type: 'published'; readonly data: RevisionData };

export type AdvisoryEventType = AdvisoryEvent['type'];
export type AdvisoryEventOf<T extends AdvisoryEventType> = Extract<AdvisoryEvent, { type: T }>;

export interface AdvisoryEnvelope<E extends AdvisoryEvent> {
  readonly advisoryId: string;
  readonly seq: number;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: string;
  /** Hash of the previous event of this advisory; all zeros for the first. */
  readonly prevHash: string;
  readonly hash: string;
}

export type AdvisoryEventEnvelope = { [K in AdvisoryEventType]: AdvisoryEnvelope<AdvisoryEventOf<K>> }[AdvisoryEventType];

export const ADVISORY_EVENT_TYPES = ['drafted', 'edited', 'submitted', 'approved', 'changes_requested', 'scheduled', 'published'] as const satisfies readonly AdvisoryEventType[];
