/**
 * The state of one incident, derived from its log by `evolve`. Nothing else ever writes
 * it: the stored projection is a cache of `events.reduce(evolve, initialState)`, which the
 * property tests check.
 */
import type { EventEnvelope, EventOf, INCIDENT_EVENT_TYPES, IncidentEventEnvelope, IncidentEventType, ReporterInfo } from './events.js';
import type { RegulatoryReport } from '../regulatory/regulatory-draft.js';

/** `investigating` is an event not yet triaged; `dismissed` a false alarm. */
export type IncidentStatus = 'investigating' | 'active' | 'resolved' | 'closed' | 'dismissed';

export interface RoleHolding {
  readonly holder: string;
  /** When the current holder took the role. */
  readonly since: string;
  readonly pendingHandoff?: {
    readonly to: string;
    readonly briefing: string;
    readonly initiatedAt: string;
  };
}

export interface SeverityChange {
  readonly from: string | null;
  readonly to: string;
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

/** A stage's report draft: the items people entered, the last edit, and its review. */
export interface RegulatoryDraft {
  readonly fields: Readonly<Record<string, { readonly value: string; readonly by: string; readonly at: string }>>;
  /** Counts edits; a review names the revision it saw. */
  readonly revision: number;
  readonly lastEditedBy: string;
  readonly lastEditedAt: string;
  readonly review: { readonly decision: 'approved' | 'rejected'; readonly by: string; readonly at: string; readonly revision: number; readonly note: string | null } | null;
  /** The frozen report of the approved revision; cleared by a later edit. */
  readonly approved: { readonly by: string; readonly at: string; readonly reportSha256: string; readonly report: RegulatoryReport } | null;
}

/** One filing of a regulatory stage, as the log recorded it. */
export interface RegulatoryFiling {
  /** The event that recorded it. */
  readonly seq: number;
  readonly by: string;
  readonly at: string;
  readonly reference: string | null;
  readonly reportSha256: string | null;
  readonly reason: string | null;
  readonly late: boolean;
}

export interface IncidentState {
  readonly id: string;
  readonly planId: string;
  readonly planVersion: string;
  /** `event` until triage confirms it as an `incident`. */
  readonly kind: 'event' | 'incident';
  readonly status: IncidentStatus;
  readonly title: string;
  readonly summary: string | null;
  readonly reporter: ReporterInfo;
  readonly source: string | null;
  readonly drill: boolean;
  readonly restricted: boolean;
  readonly members: readonly string[];
  readonly severity: string | null;
  readonly category: string | null;
  readonly severityHistory: readonly SeverityChange[];
  readonly reportedAt: string;
  readonly declaredAt: string | null;
  readonly dismissedReason: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly roles: Readonly<Record<string, RoleHolding>>;
  /** When each role was first filled, for the response-time clock. */
  readonly rolesFirstFilledAt: Readonly<Record<string, string>>;
  /** When triage confirmed or dismissed the report. */
  readonly triagedAt: string | null;
  readonly phase: string;
  readonly phaseEnteredAt: string;
  readonly phaseHistory: readonly { readonly phase: string; readonly at: string; readonly forced: boolean }[];
  readonly completedItems: Readonly<Record<string, { readonly by: string; readonly at: string }>>;
  readonly notes: number;
  readonly sitreps: readonly { readonly at: string; readonly by: string }[];
  readonly flags: Readonly<Record<string, string>>;
  /** The first filing of each regulatory stage (what stops its clock). */
  readonly regulatoryFiled: Readonly<Record<string, RegulatoryFiling>>;
  /** Every filing of each stage, oldest first; repeatable stages have several. */
  readonly regulatoryFilings: Readonly<Record<string, readonly RegulatoryFiling[]>>;
  /** Each stage's report draft, by clock id. */
  readonly regulatoryDrafts: Readonly<Record<string, RegulatoryDraft>>;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly reopenCount: number;
  /** Each evidence item recorded, with who holds it now (chain of custody). */
  readonly evidence: Readonly<Record<string, EvidenceHolding>>;
  /** When the post-incident review was completed; cleared when the incident is reopened. */
  readonly reviewCompletedAt: string | null;
  /** Set when a sitrep reminder fired and no sitrep has been posted since (the overdue mark). */
  readonly sitrepOverdueSince?: string;
  /**
   * The acknowledgement escalation's next step (`ack:escalation:<step>`) and when it is due,
   * from the last step that fired; null once the ladder is done; absent before the first step.
   */
  readonly escalationNext?: { readonly step: number; readonly at: string } | null;
  /** Seq of the last event applied; the version used for optimistic concurrency. */
  readonly version: number;
  readonly lastHash: string;
  readonly updatedAt: string;
}

export interface EvidenceHolding {
  readonly custodian: string;
  readonly sha256: string;
  readonly addedAt: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Builds the state from the first event of a log. */
function initialState(event: EventEnvelope<EventOf<'reported'>>): IncidentState {
  const data = event.data;
  return {
    id: event.incidentId,
    planId: data.planId,
    planVersion: data.planVersion,
    kind: 'event',
    status: 'investigating',
    title: data.title,
    summary: data.summary ?? null,
    reporter: data.reporter,
    source: data.source ?? null,
    drill: data.drill ?? false,
    restricted: data.restricted,
    members: [],
    severity: null,
    category: null,
    severityHistory: [],
    reportedAt: event.occurredAt,
    declaredAt: null,
    dismissedReason: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    roles: {},
    rolesFirstFilledAt: {},
    triagedAt: null,
    phase: data.initialPhase,
    phaseEnteredAt: event.occurredAt,
    phaseHistory: [{ phase: data.initialPhase, at: event.occurredAt, forced: false }],
    completedItems: {},
    notes: 0,
    sitreps: [],
    flags: {},
    regulatoryFiled: {},
    regulatoryFilings: {},
    regulatoryDrafts: {},
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    evidence: {},
    reviewCompletedAt: null,
    version: event.seq,
    lastHash: event.hash,
    updatedAt: event.recordedAt,
  };
}

function apply(state: IncidentState, event: IncidentEventEnvelope): IncidentState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'reported':
      return state;
    case 'declared': {
      const data = event.data;
      return {
        ...state,
        kind: 'incident',
        status: 'active',
        severity: data.severity,
        category: data.category ?? null,
        declaredAt: at,
        triagedAt: at,
        severityHistory: [...state.severityHistory, { from: null, to: data.severity, at, by: event.actor, reason: 'triage' }],
      };
    }
    case 'dismissed':
      return { ...state, status: 'dismissed', dismissedReason: event.data.reason, triagedAt: at, closedAt: at };
    case 'acknowledged':
      return { ...state, acknowledgedAt: at, acknowledgedBy: event.data.by };
    case 'severity_changed': {
      const data = event.data;
      return {
        ...state,
        severity: data.to,
        severityHistory: [...state.severityHistory, { from: data.from, to: data.to, at, by: event.actor, reason: data.reason }],
      };
    }
    case 'role_assigned': {
      const data = event.data;
      return {
        ...state,
        roles: { ...state.roles, [data.role]: { holder: data.to, since: at } },
        rolesFirstFilledAt: { [data.role]: at, ...state.rolesFirstFilledAt },
      };
    }
    case 'handoff_initiated': {
      const data = event.data;
      const holding = state.roles[data.role];
      if (!holding) return state;
      return {
        ...state,
        roles: {
          ...state.roles,
          [data.role]: { ...holding, pendingHandoff: { to: data.to, briefing: data.briefing, initiatedAt: at } },
        },
      };
    }
    case 'handoff_confirmed': {
      const data = event.data;
      return { ...state, roles: { ...state.roles, [data.role]: { holder: data.to, since: at } } };
    }
    case 'handoff_cancelled': {
      const data = event.data;
      const holding = state.roles[data.role];
      if (!holding) return state;
      return { ...state, roles: { ...state.roles, [data.role]: { holder: holding.holder, since: holding.since } } };
    }
    case 'phase_entered': {
      const data = event.data;
      return {
        ...state,
        phase: data.phase,
        phaseEnteredAt: at,
        phaseHistory: [...state.phaseHistory, { phase: data.phase, at, forced: data.forced !== undefined }],
      };
    }
    case 'checklist_item_completed': {
      const data = event.data;
      return { ...state, completedItems: { ...state.completedItems, [data.item]: { by: event.actor, at } } };
    }
    case 'note_added':
      return { ...state, notes: state.notes + 1 };
    case 'sitrep_posted': {
      const { sitrepOverdueSince: _cleared, ...rest } = state;
      return { ...rest, sitreps: [...state.sitreps, { at, by: event.actor }] };
    }
    case 'flag_set': {
      const data = event.data;
      return { ...state, flags: { ...state.flags, [data.flag]: at } };
    }
    case 'regulatory_filed': {
      const data = event.data;
      const filing: RegulatoryFiling = {
        seq: event.seq,
        by: event.actor,
        at,
        reference: data.reference ?? null,
        reportSha256: data.reportSha256 ?? null,
        reason: data.reason ?? null,
        late: data.late ?? false,
      };
      return {
        ...state,
        regulatoryFiled: {
          ...state.regulatoryFiled,
          [data.clock]: state.regulatoryFiled[data.clock] ?? filing,
        },
        regulatoryFilings: { ...state.regulatoryFilings, [data.clock]: [...(state.regulatoryFilings[data.clock] ?? []), filing] },
      };
    }
    case 'regulatory_draft_edited': {
      const data = event.data;
      const draft = state.regulatoryDrafts[data.clock];
      const fields = { ...(draft?.fields ?? {}) };
      for (const [id, value] of Object.entries(data.fields)) {
        if (value === '') delete fields[id];
        else fields[id] = { value, by: event.actor, at };
      }
      const edited: RegulatoryDraft = { fields, revision: (draft?.revision ?? 0) + 1, lastEditedBy: event.actor, lastEditedAt: at, review: null, approved: null };
      return { ...state, regulatoryDrafts: { ...state.regulatoryDrafts, [data.clock]: edited } };
    }
    case 'regulatory_draft_reviewed': {
      const data = event.data;
      const draft = state.regulatoryDrafts[data.clock];
      if (!draft) return state;
      const review = { decision: data.decision, by: event.actor, at, revision: data.revision, note: data.note ?? null };
      const approved = data.decision === 'approved' && data.report && data.reportSha256 ? { by: event.actor, at, reportSha256: data.reportSha256, report: data.report } : null;
      return { ...state, regulatoryDrafts: { ...state.regulatoryDrafts, [data.clock]: { ...draft, review, approved } } };
    }
    case 'member_added': {
      const user = event.data.user;
      return { ...state, members: [...state.members.filter((m) => m !== user), user] };
    }
    case 'member_removed': {
      const user = event.data.user;
      return { ...state, members: state.members.filter((m) => m !== user) };
    }
    case 'restriction_changed':
      return { ...state, restricted: event.data.restricted };
    case 'resolved':
      return { ...state, status: 'resolved', resolvedAt: at };
    case 'closed':
      return { ...state, status: 'closed', closedAt: at };
    case 'reopened':
      return {
        ...state,
        status: state.kind === 'incident' ? 'active' : 'investigating',
        dismissedReason: null,
        triagedAt: state.kind === 'incident' ? state.triagedAt : null,
        resolvedAt: null,
        closedAt: null,
        reopenCount: state.reopenCount + 1,
        reviewCompletedAt: null,
      };
    case 'evidence_added': {
      const data = event.data;
      return { ...state, evidence: { ...state.evidence, [data.evidenceId]: { custodian: data.collector, sha256: data.sha256, addedAt: at } } };
    }
    case 'evidence_accessed':
      return state;
    case 'evidence_transferred': {
      const data = event.data;
      const holding = state.evidence[data.evidenceId];
      if (!holding) return state;
      return { ...state, evidence: { ...state.evidence, [data.evidenceId]: { ...holding, custodian: data.to } } };
    }
    case 'review_completed':
      return { ...state, reviewCompletedAt: at };
    case 'clock_fired':
      if (event.data.next !== undefined) return { ...state, escalationNext: event.data.next };
      return event.data.clock.startsWith('sitrep:') && state.sitrepOverdueSince === undefined
        ? { ...state, sitrepOverdueSince: event.data.dueAt }
        : state;
    // Advisories and deliveries keep their own state; the incident log only records the facts.
    case 'advisory_drafted':
    case 'advisory_published':
    case 'message_submitted':
    case 'message_approved':
    case 'message_rejected':
    case 'message_sent':
      return state;
    default: {
      const unknown: never = event;
      throw new Error(`unknown incident event ${JSON.stringify(unknown)}`);
    }
  }
}

/** Applies one stored event. The first event of a log must be `reported`. */
export function evolve(state: IncidentState | null, event: IncidentEventEnvelope): IncidentState {
  if (state === null) {
    if (event.type !== 'reported') throw new Error(`log of ${event.incidentId} does not start with "reported"`);
    return initialState(event);
  }
  const next = apply(state, event);
  return { ...next, version: event.seq, lastHash: event.hash, updatedAt: event.recordedAt };
}

export function replay(events: readonly IncidentEventEnvelope[]): IncidentState | null {
  return events.reduce<IncidentState | null>(evolve, null);
}

/** True when the incident can no longer change without being reopened. */
export function isFinished(state: IncidentState): boolean {
  return state.status === 'closed' || state.status === 'dismissed';
}

/** Compile-time check that `INCIDENT_EVENT_TYPES` lists every event type. */
type MissingEventType = Exclude<IncidentEventType, (typeof INCIDENT_EVENT_TYPES)[number]>;
export const EVENT_TYPES_ARE_COMPLETE: MissingEventType extends never ? true : never = true;
