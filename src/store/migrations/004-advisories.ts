/**
 * Advisories: their append-only, hash-chained event log (one chain per advisory), the
 * advisory projection with the columns the public pages filter on, and the VEX register
 * (append-only: the newest statement per product, version and vulnerability is current).
 */
import { type Kysely, sql } from 'kysely';
import { createEventLogTable } from './event-log-table.js';
import type { Dialect, MigrationStep } from './migration.js';

export const advisoriesMigration: MigrationStep = {
  name: '004-advisories',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
    await createEventLogTable(db, dialect, { table: 'advisory_events', streamColumn: 'advisory_id', uniqueStreamSeq: 'advisory_events_advisory_seq' });

    await db.schema
      .createTable('advisories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('cve', 'text')
      // When the first revision goes (or went) public; null until scheduled or published.
      .addColumn('first_release_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .addColumn('state', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('advisories_incident').on('advisories').column('incident_id').execute();
    await db.schema.createIndex('advisories_release').on('advisories').column('first_release_at').execute();

    await db.schema
      .createTable('vex_statements')
      .addColumn('position', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('vulnerability', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('justification', 'text')
      .addColumn('impact_statement', 'text')
      .addColumn('action_statement', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('vex_statements_key').on('vex_statements').columns(['vulnerability', 'product', 'version']).execute();

    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER advisory_events_no_update BEFORE UPDATE ON advisory_events BEGIN SELECT RAISE(ABORT, 'advisory events are append-only'); END`.execute(db);
      await sql`CREATE TRIGGER advisory_events_no_delete BEFORE DELETE ON advisory_events BEGIN SELECT RAISE(ABORT, 'advisory events are append-only'); END`.execute(db);
      await sql`CREATE TRIGGER vex_statements_no_update BEFORE UPDATE ON vex_statements BEGIN SELECT RAISE(ABORT, 'VEX statements are append-only'); END`.execute(db);
      await sql`CREATE TRIGGER vex_statements_no_delete BEFORE DELETE ON vex_statements BEGIN SELECT RAISE(ABORT, 'VEX statements are append-only'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION firebreak_advisory_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'advisory events and VEX statements are append-only'; END $$`.execute(db);
      await sql`CREATE TRIGGER advisory_events_append_only BEFORE UPDATE OR DELETE ON advisory_events FOR EACH ROW EXECUTE FUNCTION firebreak_advisory_append_only()`.execute(db);
      await sql`CREATE TRIGGER vex_statements_append_only BEFORE UPDATE OR DELETE ON vex_statements FOR EACH ROW EXECUTE FUNCTION firebreak_advisory_append_only()`.execute(db);
    }
  },
};
