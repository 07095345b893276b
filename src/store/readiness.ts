/**
 * Whether a store can serve: the database answers, and its schema is exactly the one this
 * build expects (no migration pending, none unknown — an unknown one means a newer
 * Firebreak migrated it, and this process must not write to it).
 */
import { sql } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import type { Store } from './store.js';

export type Readiness =
  | { readonly ready: true; readonly database: Store['dialect']; readonly migrations: 'current' }
  | { readonly ready: false; readonly database: Store['dialect']; readonly reason: string };

export async function checkReadiness(store: Store): Promise<Readiness> {
  const database = store.dialect;
  let applied: string[];
  try {
    await sql`SELECT 1`.execute(store.db);
    const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
    applied = rows.rows.map((r) => r.name);
  } catch (error) {
    // The message says what failed; it never carries the connection string.
    return { ready: false, database, reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
  const expected = MIGRATIONS.map((m) => m.name);
  const pending = expected.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !expected.includes(name));
  if (pending.length) return { ready: false, database, reason: `migrations pending: ${pending.join(', ')}` };
  if (unknown.length) return { ready: false, database, reason: `the database has migrations this version does not know: ${unknown.join(', ')}` };
  return { ready: true, database, migrations: 'current' };
}
