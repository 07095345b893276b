/**
 * Everything that can happen to an incident, as facts in its log. The log is the truth;
 * the incident's state is only ever derived from it (see `state.ts`).
 *
 * Payloads hold what the fact needs and nothing derived: who did it and when live in the
 * envelope (`IncidentEventEnvelope`), so every event has an actor, an `occurredAt` (when it
 * happened, which may be earlier than it was written down) and a `recordedAt`.
 */

import type { RegulatoryReport } from '../regulatory/regulatory-draft.js';

export type ReporterInfo = { readonly anonymous: true } | { readonly anonymous: false; readonly name: string };

/** How an acknowledgement arrived. */
export type AckVia = 'link' | 'web' | 'cli' | 'api';

export type IncidentEvent =
  | {
      readonly type: 'reported';
      readonly data: {
        readonly planId: string;
        readonly planVersion: string;
        readonly title: string;
        readonly summary?: string;
        readonly reporter: ReporterInfo;
        readonly initialPhase: string;
        readonly restricted: boolean;
        readonly drill?: boolean;
        readonly source?: string;
      };
    }
  | { readonly type: 'declared'; readonly data: { readonly severity: string; readonly category?: string } }
  | { readonly type: 'dismissed'; readonly data: { readonly reason: string } }
  | {
      readonly type: 'acknowledged';
      /** `via`: how (an acknowledge link in a page, the web app, the CLI, the API); absent in logs written before paging. */
      readonly data: { readonly by: string; readonly via?: AckVia };
    }
  | {
      readonly type: 'severity_changed';
      readonly data: { readonly from: string; readonly to: string; readonly reason: string };
    }
  | { readonly type: 'role_assigned'; readonly data: { readonly role: string; readonly to: string } }
  | {
      readonly type: 'handoff_initiated';
      readonly data: { readonly role: string; readonly from: string; readonly to: string; readonly briefing: string };
    }
  | { readonly type: 'handoff_confirmed'; readonly data: { readonly role: string; readonly from: string; readonly to: string } }
  | { readonly type: 'handoff_cancelled'; readonly data: { readonly role: string; readonly reason: string } }
  | {
      readonly type: 'phase_entered';
      readonly data: {
        readonly phase: string;
        readonly from: string;
        /** Present when required items were open and the move was forced. */
        readonly forced?: { readonly reason: string; readonly openItems: readonly string[] };
      };
    }
  | { readonly type: 'checklist_item_completed'; readonly data: { readonly item: string; readonly note?: string } }
  | { readonly type: 'note_added'; readonly data: { readonly text: string } }
  | { readonly type: 'sitrep_posted'; readonly data: { readonly text: string } }
  | { readonly type: 'flag_set'; readonly data: { readonly flag: string; readonly note?: string } }
  | {
      readonly type: 'regulatory_filed';
      readonly data: {
        readonly clock: string;
        readonly reference?: string;
        readonly note?: string;
        /** SHA-256 of the exported report that was filed, so the record points at its exact bytes. */
        readonly reportSha256?: string;
        /** Why it was late, or why it is one phase of several (GDPR Art. 33(1), 33(4)). */
        readonly reason?: string;
        /** The deadline it was filed against, and whether it was past it, as known when filed. */
        readonly dueAt?: string;
        readonly late?: boolean;
      };
    }
  | {
      /** Items of a stage's report draft filled or changed (an empty value clears one). */
      readonly type: 'regulatory_draft_edited';
      readonly data: { readonly clock: string; readonly fields: Readonly<Record<string, string>> };
    }
  | {
      /** A second person's review of a draft; approval freezes the report and its SHA-256. */
      readonly type: 'regulatory_draft_reviewed';
      readonly data: {
        readonly clock: string;
        readonly decision: 'approved' | 'rejected';
        readonly revision: number;
        readonly note?: string;
        readonly report?: RegulatoryReport;
        readonly reportSha256?: string;
      };
    }
  | { readonly type: 'member_added'; readonly data: { readonly user: string } }
  | { readonly type: 'member_removed'; readonly data: { readonly user: string } }
  | { readonly type: 'restriction_changed'; readonly data: { readonly restricted: boolean; readonly reason: string } }
  | { readonly type: 'resolved'; readonly data: { readonly summary?: string } }
  | { readonly type: 'closed'; readonly data: Record<string, never> }
  | { readonly type: 'reopened'; readonly data: { readonly reason: string } }
  | { readonly type: 'evidence_added'; readonly data: EvidenceAddedData }
  | {
      readonly type: 'evidence_accessed';
      readonly data: { readonly evidenceId: string; readonly action: EvidenceAccessAction; readonly purpose?: string };
    }
  | {
      readonly type: 'evidence_transferred';
      readonly data: { readonly evidenceId: string; readonly from: string; readonly to: string; readonly reason: string };
    }
  | { readonly type: 'review_completed'; readonly data: { readonly documentHash: string } }
  | { readonly type: 'advisory_drafted'; readonly data: { readonly advisoryId: string; readonly title: string } }
  | {
      readonly type: 'advisory_published';
      readonly data: { readonly advisoryId: string; readonly revision: number; readonly releaseAt: string; readonly embargoed: boolean };
    }
  | {
      /** A deadline passed and the scheduler acted on it (once). */
      readonly type: 'clock_fired';
      readonly data: {
        /** The scheduled clock's key, e.g. `ack:escalation:2`, `sitrep:3`, `regulatory:gdpr-art33`. */
        readonly clock: string;
        readonly dueAt: string;
        /** Fired well after its due time (the server was down or busy). */
        readonly late: boolean;
        /** Escalation level paged, for `ack:escalation:<step>` (the level within its pass). */
        readonly level?: number;
        /** Who was told, as `handle` or `audience:<id>`, with the channel kind. */
        readonly notified: readonly string[];
        /** For escalation steps: the policy paged (absent for a plan's role path). */
        readonly policy?: string;
        /** For escalation steps: which pass of a repeating policy (1 = the first). */
        readonly pass?: number;
        /** For escalation steps: levels passed over because they reached nobody, and why. */
        readonly fellThrough?: readonly { readonly level: number; readonly reason: string }[];
        /** For escalation steps: the next step and when it is due, or null when the ladder is done. */
        readonly next?: { readonly step: number; readonly at: string } | null;
      };
    }
  | {
      /** A message composed from a plan template was sent off, or put in the review queue. */
      readonly type: 'message_submitted';
      readonly data: { readonly message: string; readonly template: string; readonly audience: string; readonly subject?: string; readonly review: boolean };
    }
  | { readonly type: 'message_approved'; readonly data: { readonly message: string; readonly approvals: number; readonly needed: number } }
  | { readonly type: 'message_rejected'; readonly data: { readonly message: string; readonly reason: string } }
  | {
      readonly type: 'message_sent';
      readonly data: {
        readonly delivery: string;
        readonly channel: string;
        readonly recipient: string;
        readonly subject?: string;
        readonly clock?: string;
      };
    };

