/**
 * Paging: escalation policies as data (`escalation_policies`: levels as JSON, how many
 * times the policy repeats), the acknowledge links sent in pages (`ack_links`: only the
 * SHA-256 of each token, the incident and person it acknowledges for, when it expires and
 * when it was used), and each person's time zone (`users.time_zone`), in which the times
 * in their pages are written. Written once for SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Dialect, MigrationStep } from './migration.js';

export const pagingMigration: MigrationStep = {
  name: '009-paging',
  async up(db: Kysely<unknown>, dialect: Dialect) {
    const json = dialect === 'postgres' ? 'jsonb' : 'text';
    await db.schema
      .createTable('escalation_policies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('levels', json, (c) => c.notNull())
      .addColumn('repeat', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ack_links')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('user_handle', 'text', (c) => c.notNull())
      .addColumn('delivery_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('ack_links_incident').on('ack_links').columns(['incident_id']).execute();
    await db.schema.alterTable('users').addColumn('time_zone', 'text').execute();
  },
};
