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

export interface AdvisoryEventsTable {
  position: Generated<number>;
  advisory_id: string;
  seq: number;
  type: string;
  data: JsonColumn;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  prev_hash: string;
  hash: string;
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

export interface Database {
  plans: PlansTable;
  events: EventsTable;
  incidents: IncidentsTable;
  counters: CountersTable;
  advisory_events: AdvisoryEventsTable;
  advisories: AdvisoriesTable;
  vex_statements: VexStatementsTable;
}

export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
