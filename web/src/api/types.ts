/**
 * The shapes the HTTP API sends and accepts (docs/api-contract.md). Domain shapes are
 * imported as types from the server's source, so the web app and the server never
 * describe an incident, a plan or a clock twice; only the HTTP envelopes live here.
 */
import type { AdvisoryScoreView, AdvisorySummary, AdvisoryView } from '../../../src/app/advisory-view.js';
import type { ApiTokenInfo, SessionInfo } from '../../../src/app/auth/auth-service.js';
import type { IncidentView } from '../../../src/app/incident-view.js';
import type { Clock } from '../../../src/domain/clocks/clocks.js';
import type { IncidentEventEnvelope, IncidentEventType } from '../../../src/domain/incident/events.js';
import type { IncidentState, IncidentStatus } from '../../../src/domain/incident/state.js';
import type { GroupMetrics, MetricsReport, SlaFigure } from '../../../src/domain/metrics/incident-metrics.js';
import type { Plan } from '../../../src/domain/plan/plan-schema.js';
import type { AdvisoryContent, AdvisoryChanges, AffectedPackage, Ecosystem } from '../../../src/domain/advisory/advisory-content.js';
import type { CvssSeverity, CvssVersion } from '../../../src/domain/advisory/cvss.js';
import type { AdvisoryStatus } from '../../../src/domain/advisory/state.js';
import type { AdvisoryTimelineEntry } from '../../../src/domain/advisory/timeline.js';

export type { Clock, GroupMetrics, IncidentEventType, IncidentState, IncidentStatus, IncidentView, MetricsReport, Plan, SlaFigure };

/** A metrics period: YYYY-MM-DD dates, `to` exclusive; either may be open. */
export interface MetricsPeriod {
  readonly from?: string;
  readonly to?: string;
}

/** Your own sessions and API tokens (the account screen). */
export type { ApiTokenInfo, SessionInfo };

export type { AdvisoryChanges, AdvisoryContent, AdvisoryStatus, AdvisoryTimelineEntry, AffectedPackage, CvssSeverity, CvssVersion, Ecosystem };

export type UserRole = 'admin' | 'responder' | 'viewer' | 'reporter';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The name recorded in incident logs (actor, role holder). */
  readonly handle: string;
  readonly role: UserRole;
}

export interface Session {
  readonly user: User | null;
  readonly csrfToken: string | null;
  readonly setupRequired: boolean;
  readonly oidc: { readonly enabled: boolean; readonly name: string | null };
}

export interface PlanSummary {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly description: string;
  readonly severities: readonly { readonly id: string; readonly name: string }[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | null;
  readonly total?: number;
}

/** One line of an incident's log as the timeline shows it. */
export type TimelineEntry = IncidentEventEnvelope & { readonly summary: string };

export interface TimelinePage {
  readonly items: readonly TimelineEntry[];
  readonly nextAfter: number | null;
}

/** RFC 9457 problem details, with Firebreak's stable error code. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly fields?: readonly { readonly path: string; readonly message: string }[];
}

/** What the live streams push; the app refetches what it shows on each message. */
export interface StreamMessage {
  readonly incidentId: string;
  readonly version?: number;
  readonly events?: readonly TimelineEntry[];
}

export interface IncidentFilters {
  readonly kind?: 'event' | 'incident';
  readonly status?: readonly IncidentStatus[];
  readonly q?: string;
}

// ---- Advisories (issue 7) ------------------------------------------------------------

/** One computed CVSS score as the API sends it (one per vector the advisory has). */
export type CvssScoreView = AdvisoryScoreView;
export type { AdvisorySummary, AdvisoryView };
export type AdvisoryRevisionSummary = AdvisoryView['revisions'][number];
export type MissingField = AdvisoryView['missingForPublish'][number];

/** `POST /cvss/score`. */
export interface CvssResult {
  readonly version: CvssVersion;
  readonly vector?: string;
  readonly baseScore: number;
  readonly overallScore?: number;
  readonly severity: CvssSeverity;
  readonly metrics?: unknown;
}

export const EXPORT_FORMATS = ['md', 'osv', 'csaf', 'csaf-vex', 'ghsa'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One released (or scheduled) revision with its full document (`GET /advisories/:id/revisions`). */
export type AdvisoryRevisionEntry = AdvisoryRevisionSummary & {
  readonly document: Record<string, unknown>;
};
