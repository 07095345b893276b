/**
 * The scheduler's tables: one durable row per clock that must act (`scheduled_clocks`),
 * the outbox of messages with their delivery record (`deliveries`), where people are
 * reached (`contact_points`) and the server-side endpoints and signing secrets of the
 * plan's channels (`channel_secrets`). Written once for SQLite and PostgreSQL.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect, MigrationStep } from './migration.js';

export const schedulerMigration: MigrationStep = {
  name: '003-scheduler',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    await db.schema
      .createTable('scheduled_clocks')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('clock_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'text')
      .addColumn('fired_at', 'text')
      .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('details', sql.raw(json), (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scheduled_clocks_pk', ['incident_id', 'clock_key'])
      .execute();
    // Matches the claim query's filter and ORDER BY, so claiming a batch reads the index in
    // order instead of sorting every due row.
    await db.schema.createIndex('scheduled_clocks_due').on('scheduled_clocks').columns(['state', 'due_at', 'incident_id', 'clock_key']).execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text')
      .addColumn('clock_key', 'text')
      .addColumn('template', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_until', 'text')
      .addColumn('payload', sql.raw(json), (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('reviewed_by', 'text')
      .execute();
    await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('deliveries_incident').on('deliveries').columns(['incident_id', 'created_at']).execute();

    await db.schema
      .createTable('contact_points')
      .addColumn('user_handle', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_points_pk', ['user_handle', 'kind', 'target'])
      .execute();

    await db.schema
      .createTable('channel_secrets')
      .addColumn('channel_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
