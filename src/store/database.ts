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

export interface Database {
  plans: PlansTable;
  events: EventsTable;
  incidents: IncidentsTable;
  counters: CountersTable;
  scheduled_clocks: ScheduledClocksTable;
  deliveries: DeliveriesTable;
  contact_points: ContactPointsTable;
  channel_secrets: ChannelSecretsTable;
}

export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
