/**
 * On-call schedules: each schedule's definition as JSON with a version, every version
 * kept in `oncall_schedule_history` (who changed what, when, and the definition it
 * left), overrides ("I take Tuesday"), and the private calendar-feed tokens people
 * subscribe to their shifts with (stored by SHA-256, never the token).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect, MigrationStep } from './migration.js';

export const schedulesMigration: MigrationStep = {
  name: '008-schedules',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');
    await db.schema
      .createTable('oncall_schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('definition', json, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('oncall_schedule_history')
      .addColumn('schedule_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('definition', json)
      .addColumn('detail', 'text')
      .addColumn('changed_at', 'text', (c) => c.notNull())
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('oncall_schedule_history_pk', ['schedule_id', 'version'])
      .execute();
    await db.schema
      .createTable('oncall_overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('schedule_id', 'text', (c) => c.notNull())
      .addColumn('user_handle', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oncall_overrides_schedule').on('oncall_overrides').columns(['schedule_id', 'starts_at']).execute();
    await db.schema
      .createTable('calendar_feeds')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_handle', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
