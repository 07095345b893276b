/**
 * What happens around and after an incident: evidence items (a projection of the
 * `evidence_*` events), post-incident reviews, action items, drills, plan upkeep records
 * and the full-text search index (FTS5 on SQLite, a tsvector with a GIN index on
 * PostgreSQL), maintained in the same transaction as the events it indexes.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect, MigrationStep } from './migration.js';

export const afterMigration: MigrationStep = {
  name: '005-after',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    await db.schema
      .createTable('evidence_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('collector', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('filename', 'text')
      .addColumn('media_type', 'text')
      .addColumn('custodian', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('evidence_items_incident').on('evidence_items').columns(['incident_id', 'collected_at']).execute();

    await db.schema
      .createTable('reviews')
      .addColumn('incident_id', 'text', (c) => c.primaryKey())
      .addColumn('document', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();

    await db.schema
      .createTable('action_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('owner', 'text')
      .addColumn('due_date', 'text')
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('tracker_url', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('plan_id', 'text')
      .addColumn('plan_version', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    await db.schema.createIndex('action_items_incident').on('action_items').columns(['incident_id']).execute();
    await db.schema.createIndex('action_items_open').on('action_items').columns(['status', 'due_date']).execute();

    await db.schema
      .createTable('drills')
      .addColumn('incident_id', 'text', (c) => c.primaryKey())
      .addColumn('scenario', sql.raw(json), (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('injects_delivered', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('plan_activities')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text', (c) => c.notNull())
      .addColumn('done_by', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('plan_activities_plan').on('plan_activities').columns(['plan_id', 'kind', 'done_at']).execute();

    if (dialect === 'sqlite') {
      await sql`CREATE VIRTUAL TABLE search_index USING fts5(incident_id UNINDEXED, kind UNINDEXED, ref UNINDEXED, occurred_at UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
    } else {
      await sql`CREATE TABLE search_index (
        id bigserial PRIMARY KEY,
        incident_id text NOT NULL,
        kind text NOT NULL,
        ref text NOT NULL,
        occurred_at text NOT NULL,
        body text NOT NULL,
        body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
      )`.execute(db);
      await sql`CREATE INDEX search_index_tsv ON search_index USING GIN (body_tsv)`.execute(db);
      await sql`CREATE INDEX search_index_incident ON search_index (incident_id)`.execute(db);
    }
  },
};
