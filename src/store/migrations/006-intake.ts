/**
 * Intake: the sources allowed to send alerts, the routing rules, the de-duplicated
 * alerts (one open row per fingerprint, with its count), the deliveries already seen
 * (so a retried delivery is not counted twice), and public vulnerability reports with
 * their reporter message threads.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect, MigrationStep } from './migration.js';

export const intakeMigration: MigrationStep = {
  name: '006-intake',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    const serial = (table: string) =>
      db.schema.createTable(table).addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()));

    await db.schema
      .createTable('ingest_sources')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      // Bearer tokens are stored as their SHA-256 only. An HMAC check needs the secret
      // itself, so HMAC sources keep it here, or only the name of the environment
      // variable that holds it (`secret_ref`, e.g. env:GITHUB_WEBHOOK_SECRET).
      .addColumn('secret_hash', 'text')
      .addColumn('secret', 'text')
      .addColumn('secret_ref', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();

    await serial('ingest_routes')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('match_source', 'text')
      .addColumn('match_severity', 'text')
      .addColumn('match_repository', 'text')
      .addColumn('match_path', 'text')
      .addColumn('plan_id', 'text')
      .addColumn('severity', 'text')
      .addColumn('attach_to', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await serial('alerts')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('incident_id', 'text')
      .addColumn('route_id', 'integer')
      .addColumn('alert_source', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity_label', 'text')
      .addColumn('proposed_severity', 'text')
      .addColumn('resource', sql.raw(json), (c) => c.notNull())
      .addColumn('labels', sql.raw(json), (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('excerpt', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text', (c) => c.notNull())
      .addColumn('source_resolved_at', 'text')
      .execute();
    // At most one open alert per fingerprint and source: a second concurrent insert
    // fails, and the ingest transaction retries as a repeat.
    await sql`CREATE UNIQUE INDEX alerts_open_fingerprint ON alerts (source, fingerprint) WHERE status = 'open'`.execute(db);
    await db.schema.createIndex('alerts_incident').on('alerts').column('incident_id').execute();

    await db.schema
      .createTable('ingest_deliveries')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('response', sql.raw(json))
      .addPrimaryKeyConstraint('ingest_deliveries_pk', ['source', 'delivery_id'])
      .execute();

    await db.schema
      .createTable('public_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().unique())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('anonymous', 'integer', (c) => c.notNull())
      // Never set for an anonymous report: what the reporter typed is discarded.
      .addColumn('contact', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await serial('report_messages')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_messages_report').on('report_messages').column('report_id').execute();
  },
};
