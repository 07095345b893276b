/**
 * The post-incident review: what people write (discovery method, threat actions, what
 * went well and what to improve, root cause with five whys and optional fishbone
 * categories, control gaps) beside what the log already knows (key events, response
 * times). `draftReview` pre-fills the written part from the log so nobody starts blank.
 */
import { z } from 'zod';
import type { IncidentEventEnvelope, IncidentEventType } from '../incident/events.js';
import type { IncidentState } from '../incident/state.js';

const Line = z.string().trim().min(1, 'must not be empty').max(4000);
const Lines = z.array(Line).max(100);

export const FISHBONE_CATEGORIES = ['people', 'process', 'technology', 'environment', 'suppliers', 'measurement'] as const;

export const ReviewDocumentSchema = z
  .object({
    detectedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional().describe('When the incident became active (for time to discovery)'),
    discoveryMethod: Line.optional(),
    threatActions: Lines.default([]),
    wentWell: Lines.default([]),
    toImprove: Lines.default([]),
    rootCause: Line.optional(),
    whys: z.array(Line).max(10).default([]).describe('Five whys: each answer one level deeper'),
    fishbone: z.partialRecord(z.enum(FISHBONE_CATEGORIES), Lines).optional(),
    controlGaps: Lines.default([]),
    impact: Line.optional(),
    resolution: Line.optional(),
    lessons: Line.optional(),
    progression: Line.optional(),
  })
  .strict();

export type ReviewDocument = z.infer<typeof ReviewDocumentSchema>;
/** A partial update; arrays replace, absent keys stay. */
export const ReviewPatchSchema = ReviewDocumentSchema.partial();
export type ReviewPatch = z.input<typeof ReviewPatchSchema>;

/** The events a report's timeline shows; routine ones (accesses, notes, checklist ticks) are left out. */
export const KEY_EVENT_TYPES: ReadonlySet<IncidentEventType> = new Set<IncidentEventType>([
  'reported',
  'declared',
  'dismissed',
  'acknowledged',
  'severity_changed',
  'role_assigned',
  'handoff_confirmed',
  'phase_entered',
  'flag_set',
  'regulatory_filed',
  'evidence_added',
  'evidence_transferred',
  'resolved',
  'closed',
  'reopened',
  'review_completed',
  'advisory_published',
]);

export function keyEvents(events: readonly IncidentEventEnvelope[]): IncidentEventEnvelope[] {
  return events.filter((e) => KEY_EVENT_TYPES.has(e.type));
}

/** A first draft from the log: discovery method from the source, resolution from the resolve summary. */
export function draftReview(state: IncidentState, events: readonly IncidentEventEnvelope[]): ReviewDocument {
  const resolved = [...events].reverse().find((e) => e.type === 'resolved');
  const resolution = resolved?.type === 'resolved' ? resolved.data.summary : undefined;
  const reporter = state.reporter.anonymous ? 'an anonymous reporter' : state.reporter.name;
  return {
    discoveryMethod: state.source ? `${state.source} (reported by ${reporter})` : `Reported by ${reporter}`,
    threatActions: [],
    wentWell: [],
    toImprove: [],
    whys: [],
    controlGaps: [],
    ...(state.summary ? { progression: state.summary } : {}),
    ...(resolution ? { resolution } : {}),
  };
}