export type EvidenceKind = 'file' | 'text' | 'link';
export type EvidenceAccessAction = 'view' | 'download' | 'export';

/**
 * One item of evidence as it enters the record. The bytes live in evidence storage under
 * `sha256`; for text and links the bytes are the UTF-8 text or the URL. `collector` is who
 * gathered it (the event's actor is who recorded it) and becomes its first custodian.
 */
export interface EvidenceAddedData {
  readonly evidenceId: string;
  readonly kind: EvidenceKind;
  readonly sha256: string;
  readonly size: number;
  readonly description: string;
  readonly source: string;
  readonly collector: string;
  readonly filename?: string;
  readonly mediaType?: string;
}

export type IncidentEventType = IncidentEvent['type'];

export type EventOf<T extends IncidentEventType> = Extract<IncidentEvent, { type: T }>;

/** An event as stored: the fact plus who, when, where in the log, and its link in the chain. */
export interface EventEnvelope<E extends IncidentEvent> {
  readonly incidentId: string;
  /** 1 for the first event of an incident, then +1 each. */
  readonly seq: number;
  readonly type: E['type'];
  readonly data: E['data'];
  /** ISO 8601 instant the fact happened. */
  readonly occurredAt: string;
  /** ISO 8601 instant the fact was written down. */
  readonly recordedAt: string;
  readonly actor: string;
  /** Hash of the previous event of this incident; all zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 over the canonical encoding of every field above. */
  readonly hash: string;
}

/** Any stored event; switching on `type` narrows `data`. */
export type IncidentEventEnvelope = { [K in IncidentEventType]: EventEnvelope<EventOf<K>> }[IncidentEventType];

/** An event before it is placed in the log: no seq, no hashes yet. */
export type PendingEvent = IncidentEvent & { readonly occurredAt: string; readonly actor: string };

export const INCIDENT_EVENT_TYPES = [
  'reported',
  'declared',
  'dismissed',
  'acknowledged',
  'severity_changed',
  'role_assigned',
  'handoff_initiated',
  'handoff_confirmed',
  'handoff_cancelled',
  'phase_entered',
  'checklist_item_completed',
  'note_added',
  'sitrep_posted',
  'flag_set',
  'regulatory_filed',
  'regulatory_draft_edited',
  'regulatory_draft_reviewed',
  'member_added',
  'member_removed',
  'restriction_changed',
  'resolved',
  'closed',
  'reopened',
  'evidence_added',
  'evidence_accessed',
  'evidence_transferred',
  'review_completed',
  'advisory_drafted',
  'advisory_published',
  'clock_fired',
  'message_submitted',
  'message_approved',
  'message_rejected',
  'message_sent',
] as const satisfies readonly IncidentEventType[];
