/**
 * The checkpoint log: every signed checkpoint the instance made, in order, append-only
 * like the event logs (triggers refuse UPDATE and DELETE). Each row keeps the whole
 * checkpoint file (signed note and leaf lines), so a checkpoint can be served and
 * verified again exactly as it was published.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationStep } from './migration.js';

export const checkpointsMigration: MigrationStep = {
  name: '013-checkpoints',
  async up(db: Kysely<unknown>, dialect) {
    await db.schema
      .createTable('checkpoints')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('tree_size', 'integer', (c) => c.notNull())
      .addColumn('root', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END`.execute(db);
      await sql`CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION firebreak_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'checkpoints are append-only'; END $$`.execute(db);
      await sql`CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION firebreak_checkpoints_append_only()`.execute(db);
    }
  },
};
