/**
 * What an attacker with write access to the database does first: drop the append-only
 * triggers, so events and checkpoints can be deleted and rewritten behind Firebreak's back.
 * Tests of the provable record use it to show that checkpoints still catch the change.
 */
import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';

export async function dropAppendOnlyTriggers(store: Store): Promise<void> {
  const db = store.db;
  if (store.dialect === 'sqlite') {
    for (const name of ['events_no_update', 'events_no_delete', 'advisory_events_no_update', 'advisory_events_no_delete', 'checkpoints_no_update', 'checkpoints_no_delete']) {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db);
    }
  } else {
    await sql`DROP TRIGGER IF EXISTS events_append_only ON events`.execute(db);
    await sql`DROP TRIGGER IF EXISTS advisory_events_append_only ON advisory_events`.execute(db);
    await sql`DROP TRIGGER IF EXISTS checkpoints_append_only ON checkpoints`.execute(db);
  }
}
