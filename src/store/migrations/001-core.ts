/** Plans, the append-only event log, the incident projection and id counters. */
import { type Kysely, sql } from 'kysely';
import { createEventLogTable } from './event-log-table.js';
import type { Dialect, MigrationStep } from './migration.js';

export const coreMigration: MigrationStep = {
  name: '001-core',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    await db.schema
      .createTable('plans')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('content', sql.raw(json), (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      // SHA-256 of the file text it was loaded from: an unchanged file is not re-validated.
      .addColumn('file_hash', 'text')
      .addColumn('loaded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('plans_pk', ['id', 'version'])
      .execute();

    await db.schema.createIndex('plans_file_hash').on('plans').column('file_hash').execute();

    await createEventLogTable(db, dialect, { table: 'events', streamColumn: 'incident_id', uniqueStreamSeq: 'events_incident_seq' });

    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('plan_id', 'text', (c) => c.notNull())
      .addColumn('plan_version', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('category', 'text')
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .addColumn('declared_at', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .addColumn('state', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'reported_at']).execute();

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();

    // The log is append-only: the database itself refuses edits and deletions, and the
    // hash chain exposes anyone who goes around it.
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`.execute(db);
      await sql`CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION firebreak_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$`.execute(db);
      await sql`CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION firebreak_events_append_only()`.execute(db);
    }
  },
};
