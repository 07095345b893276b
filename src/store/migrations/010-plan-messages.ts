/**
 * `plan_messages`: one row per message composed from a plan template (broadcast, internal
 * notification, external disclosure, …) for an incident: its final text, who wrote it,
 * whether it waits for review and who approved it. The deliveries it becomes are written
 * to `deliveries` once it may be sent; every submit/approve/reject is also an event.
 */
import type { Kysely } from 'kysely';
import type { MigrationStep } from './migration.js';

export const planMessagesMigration: MigrationStep = {
  name: '010-plan-messages',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('plan_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('approvals_needed', 'integer', (c) => c.notNull())
      .addColumn('approved_by', 'text', (c) => c.notNull())
      .addColumn('rejected_by', 'text')
      .addColumn('reject_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('plan_messages_incident').on('plan_messages').columns(['incident_id', 'created_at']).execute();
    await db.schema.createIndex('plan_messages_status').on('plan_messages').columns(['status', 'created_at']).execute();
  },
};
