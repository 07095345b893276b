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
  loaded_at: string;
}

export interface EventsTable {
  position: Generated<number>;
  incident_id: string;
  seq: number;
  type: string;
  data: JsonColumn;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  prev_hash: string;
  hash: string;
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
}

export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
