/**
 * The one Kysely `Database` type: every table Firebreak stores, as both back ends see it.
 * JSON columns are `text` on SQLite and `jsonb` on PostgreSQL; adapters read them through
 * `readJson` so callers always get parsed values.
 */
import type { ColumnType, Generated } from 'kysely';

/** JSON as written (a string) and as read (a string on SQLite, a value on PostgreSQL). */
export type JsonColumn = ColumnType<unknown, string, string>;

export interface PlansTable {
  id: string;
  version: string;
  name: string;
  content: JsonColumn;
  content_hash: string;
  source: string | null;
  file_hash: string | null;
  loaded_at: string;
}

/** The columns every hash-chained log shares (see migrations/event-log-table.ts). */
interface EventLogColumns {
  position: Generated<number>;
  seq: number;
  type: string;
  data: JsonColumn;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  prev_hash: string;
  hash: string;
}

export interface EventsTable extends EventLogColumns {
  incident_id: string;
}

export interface IncidentsTable {
  id: string;
  plan_id: string;
  plan_version: string;
  kind: string;
  status: string;
  title: string;
  severity: string | null;
  category: string | null;
  phase: string;
  restricted: number;
  drill: number;
  reported_at: string;
  declared_at: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  version: number;
  last_hash: string;
  state: JsonColumn;
  updated_at: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface IngestSourcesTable {
  name: string;
  kind: string;
  plan_id: string;
  auth: string;
  secret_hash: string | null;
  secret: string | null;
  secret_ref: string | null;
  created_at: string;
  created_by: string;
}

export interface IngestRoutesTable {
  id: Generated<number>;
  position: number;
  match_source: string | null;
  match_severity: string | null;
  match_repository: string | null;
  match_path: string | null;
  plan_id: string | null;
  severity: string | null;
  attach_to: string | null;
  created_at: string;
}

export interface AlertsTable {
  id: Generated<number>;
  /** The ingest source's name. */
  source: string;
  fingerprint: string;
  /** `open` while its incident is; `closed` once that incident is finished. */
  status: string;
  incident_id: string | null;
  route_id: number | null;
  /** The tool and feed, e.g. `github:dependabot_alert`. */
  alert_source: string;
  rule: string;
  title: string;
  severity_label: string | null;
  proposed_severity: string | null;
  resource: JsonColumn;
  labels: JsonColumn;
  url: string | null;
  excerpt: string;
  count: number;
  first_seen: string;
  last_seen: string;
  source_resolved_at: string | null;
}

export interface IngestDeliveriesTable {
  source: string;
  delivery_id: string;
  received_at: string;
  response: JsonColumn | null;
}

export interface PublicReportsTable {
  id: string;
  incident_id: string;
  token_hash: string;
  anonymous: number;
  contact: string | null;
  created_at: string;
}

export interface ReportMessagesTable {
  id: Generated<number>;
  report_id: string;
  author: string;
  actor: string | null;
  text: string;
  created_at: string;
}

/** One clock that must act: pending until a worker fires it once (or a recompute cancels it). */
export interface ScheduledClocksTable {
  incident_id: string;
  /** e.g. `ack:escalation:2`, `sitrep:3`, `checklist:<item>`, `shift:<role>:<since>`, `regulatory:<id>`. */
  clock_key: string;
  kind: string;
  due_at: string;
  state: 'pending' | 'fired' | 'cancelled';
  claimed_by: string | null;
  claimed_until: string | null;
  fired_at: string | null;
  late: number;
  /** Role, level and label the notification needs (JSON). */
  details: JsonColumn;
  updated_at: string;
}

/** One message to one recipient over one channel, with its delivery record (the outbox). */
export interface DeliveriesTable {
  id: string;
  incident_id: string | null;
  clock_key: string | null;
  template: string | null;
  channel: 'webhook' | 'slack' | 'teams' | 'mattermost' | 'email';
  recipient: string;
  target: string;
  status: 'review' | 'queued' | 'sent' | 'failed' | 'dead' | 'rejected';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  /** `{ subject, body }` as rendered (JSON). */
  payload: JsonColumn;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  reviewed_by: string | null;
}

/** Where a person is reached: an e-mail address or a chat/webhook URL. */
export interface ContactPointsTable {
  user_handle: string;
  kind: 'email' | 'webhook' | 'slack' | 'teams' | 'mattermost';
  target: string;
  /** HMAC secret for generic webhooks; never logged or printed. */
  secret: string | null;
  created_at: string;
}

/** Server-side endpoint (and signing secret) of a plan channel; plans hold no secrets. */
export interface ChannelSecretsTable {
  channel_id: string;
  kind: 'email' | 'webhook' | 'slack' | 'teams' | 'mattermost';
  target: string;
  secret: string | null;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  handle: string;
  role: string;
  /** scrypt hash (`scrypt$N$r$p$salt$hash`), null for single-sign-on-only users. */
  password_hash: string | null;
  /** `issuer|sub` of the OIDC identity linked to this user. */
  oidc_subject: string | null;
  disabled: number;
  created_at: string;
  /** IANA zone the person's pages are written in (migration 009); null: the plan's zone. */
  time_zone: string | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once, at creation. */
  secret_hash: string;
  /** The first characters of the token, to recognise it in a list. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  action: string;
  outcome: string;
  user_id: string | null;
  /** What the action was about: an e-mail, a token id, a route, an incident id. */
  subject: string | null;
  ip: string | null;
  detail: JsonColumn;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** Method and route pattern with its parameters, e.g. `POST /api/v1/incidents/INC-1/ack`. */
  route: string;
  request_hash: string;
  /** Null while the first request is still running. */
  status: number | null;
  response: string | null;
  headers: JsonColumn | null;
  created_at: string;
}

export interface AdvisoryEventsTable extends EventLogColumns {
  advisory_id: string;
}

export interface AdvisoriesTable {
  id: string;
  incident_id: string;
  status: string;
  title: string;
  severity: string | null;
  cve: string | null;
  first_release_at: string | null;
  created_at: string;
  version: number;
  last_hash: string;
  state: JsonColumn;
  updated_at: string;
}

export interface VexStatementsTable {
  position: Generated<number>;
  product: string;
  version: string;
  vulnerability: string;
  status: string;
  justification: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  recorded_at: string;
  actor: string;
}

export interface EvidenceItemsTable {
  id: string;
  incident_id: string;
  kind: string;
  sha256: string;
  /** bigint: a string from PostgreSQL, a number from SQLite; read it with Number(). */
  size: ColumnType<number | string, number, number>;
  description: string;
  source: string;
  collector: string;
  collected_at: string;
  recorded_by: string;
  filename: string | null;
  media_type: string | null;
  custodian: string;
}

export interface ReviewsTable {
  incident_id: string;
  document: JsonColumn;
  updated_at: string;
  updated_by: string;
  completed_at: string | null;
}

export interface ActionItemsTable {
  id: string;
  incident_id: string;
  title: string;
  owner: string | null;
  due_date: string | null;
  priority: string;
  tracker_url: string | null;
  status: string;
  status_reason: string | null;
  plan_id: string | null;
  plan_version: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  completed_at: string | null;
}

export interface DrillsTable {
  incident_id: string;
  scenario: JsonColumn;
  started_at: string;
  injects_delivered: number;
}

export interface PlanActivitiesTable {
  id: Generated<number>;
  plan_id: string;
  kind: string;
  done_at: string;
  done_by: string;
  note: string | null;
}

/** FTS5 virtual table on SQLite; a table with a generated tsvector on PostgreSQL. */
/** The signed checkpoint log (migration 013), append-only. */
export interface CheckpointsTable {
  seq: number;
  created_at: string;
  tree_size: number;
  root: string;
  key_id: string;
  text: string;
}

export interface SearchIndexTable {
  incident_id: string;
  kind: string;
  ref: string;
  occurred_at: string;
  body: string;
}

/** A message composed from a plan template; `approved_by` is a comma-separated list of handles. */
export interface PlanMessagesTable {
  id: string;
  incident_id: string;
  template: string;
  audience: string;
  subject: string | null;
  body: string;
  status: 'review' | 'sent' | 'rejected';
  author: string;
  approvals_needed: number;
  approved_by: string;
  rejected_by: string | null;
  reject_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  plans: PlansTable;
  events: EventsTable;
  incidents: IncidentsTable;
  counters: CountersTable;
  ingest_sources: IngestSourcesTable;
  ingest_routes: IngestRoutesTable;
  alerts: AlertsTable;
  ingest_deliveries: IngestDeliveriesTable;
  public_reports: PublicReportsTable;
  report_messages: ReportMessagesTable;
  scheduled_clocks: ScheduledClocksTable;
  deliveries: DeliveriesTable;
  plan_messages: PlanMessagesTable;
  contact_points: ContactPointsTable;
  channel_secrets: ChannelSecretsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  advisory_events: AdvisoryEventsTable;
  advisories: AdvisoriesTable;
  vex_statements: VexStatementsTable;
  evidence_items: EvidenceItemsTable;
  reviews: ReviewsTable;
  action_items: ActionItemsTable;
  drills: DrillsTable;
  plan_activities: PlanActivitiesTable;
  search_index: SearchIndexTable;
  checkpoints: CheckpointsTable;
  oncall_schedules: OnCallSchedulesTable;
  oncall_schedule_history: ScheduleHistoryTable;
  oncall_overrides: OverridesTable;
  calendar_feeds: CalendarFeedsTable;
  escalation_policies: EscalationPoliciesTable;
  ack_links: AckLinksTable;
}

export interface OnCallSchedulesTable {
  id: string;
  definition: JsonColumn;
  version: number;
  updated_at: string;
  updated_by: string;
}

export interface ScheduleHistoryTable {
  schedule_id: string;
  version: number;
  /** created, updated, deleted, override-added, override-removed */
  change: string;
  definition: ColumnType<unknown, string | null, string | null>;
  detail: string | null;
  changed_at: string;
  changed_by: string;
}

export interface OverridesTable {
  id: string;
  schedule_id: string;
  user_handle: string;
  starts_at: string;
  ends_at: string;
  created_at: string;
  created_by: string;
}

/** A person's private iCalendar feed of their shifts, by the SHA-256 of its token. */
export interface CalendarFeedsTable {
  token_hash: string;
  user_handle: string;
  created_at: string;
}

/** An escalation policy (src/domain/paging/escalation-policy.ts); levels as JSON. */
export interface EscalationPoliciesTable {
  id: string;
  name: string;
  levels: unknown;
  repeat: number;
  updated_at: string;
  updated_by: string;
}

/** An acknowledge link sent in a page: the token's SHA-256 only (the token is the credential). */
export interface AckLinksTable {
  token_hash: string;
  incident_id: string;
  user_handle: string;
  delivery_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
